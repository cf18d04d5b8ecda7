"""Segment counts per target language — termbase/gloss, memory, engine, untranslated — for
the sample and two corpus readouts, without an engine and with the test engine (a local
stand-in server from tests/fake_engine.py that keeps numbers and names).

    python bench/segments.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_engine import fake_engine_server  # noqa: E402

from briefgen.pipeline import extract_brief, translate_brief  # noqa: E402
from briefgen.settings import EngineSettings, Settings  # noqa: E402
from briefgen.translate import summary_line  # noqa: E402

CASES = [
    ROOT / "seeds" / "eppd-6-2026-01-28.zh-TW.txt",
    ROOT / "tests" / "corpus" / "tw-eu-scrd-3.txt",
    ROOT / "tests" / "corpus" / "us-tw-erd-5.txt",
]


def main() -> None:
    with fake_engine_server() as url:
        for path in CASES:
            for label, options in (
                ("no engine", Settings()),
                (
                    "test engine",
                    Settings(engine=EngineSettings(kind="openai", url=url, model="fake")),
                ),
            ):
                brief = extract_brief(path, options)
                translated, _ = translate_brief(brief, options, path)
                target = "zh-TW" if brief.source.language == "en" else "en"
                print(f"{path.name:32} {label:12} {summary_line(translated, target)}")


if __name__ == "__main__":
    main()
