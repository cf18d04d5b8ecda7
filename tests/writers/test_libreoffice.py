"""The sample's DOCX and ODT memos opened where none of their fonts is installed: LibreOffice
headless converts them to PDF with a fontconfig configuration that shows it no CJK face
(and no Noto face), so only the fonts the DOCX embeds can set them. Each must have as
many pages as our own PDF, be set in the Noto faces (no fallback such as DejaVu) and
break no Latin word across lines.

Slow (a few seconds a document): LibreOffice is started once per document, each with its
own profile — in one session LibreOffice keeps the first subset of a face it loads and
sets later documents in it. Skipped where ``soffice`` is missing, unless ``CI`` is set
(``.ci/run`` installs LibreOffice and sets it): there a missing ``soffice`` fails.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text
from pypdf import PdfReader

from briefgen.model import Brief
from briefgen.pipeline import render_all
from briefgen.settings import Settings

SOFFICE = shutil.which("soffice")
#: Memos checked in full (fonts, words); every sample memo's page count is compared.
LEADERSHIP = ["eppd-6.leadership.zh-TW", "eppd-6.leadership.en"]
#: Words LibreOffice broke mid-word before the DOCX embedded its fonts.
KNOWN_WORDS = ("Helberg", "AUVSI", "License")
TIMEOUT = 240

pytestmark = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed (.ci/run installs it)",
)


def _font_dirs_without_cjk() -> list[str]:
    """The directories of the installed fonts, less those holding a Chinese face."""
    listed = subprocess.run(
        ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=True
    ).stdout.split()
    cjk = subprocess.run(
        ["fc-list", "--format", "%{file}\n", ":lang=zh"], capture_output=True, text=True, check=True
    ).stdout.split()
    excluded = {str(Path(f).parent) for f in cjk}
    return sorted({str(Path(f).parent) for f in listed} - excluded)


@pytest.fixture(scope="module")
def no_cjk_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose fontconfig sees no CJK face and no Noto face."""
    if SOFFICE is None:
        pytest.fail("CI is set but soffice is missing: .ci/run should have installed it")
    root = tmp_path_factory.mktemp("fontconfig")
    dirs = [d for d in _font_dirs_without_cjk() if "noto" not in d.lower()]
    config = root / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        + "".join(f"  <dir>{d}</dir>\n" for d in dirs)
        + f"  <cachedir>{root / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    shown = subprocess.run(
        ["fc-list", ":lang=zh"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert shown.strip() == "", f"CJK fonts still visible: {shown[:200]}"
    noto = subprocess.run(
        ["fc-list", ":family=Noto Serif"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert noto.strip() == "", f"Noto fonts installed: {noto[:200]}"
    return env


def _convert(
    data: bytes, name: str, work: Path, env: dict[str, str], suffix: str = ".docx"
) -> bytes:
    """``data`` (a DOCX, or what ``suffix`` says) converted to PDF by LibreOffice headless,
    in a profile of its own."""
    source = work / f"{name}{suffix}"
    source.write_bytes(data)
    out = work / "out"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],
        env=env,
        capture_output=True,
        timeout=TIMEOUT,
        check=True,
    )
    return (out / f"{name}.pdf").read_bytes()


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _base_fonts(pdf: bytes) -> set[str]:
    """The BaseFont names (subset prefix removed) of every font the pages use."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get("/Font") or {}
        for font in fonts.values():
            names.add(re.sub(r"^[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"]).lstrip("/")))
    return names


def _words(pdf: bytes) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", extract_text(io.BytesIO(pdf))))


@pytest.fixture(scope="module")
def converted(
    built: dict[str, bytes], no_cjk_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    """LibreOffice's PDF of every sample DOCX, by memo name."""
    names = sorted(n.removesuffix(".docx") for n in built if n.endswith(".docx"))
    assert len(names) >= 8, names
    return {
        name: _convert(built[f"{name}.docx"], name, tmp_path_factory.mktemp(name), no_cjk_env)
        for name in names
    }


@pytest.mark.parametrize("memo", LEADERSHIP)
def test_leadership_memo_in_libreoffice(
    built: dict[str, bytes], converted: dict[str, bytes], memo: str
) -> None:
    ours, theirs = built[f"{memo}.pdf"], converted[memo]
    assert _pages(theirs) == _pages(ours) == 1
    fonts = _base_fonts(theirs)
    expected = {"NotoSerif-Regular", "NotoSerif-Bold", "NotoSans-Regular"}
    if "zh-TW" in memo:  # the headings' Han text: Noto Sans TC (made bold by LibreOffice)
        expected |= {"NotoSerifTC-Regular", "NotoSansTC-Regular"}
    else:
        expected |= {"NotoSans-Bold"}
    assert expected <= fonts, fonts
    assert all(f.startswith("Noto") for f in fonts), f"fallback faces used: {sorted(fonts)}"
    # Every Latin word of our PDF is whole in LibreOffice's (none broken across lines).
    ours_words, theirs_words = _words(ours), _words(theirs)
    assert ours_words <= theirs_words, sorted(ours_words - theirs_words)
    known = [w for w in KNOWN_WORDS if w in ours_words]
    assert "Helberg" in known
    assert all(w in theirs_words for w in known)


def test_every_sample_memo_has_our_page_count(
    built: dict[str, bytes], converted: dict[str, bytes]
) -> None:
    counts = {name: (_pages(built[f"{name}.pdf"]), _pages(pdf)) for name, pdf in converted.items()}
    assert all(ours == theirs for ours, theirs in counts.values()), counts


def test_gongwen_memo_is_set_in_the_embedded_kai_face(converted: dict[str, bytes]) -> None:
    """The 簽 names 標楷體, embedded as the Kai face briefgen ships; its Latin text names
    Times New Roman (not embedded: LibreOffice sets its metric twin, Liberation Serif)."""
    fonts = _base_fonts(converted["eppd-6.gongwen.zh-TW"])
    assert "LXGWWenKaiTC-Regular" in fonts, fonts
    assert all(f.startswith(("Noto", "LXGW", "LiberationSerif")) for f in fonts), fonts


@pytest.fixture(scope="module")
def converted_odt(
    translated_brief: Brief,
    built: dict[str, bytes],
    no_cjk_env: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, bytes]:
    """LibreOffice's PDF of every sample ODT, by memo name."""
    odts = {
        a.name.removesuffix(".odt"): a.data
        for a in render_all(translated_brief, Settings(formats=("odt",)))
        if a.name.endswith(".odt")
    }
    assert len(odts) >= 8, sorted(odts)
    return {
        name: _convert(data, name, tmp_path_factory.mktemp(f"odt-{name}"), no_cjk_env, ".odt")
        for name, data in sorted(odts.items())
    }


def test_every_sample_odt_has_our_page_count_in_the_embedded_faces(
    built: dict[str, bytes], converted_odt: dict[str, bytes]
) -> None:
    counts = {
        name: (_pages(built[f"{name}.pdf"]), _pages(pdf)) for name, pdf in converted_odt.items()
    }
    assert all(ours == theirs for ours, theirs in counts.values()), counts
    for name, pdf in converted_odt.items():
        fonts = _base_fonts(pdf)
        allowed = ("Noto", "LXGW", "LiberationSerif") if ".gongwen." in name else ("Noto",)
        assert all(f.startswith(allowed) for f in fonts), (name, sorted(fonts))
    for memo in LEADERSHIP:  # every Latin word of our PDF whole in LibreOffice's
        ours, theirs = _words(built[f"{memo}.pdf"]), _words(converted_odt[memo])
        assert ours <= theirs, sorted(ours - theirs)


def test_odt_list_numbers_have_their_glyphs(converted_odt: dict[str, bytes]) -> None:
    """The list labels (二、 （三）) LibreOffice writes from the list styles are in the
    embedded subsets: no missing-glyph box in their place."""
    text = extract_text(io.BytesIO(converted_odt["eppd-6.working.zh-TW"]))
    assert "二、" in text and "（三）" in text
