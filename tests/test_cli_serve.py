"""``briefgen serve`` from the command line: refusals before anything is bound, and the
real server answering on the address it prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

import briefgen.cli_serve as cli_serve
from briefgen.cli import main
from briefgen.web.security import MIN_TOKEN, TOKEN_ENV


@pytest.fixture()
def no_bind(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int | None]]:
    """Records every attempt to bind a socket (and makes it fail the test)."""
    calls: list[tuple[str, int | None]] = []

    def bind(host: str, port: int | None) -> None:
        calls.append((host, port))
        raise AssertionError("serve bound a socket before refusing")

    monkeypatch.setattr(cli_serve, "bind", bind)
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    return calls


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["--host", "0.0.0.0"], {}, "refusing to listen on 0.0.0.0 without an access token"),
        (["--host", "192.0.2.1"], {}, "without an access token"),
        (["--host", "0.0.0.0"], {TOKEN_ENV: "short"}, f"at least {MIN_TOKEN} characters"),
        (["--host", "0.0.0.0", "--token-file", "empty"], {}, "the token file is empty"),
        (["--host", "0.0.0.0", "--token-file", "nope"], {}, "cannot read the token file"),
    ],
)
def test_serve_refuses_before_binding(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    no_bind: list[tuple[str, int | None]],
    args: list[str],
    env: dict[str, str],
    says: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = main(["serve", *args, "--data-dir", str(tmp_path / "data")])
    out, err = capsys.readouterr()
    assert code != 0
    assert err.startswith("briefgen: error: ") and says in err and err.count("\n") == 1
    assert out == "" and no_bind == []
    assert not (tmp_path / "data").exists()


def test_serve_prints_its_address_and_answers(tmp_path: Path) -> None:
    """The real server: its first line is the address, which answers with the start page."""
    (tmp_path / "briefgen.toml").write_text('audiences = ["leadership"]\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    env["BRIEFGEN_DATA_DIR"] = str(tmp_path / "user")
    command = [sys.executable, "-m", "briefgen", "serve", "--port", "0", "-j", "1"]
    command += ["--data-dir", str(tmp_path / "data")]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("briefgen serve: http://127.0.0.1:"), first
        url = first.split(": ", 1)[1].strip()
        assert url.endswith("/") and int(url.rsplit(":", 1)[1].rstrip("/")) > 0
        response = httpx.get(url, timeout=30)
        assert response.status_code == 200 and 'id="upload-submit"' in response.text
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "server" not in response.headers
        foreign = httpx.get(url, headers={"Host": "evil.example"}, timeout=30)
        assert foreign.status_code == 400
        assert (tmp_path / "data" / "workspaces" / "index.sqlite").is_file()
    finally:
        process.terminate()
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
