"""How `briefgen serve` feels: one server, the sample, figures printed (never asserted).

    python bench/serve.py [--workers 2] [--pages 20]

Starts `briefgen serve --port 0` with a new data directory (the font cache is the
machine's, as a user's would be), then measures over HTTP on 127.0.0.1:

  ready     upload of the sample (seeds/eppd-6-2026-01-28.zh-TW.txt) until its brief is
            extracted and translated (the review page can be shown);
  memos     upload until every memo of the first version is rendered (4 audiences x 2
            languages x PDF, DOCX, ODT, HTML);
  page      the review page (median and worst of --pages requests);
  edit      one edit (POST, redirect, the page again) until its memos are rendered;
  two       two uploads at once until both briefs are ready, and the review page's
            worst time while they run (the event loop must not wait for them);
  rss       peak resident memory of the server and its worker processes (MB).

The load average is printed: the figures mean little when it is high.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read().decode("utf-8")


def _post(url: str, fields: dict[str, str], file: tuple[str, bytes] | None = None) -> str:
    """POST ``fields`` (multipart when ``file`` is given); return the redirect target."""
    if file is None:
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
    else:
        boundary = "briefgenbench"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        name, data = file
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/plain\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        _OPENER.open(request, timeout=120)
    except urllib.error.HTTPError as exc:
        if exc.code == 303:
            return urllib.parse.urljoin(url, exc.headers["Location"])
        raise
    raise RuntimeError(f"{url}: no redirect")


def _wait(what: str, ready: callable, limit: float = 600) -> float:
    start = time.perf_counter()
    while not ready():
        if time.perf_counter() - start > limit:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.1)
    return time.perf_counter() - start


def _rss_tree(pid: int) -> float:
    """The resident memory (MB) of ``pid`` and its children, now."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def main() -> None:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="briefgen-serve-bench-"))
    env = {**os.environ, "BRIEFGEN_DATA_DIR": str(data)}
    server = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", "--port", "0", "-j", str(args.workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=data,
    )
    peak = 0.0
    stop = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _rss_tree(server.pid))
            time.sleep(0.1)

    threading.Thread(target=watch, daemon=True).start()
    try:
        line = server.stdout.readline() if server.stdout else ""
        base = re.search(r"http://\S+/", line)
        if base is None:
            raise SystemExit(f"the server did not print its address: {line!r}")
        url = base.group()
        csrf = re.search(r'name="csrf" value="([^"]+)"', _get(url)).group(1)
        print(f"load average {os.getloadavg()[0]:.2f}; server {url}; {args.workers} workers")

        def upload() -> str:
            return _post(url + "briefs", {"csrf": csrf}, (SAMPLE.name, SAMPLE.read_bytes()))

        def ready(page: str) -> bool:
            return 'id="article"' in _get(page)

        def rendered(page: str) -> bool:
            return "download-zip" in _get(page) and "rendering the memos" not in _get(page)

        start = time.perf_counter()
        page = upload()
        _wait("the brief", lambda: ready(page))
        t_ready = time.perf_counter() - start
        _wait("the memos", lambda: rendered(page))
        t_memos = time.perf_counter() - start
        times = []
        for _ in range(args.pages):
            t0 = time.perf_counter()
            _get(page)
            times.append(time.perf_counter() - t0)
        workspace = page.rsplit("/", 1)[-1]
        t0 = time.perf_counter()
        fields = {"csrf": csrf, "path": "items.0.title", "lang": "en", "value": "Bench title"}
        _post(f"{url}b/{workspace}/edit", fields)
        _wait("the edited memos", lambda: "Bench title" in _get(page) and rendered(page))
        t_edit = time.perf_counter() - t0
        t0 = time.perf_counter()
        pages = [upload(), upload()]
        worst = 0.0
        while not all(ready(p) for p in pages):
            t1 = time.perf_counter()
            _get(page)
            worst = max(worst, time.perf_counter() - t1)
        t_two = time.perf_counter() - t0
        print(f"ready   {t_ready:6.2f} s  upload -> brief extracted and translated")
        print(f"memos   {t_memos:6.2f} s  upload -> all memos of the first version rendered")
        print(
            f"page    {statistics.median(times) * 1000:6.0f} ms median, "
            f"{max(times) * 1000:.0f} ms worst ({args.pages} review pages)"
        )
        print(f"edit    {t_edit:6.2f} s  one edit -> its memos rendered")
        print(
            f"two     {t_two:6.2f} s  two uploads at once -> both ready; review page "
            f"{worst * 1000:.0f} ms worst meanwhile"
        )
        print(f"rss     {peak:6.0f} MB  peak, server and workers together")
    finally:
        stop.set()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
