"""A deterministic stand-in for an OpenAI-compatible chat-completions server, for tests and
the segment-count benchmark: it "translates" each segment into an English placeholder
that keeps the segment's numbers and Latin-script words (so briefgen's response check
accepts it). It is not a translator; it proves the plumbing."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_KEEP = re.compile(r"[A-Za-z0-9][A-Za-z0-9.&'-]*(?:\s+[A-Z][A-Za-z0-9.&'-]*)*")


def fake_translation(segment: str, to_chinese: bool = False) -> str:
    """``[machine translation] …`` (``〔機器翻譯〕…`` into Chinese) with the segment's
    numbers and Latin words."""
    kept = _KEEP.findall(segment)
    label = "〔機器翻譯〕" if to_chinese else "[machine translation]"
    return label + ("".join(f" {k}" for k in kept) if kept else "")


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        prompt = body["messages"][-1]["content"]
        system = " ".join(m["content"] for m in body["messages"] if m["role"] == "system")
        to_chinese = "into Traditional Chinese" in system
        segments = json.loads(prompt[prompt.index("[") : prompt.rindex("]") + 1])
        content = json.dumps(
            [fake_translation(s, to_chinese) for s in segments], ensure_ascii=False
        )
        reply = {"choices": [{"message": {"role": "assistant", "content": content}}]}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def fake_engine_server() -> Iterator[str]:
    """Serve on a free 127.0.0.1 port; yield the base URL; stop on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
