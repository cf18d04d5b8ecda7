"""Output naming, atomic writes and the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.deliver import Artifact, atomic_write, deliver, output_dir, slug
from briefgen.errors import OutputError
from briefgen.model import Brief, parse_brief


def test_slug_and_directory(translated_brief: Brief) -> None:
    assert slug(translated_brief) == "eppd-6"
    assert output_dir(Path("out"), translated_brief) == Path("out/2026-01-28_eppd-6")


def test_slug_falls_back_to_source_name() -> None:
    brief = parse_brief({"source": {"path": "x/台北會談 Notes.zh-TW.txt"}})
    assert slug(brief) == "notes"
    assert output_dir(Path("o"), brief) == Path("o/undated_notes")
    assert slug(parse_brief({})) == "brief"


def test_slug_skips_an_untranslated_name_that_leaves_only_digits() -> None:
    brief = parse_brief(
        {
            "source": {"path": "13-udn-taiwan-paraguay-23rd.zh-TW.txt"},
            "event": {"name": {"zh-TW": "第23屆台巴經濟合作會議", "en": "第23屆台巴經濟合作會議"}},
        }
    )
    assert slug(brief) == "13-udn-taiwan-paraguay-23rd"


def test_deliver_writes_files_and_manifest(tmp_path: Path) -> None:
    paths = deliver(tmp_path / "d", [Artifact("a.pdf", b"%PDF", "memo", "working", "en", "pdf")])
    assert [p.name for p in paths] == ["a.pdf", "manifest.json"]
    manifest = json.loads((tmp_path / "d" / "manifest.json").read_text())
    assert manifest["files"][0]["bytes"] == 4 and manifest["files"][0]["format"] == "pdf"


def test_the_manifest_records_what_the_set_was_made_from(tmp_path: Path) -> None:
    """``record`` (what a build was made from) comes first, the files last; without one
    the manifest lists the files only."""
    record = {"version": "0.1.0", "input": {"sha256": "ab" * 32}, "settings": {"langs": ["en"]}}
    artifact = Artifact("a.pdf", b"%PDF", "memo", "working", "en", "pdf")
    deliver(tmp_path / "d", [artifact], record=record)
    text = (tmp_path / "d" / "manifest.json").read_text()
    manifest = json.loads(text)
    assert list(manifest) == ["version", "input", "settings", "files"]
    assert {k: manifest[k] for k in record} == record
    assert text.endswith("}\n")
    deliver(tmp_path / "e", [artifact])
    assert list(json.loads((tmp_path / "e" / "manifest.json").read_text())) == ["files"]


def test_importing_deliver_needs_no_model() -> None:
    import subprocess
    import sys

    code = "import sys, briefgen.deliver; print('briefgen.model' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "memo.pdf"
    target.write_bytes(b"old")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        atomic_write(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["memo.pdf"]


def test_unwritable_directory_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot create output directory"):
        deliver(blocker / "sub", [Artifact("a", b"", "memo")])


# -- An output set is all or nothing ---------------------------------------------------

import errno  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402
import time  # noqa: E402

from briefgen import deliver as deliver_module  # noqa: E402
from briefgen.deliver import leftovers, recover  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _artifacts(tag: str, size: int = 2000) -> list[Artifact]:
    """A set of four memos and a brief whose bytes say which build they come from."""
    memos = [
        Artifact(
            f"m.{a}.{lang}.pdf", (f"{tag}:{a}:{lang}:".encode() * size), "memo", a, lang, "pdf"
        )
        for a in ("leadership", "working")
        for lang in ("zh-TW", "en")
    ]
    return [*memos, Artifact("brief.yaml", f"tag: {tag}\n".encode(), "brief")]


def _state(directory: Path, sets: dict[str, list[Artifact]]) -> str:
    """Which complete set ``directory`` holds ("old"/"new"), else "missing" or "mixed"."""
    if not directory.exists():
        return "missing"
    for name, artifacts in sets.items():
        expected = {a.name: a.data for a in artifacts}
        manifest = directory / "manifest.json"
        if not manifest.exists():
            continue
        listed = {f["name"] for f in json.loads(manifest.read_text())["files"]}
        if listed == set(expected) and all(
            (directory / n).exists() and (directory / n).read_bytes() == d
            for n, d in expected.items()
        ):
            return name
    return "mixed"


def _no_temporaries(directory: Path) -> None:
    assert leftovers(directory) == []
    names = [p.name for p in directory.parent.iterdir()] + [p.name for p in directory.iterdir()]
    assert not [n for n in names if "briefgen-" in n or n.endswith(".tmp")], names


def test_a_new_set_replaces_the_old_one_and_keeps_the_users_files(tmp_path: Path) -> None:
    directory = tmp_path / "out" / "2026-01-28_m"
    old, new = _artifacts("old"), _artifacts("new")[1:]  # the new set has one memo less
    deliver(directory, [*old, Artifact("extra.pdf", b"old only", "memo")])
    (directory / "notes.txt").write_text("mine")
    (directory / "m.eml").write_bytes(b"draft of the old set")
    (directory / ".m.working.en.pdf.abcd1234.tmp").write_bytes(b"left by an old version")
    (directory / "review").mkdir()
    (directory / "review" / "r.xlf").write_text("x")
    paths = deliver(directory, new)
    assert [p.name for p in paths] == [a.name for a in new] + ["manifest.json"]
    assert _state(directory, {"new": new}) == "new"
    rest = sorted(p.name for p in directory.iterdir())
    assert rest == sorted([a.name for a in new] + ["manifest.json", "notes.txt", "review"])
    assert (directory / "notes.txt").read_text() == "mine"
    assert (directory / "review" / "r.xlf").read_text() == "x"
    _no_temporaries(directory)


def test_finish_adds_files_to_the_set_before_it_is_visible(tmp_path: Path) -> None:
    directory = tmp_path / "d"
    seen: list[bool] = []

    def finish(staging: Path) -> list[Path]:
        seen.append(directory.exists())
        assert (staging / "manifest.json").exists()
        (staging / "m.eml").write_bytes(b"draft")
        return [staging / "m.eml"]

    paths = deliver(directory, _artifacts("new"), finish)
    assert seen == [False] and paths[-1] == directory / "m.eml"
    assert (directory / "m.eml").read_bytes() == b"draft"


def test_an_error_in_finish_leaves_the_old_set(tmp_path: Path) -> None:
    directory = tmp_path / "d"
    old = _artifacts("old")
    deliver(directory, old)

    def finish(staging: Path) -> list[Path]:
        raise OutputError("draft failed")

    with pytest.raises(OutputError, match="draft failed"):
        deliver(directory, _artifacts("new"), finish)
    assert _state(directory, {"old": old}) == "old"
    _no_temporaries(directory)


@pytest.mark.parametrize("function", ["write", "rename", "fsync"])
def test_a_full_disk_leaves_the_old_set(tmp_path: Path, monkeypatch, function: str) -> None:
    directory = tmp_path / "d"
    old, new = _artifacts("old"), _artifacts("new")
    deliver(directory, old)
    monkeypatch.setattr(deliver_module, "_exchange", lambda a, b: False)  # reach os.rename

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, function, full)
    with pytest.raises(OutputError, match="No space left on device"):
        deliver(directory, new)
    monkeypatch.undo()
    assert _state(directory, {"old": old}) == "old"
    _no_temporaries(directory)
    deliver(directory, new)
    assert _state(directory, {"new": new}) == "new"


_STEPS = ("open", "write", "fsync", "close", "mkdir", "rename", "link", "chmod", "symlink")


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_an_error_at_every_step_leaves_a_whole_set(
    tmp_path: Path, monkeypatch, exchange: bool
) -> None:
    """Fail the n-th file-system call of a build, for every n: the directory always holds
    the whole old set or the whole new one, and the next run leaves no temporaries."""
    new = _artifacts("new", 50)
    calls: list[str] = []
    fail_at = [-1]

    def install() -> None:
        if not exchange:
            monkeypatch.setattr(deliver_module, "_exchange", lambda a, b: False)
        for name in _STEPS:
            real = getattr(os, name)

            def wrapper(*args, _real=real, _name=name, **kwargs):
                calls.append(_name)
                if len(calls) - 1 == fail_at[0]:
                    raise OSError(errno.ENOSPC, "No space left on device")
                return _real(*args, **kwargs)

            monkeypatch.setattr(os, name, wrapper)

    n = 0
    while True:
        directory = tmp_path / f"run{n}" / "d"
        old = _artifacts("old", 50)
        deliver(directory, old)
        (directory / "notes.txt").write_text("mine")
        calls.clear()
        fail_at[0] = n
        install()
        try:
            deliver(directory, new)
            failed = False
        except OutputError:
            failed = True
        monkeypatch.undo()
        state = _state(directory, {"old": old, "new": new})
        assert state == ("old" if failed else "new"), (n, calls[-1], state)
        assert (directory / "notes.txt").read_text() == "mine"
        if len(calls) <= n:  # the build made fewer calls than n: every step was tried
            break
        deliver(directory, new)  # the next run cleans up
        _no_temporaries(directory)
        n += 1
    assert n > 20


_CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from briefgen import deliver as d
    spec = json.loads(sys.argv[2])
    directory, marker, point = Path(spec["directory"]), Path(spec["marker"]), spec["point"]

    def stop():
        marker.write_text(point)
        time.sleep(60)

    if point == "writing":  # a slow disk: every write takes a while
        real_write = os.write
        def slow_write(fd, data):
            time.sleep(0.05)
            return real_write(fd, bytes(data[:4096]))
        os.write = slow_write
    elif point == "publishing":
        real_publish = d._publish
        def publish(staging, target):
            stop()
        d._publish = publish
    elif point == "between-renames":
        d._exchange = lambda a, b: False
        real_rename = os.rename
        def rename(src, dst):
            real_rename(src, dst)
            if Path(src) == directory:
                stop()
        os.rename = rename
    elif point == "removing-old":
        d._remove = lambda path: stop()
    artifacts = [
        d.Artifact(f"m.{a}.{lang}.pdf", f"new:{a}:{lang}:".encode() * 2000, "memo", a, lang, "pdf")
        for a in ("leadership", "working")
        for lang in ("zh-TW", "en")
    ] + [d.Artifact("brief.yaml", b"tag: new\\n", "brief")]
    d.deliver(directory, artifacts)
    marker.write_text("done")
    """
)


def _wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the child never reached the kill point"
        time.sleep(0.01)


@pytest.mark.parametrize("point", ["writing", "publishing", "between-renames", "removing-old"])
def test_a_build_killed_at_any_point_leaves_a_whole_set(tmp_path: Path, point: str) -> None:
    directory = tmp_path / "out" / "2026-01-28_m"
    old, new = _artifacts("old"), _artifacts("new")
    deliver(directory, old)
    (directory / "notes.txt").write_text("mine")
    marker = tmp_path / "marker"
    spec = {"directory": str(directory), "marker": str(marker), "point": point}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(ROOT), json.dumps(spec)])
    try:
        if point == "writing":  # SIGKILL once the first file of the new set appears

            def first_file() -> bool:
                return any(any(p.iterdir()) for p in leftovers(directory))

            _wait_for(first_file)
        else:
            _wait_for(marker.exists)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert marker.exists() or point == "writing"
    expected = {"removing-old": "new", "between-renames": "missing"}.get(point, "old")
    assert _state(directory, {"old": old, "new": new}) == expected
    assert leftovers(directory)  # the killed run left its temporary directory
    recover(directory)  # what the next run does first
    assert _state(directory, {"old": old, "new": new}) == expected.replace("missing", "old")
    deliver(directory, new)
    assert _state(directory, {"new": new}) == "new"
    assert (directory / "notes.txt").read_text() == "mine"
    _no_temporaries(directory)
