"""translate.engines: the OpenAI-compatible engine against a real local HTTP server,
the translation check, reply parsing, the Argos engine's errors and the factory."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from briefgen.errors import BriefgenError
from briefgen.model import AgendaItem, Brief, SourceInfo, Text, Via
from briefgen.settings import EngineSettings
from briefgen.translate import translate
from briefgen.translate.engines import (
    ArgosEngine,
    OpenAIEngine,
    chat_completions_url,
    check_translation,
    make_engine,
    parse_translations,
)
from briefgen.translate.termbase import Term, Termbase

ZH = "zh-TW"
MODEL = "test-model"
#: The longest a scripted reply is held back; the fixture releases it at teardown.
MAX_DELAY = 2.0


# ---------------------------------------------------------------------------------------
# A scriptable chat-completions server on 127.0.0.1
# ---------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # bytes are sent as they are, anything else as JSON
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


def chat(content: str) -> Reply:
    """A well-formed chat-completions reply with ``content`` as the message."""
    return Reply(
        body={
            "id": "x",
            "object": "chat.completion",
            "model": MODEL,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
        }
    )


@dataclass
class Seen:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def segments(self) -> list[str]:
        return json.loads(self.body["messages"][-1]["content"])

    @property
    def system(self) -> str:
        return self.body["messages"][0]["content"]


class ChatServer:
    """Answers from ``script`` (first in, first out), then with ``responder``."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.script: list[Reply] = []
        self.responder: Callable[[Seen], Reply] = lambda seen: Reply(500, b"no responder")
        self.release = threading.Event()
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.endpoint = f"{self.url}/v1/chat/completions"

    def translating(self, mapping: dict[str, str]) -> None:
        """Answer each request with the JSON array of ``mapping[segment]``."""

        def respond(seen: Seen) -> Reply:
            return chat(json.dumps([mapping[s] for s in seen.segments], ensure_ascii=False))

        self.responder = respond

    def _next(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            if self.script:
                return self.script.pop(0)
        return self.responder(seen)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw
                seen = Seen(self.command, self.path, dict(self.headers.items()), body)
                reply = server._next(seen)
                if reply.delay:
                    server.release.wait(min(reply.delay, MAX_DELAY))
                data = (
                    reply.body
                    if isinstance(reply.body, bytes)
                    else json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
                )
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout test)
                    pass

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture()
def server() -> Iterator[ChatServer]:
    srv = ChatServer()
    thread = threading.Thread(
        target=srv.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.httpd.shutdown()
        srv.httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture()
def sleeps() -> list[float]:
    return []


def _engine(
    server: ChatServer, sleeps: list[float], *, url: str | None = None, **kwargs: Any
) -> OpenAIEngine:
    kwargs.setdefault("api_key", "sekret")
    return OpenAIEngine(url or server.url, MODEL, sleep=sleeps.append, **kwargs)


def _termbase() -> Termbase:
    return Termbase(
        [
            Term("龔明鑫", "Kung Ming-hsin", "person"),
            Term("海柏格", "Jacob Helberg", "person"),
            Term("華府", "Washington, D.C.", "place"),
            Term("經濟繁榮夥伴對話", "Economic Prosperity Partnership Dialogue", "event", "EPPD"),
        ],
        "tb.tsv",
    )


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


SEGMENTS = {
    "龔明鑫於1月27日抵達華府": "Kung Ming-hsin arrived in Washington, D.C. on January 27",
    "確保AI供應鏈的安全": "Securing the AI supply chain",
    "海柏格（Jacob Helberg）表示將推動6G合作": "Jacob Helberg said 6G ties would grow",
}


# ---------------------------------------------------------------------------------------
# The request
# ---------------------------------------------------------------------------------------


def test_batches_and_request_shape(server: ChatServer, sleeps: list[float]) -> None:
    server.translating(SEGMENTS)
    engine = _engine(server, sleeps, termbase=_termbase(), batch_size=2)
    segments = list(SEGMENTS)

    assert engine.name == f"openai:{MODEL}"
    assert engine.translate(segments, ZH, "en") == list(SEGMENTS.values())

    assert len(server.requests) == 2
    first, second = server.requests
    assert [first.segments, second.segments] == [segments[:2], segments[2:]]
    for seen in server.requests:
        assert seen.method == "POST"
        assert seen.path == "/v1/chat/completions"
        assert seen.headers["Authorization"] == "Bearer sekret"
        assert seen.headers["Content-Type"] == "application/json"
        assert seen.body["model"] == MODEL
        assert seen.body["temperature"] == 0
        assert [m["role"] for m in seen.body["messages"]] == ["system", "user"]
        assert "Traditional Chinese as used in Taiwan" in seen.system
        assert "into English" in seen.system
        assert "names, numbers and dates exact" in seen.system
    assert "JSON array of 2 strings" in first.system
    assert "JSON array of 1 string:" in second.system
    # Termbase hints: only the entries that occur in the batch.
    assert "龔明鑫 = Kung Ming-hsin" in first.system
    assert "華府 = Washington, D.C." in first.system
    assert "海柏格" not in first.system
    assert "海柏格 = Jacob Helberg" in second.system
    assert "龔明鑫" not in second.system
    assert sleeps == []


@pytest.mark.parametrize("suffix", ["", "/", "/v1", "/v1/", "/v1/chat/completions"])
def test_base_url_normalised(server: ChatServer, sleeps: list[float], suffix: str) -> None:
    server.translating(SEGMENTS)
    engine = _engine(server, sleeps, url=server.url + suffix)
    assert engine.translate(["確保AI供應鏈的安全"], ZH, "en") == ["Securing the AI supply chain"]
    assert [seen.path for seen in server.requests] == ["/v1/chat/completions"]


@pytest.mark.parametrize(
    ("base", "endpoint"),
    [
        ("http://127.0.0.1:11434", "http://127.0.0.1:11434/v1/chat/completions"),
        ("http://localhost:8000/v1", "http://localhost:8000/v1/chat/completions"),
        ("https://host.example/v1/", "https://host.example/v1/chat/completions"),
        ("https://host.example/api/v1", "https://host.example/api/v1/chat/completions"),
        (
            " https://host.example/v1/chat/completions ",
            "https://host.example/v1/chat/completions",
        ),
    ],
)
def test_chat_completions_url(base: str, endpoint: str) -> None:
    assert chat_completions_url(base) == endpoint


@pytest.mark.parametrize("bad", ["file:///etc/passwd", "ftp://host/v1", "127.0.0.1:11434", ""])
def test_only_http_urls(bad: str) -> None:
    with pytest.raises(BriefgenError, match="must be an http:// or https:// URL"):
        OpenAIEngine(bad, MODEL)


def test_no_key_no_authorization_header(server: ChatServer, sleeps: list[float]) -> None:
    server.translating(SEGMENTS)
    _engine(server, sleeps, api_key=None).translate(["確保AI供應鏈的安全"], ZH, "en")
    assert "Authorization" not in server.requests[0].headers


def test_key_never_in_repr() -> None:
    engine = OpenAIEngine("http://127.0.0.1:1", MODEL, "sekret")
    assert "sekret" not in repr(engine)


def test_duplicates_sent_once_and_blank_segments_skipped(
    server: ChatServer, sleeps: list[float]
) -> None:
    server.translating(SEGMENTS)
    engine = _engine(server, sleeps)
    title = "確保AI供應鏈的安全"
    assert engine.translate([title, "  ", title, ""], ZH, "en") == [
        SEGMENTS[title],
        None,
        SEGMENTS[title],
        None,
    ]
    assert [seen.segments for seen in server.requests] == [[title]]
    assert engine.translate([], ZH, "en") == []
    assert len(server.requests) == 1


def test_english_to_chinese(server: ChatServer, sleeps: list[float]) -> None:
    source = "Kung Ming-hsin met Jacob Helberg on AI and 6G on January 27."
    server.translating({source: "龔明鑫與海柏格於1月27日就AI與6G會面。"})
    engine = _engine(server, sleeps, termbase=_termbase())
    assert engine.translate([source], "en", ZH) == ["龔明鑫與海柏格於1月27日就AI與6G會面。"]
    system = server.requests[0].system
    assert "from English (en) into Traditional Chinese as used in Taiwan" in system
    assert "never Simplified Chinese" in system
    assert "Kung Ming-hsin = 龔明鑫" in system
    assert "Jacob Helberg = 海柏格" in system
    assert "華府" not in system


# ---------------------------------------------------------------------------------------
# Retries and HTTP errors
# ---------------------------------------------------------------------------------------


def test_server_errors_are_retried_with_backoff(server: ChatServer, sleeps: list[float]) -> None:
    server.translating(SEGMENTS)
    server.script = [Reply(500, {"error": "boom"}), Reply(502, b"bad gateway")]
    engine = _engine(server, sleeps)
    assert engine.translate(["確保AI供應鏈的安全"], ZH, "en") == ["Securing the AI supply chain"]
    assert len(server.requests) == 3
    assert sleeps == [0.5, 1.0]
    assert any("HTTP 500: boom; retrying in 0.5 s" in note for note in engine.notes)


@pytest.mark.parametrize("status", [408, 503, 504, 529])
def test_transient_statuses_are_retried(
    server: ChatServer, sleeps: list[float], status: int
) -> None:
    server.translating(SEGMENTS)
    server.script = [Reply(status, b"")]
    engine = _engine(server, sleeps)
    assert engine.translate(["確保AI供應鏈的安全"], ZH, "en") == ["Securing the AI supply chain"]
    assert len(server.requests) == 2
    assert sleeps == [0.5]


def test_local_server_is_not_reached_through_a_proxy(
    server: ChatServer, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = _closed_port_url()
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.setenv(name, proxy)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    server.translating(SEGMENTS)
    engine = _engine(server, sleeps, retries=0)
    assert engine.translate(["確保AI供應鏈的安全"], ZH, "en") == ["Securing the AI supply chain"]


def test_429_is_retried_honouring_retry_after(server: ChatServer, sleeps: list[float]) -> None:
    server.translating(SEGMENTS)
    server.script = [Reply(429, {"error": {"message": "slow down"}}, headers={"Retry-After": "3"})]
    engine = _engine(server, sleeps, backoff=0.25)
    assert engine.translate(["確保AI供應鏈的安全"], ZH, "en") == ["Securing the AI supply chain"]
    assert len(server.requests) == 2
    assert sleeps == [3.0]


def test_429_without_retry_after_uses_backoff(server: ChatServer, sleeps: list[float]) -> None:
    server.translating(SEGMENTS)
    server.script = [Reply(429, b""), Reply(429, b"")]
    engine = _engine(server, sleeps, backoff=0.1)
    assert engine.translate(["確保AI供應鏈的安全"], ZH, "en") == ["Securing the AI supply chain"]
    assert sleeps == [0.1, 0.2]


def test_persistent_server_error_stops_the_run(server: ChatServer, sleeps: list[float]) -> None:
    server.responder = lambda seen: Reply(503, {"error": "overloaded"})
    engine = _engine(server, sleeps, retries=2)
    with pytest.raises(BriefgenError) as info:
        engine.translate(["確保AI供應鏈的安全"], ZH, "en")
    assert str(info.value) == (
        f"translation engine kept failing at {server.endpoint}: HTTP 503: overloaded (3 attempts)"
    )
    assert len(server.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_400_is_not_retried_and_gives_none(server: ChatServer, sleeps: list[float]) -> None:
    """Design: a 4xx other than 401/403/404 is not retried. It may be caused by the batch
    (context too long, a content filter), so the batch is tried one segment per request;
    a segment that also gets a 4xx is None (reported untranslated), the run goes on."""
    server.responder = lambda seen: Reply(400, {"error": {"message": "context too long"}})
    engine = _engine(server, sleeps)
    segments = list(SEGMENTS)[:2]
    assert engine.translate(segments, ZH, "en") == [None, None]
    assert [seen.segments for seen in server.requests] == [segments, segments[:1], segments[1:]]
    assert sleeps == []
    assert any("HTTP 400: context too long" in note for note in engine.notes)


def test_400_for_a_batch_then_segments_succeed(server: ChatServer, sleeps: list[float]) -> None:
    server.translating(SEGMENTS)
    server.script = [Reply(400, {"error": "too many tokens"})]
    segments = list(SEGMENTS)
    assert _engine(server, sleeps).translate(segments, ZH, "en") == list(SEGMENTS.values())
    assert [len(seen.segments) for seen in server.requests] == [3, 1, 1, 1]
    assert sleeps == []


@pytest.mark.parametrize("status", [401, 403])
def test_refused_key_is_a_clear_error(server: ChatServer, sleeps: list[float], status: int) -> None:
    server.responder = lambda seen: Reply(status, {"error": "invalid api key"})
    with pytest.raises(BriefgenError) as info:
        _engine(server, sleeps).translate(["確保AI供應鏈的安全"], ZH, "en")
    message = str(info.value)
    assert message == f"translation engine refused the key (HTTP {status}) at {server.endpoint}"
    assert "sekret" not in message
    assert len(server.requests) == 1
    assert sleeps == []


def test_unknown_model_is_a_clear_error(server: ChatServer, sleeps: list[float]) -> None:
    server.responder = lambda seen: Reply(
        404, {"error": {"message": 'model "test-model" not found, try pulling it first'}}
    )
    with pytest.raises(BriefgenError) as info:
        _engine(server, sleeps).translate(["確保AI供應鏈的安全"], ZH, "en")
    assert str(info.value) == (
        f"translation engine at {server.endpoint} answered HTTP 404 (unknown model "
        "'test-model' or wrong URL): model \"test-model\" not found, try pulling it first"
    )
    assert len(server.requests) == 1


def test_redirect_is_not_followed(server: ChatServer, sleeps: list[float]) -> None:
    server.responder = lambda seen: Reply(
        302, b"", headers={"Location": "https://elsewhere.example/v1/chat/completions"}
    )
    with pytest.raises(BriefgenError, match=r"redirects \(HTTP 302\) to https://elsewhere"):
        _engine(server, sleeps).translate(["確保AI供應鏈的安全"], ZH, "en")
    assert len(server.requests) == 1


def test_slow_server_times_out(server: ChatServer, sleeps: list[float]) -> None:
    server.responder = lambda seen: Reply(delay=MAX_DELAY, body=b"[]")
    engine = _engine(server, sleeps, timeout=0.2, retries=1)
    started = time.monotonic()
    with pytest.raises(BriefgenError) as info:
        engine.translate(["確保AI供應鏈的安全"], ZH, "en")
    assert str(info.value) == (
        f"translation engine unreachable at {server.endpoint}: timed out after 0.2 s (2 attempts)"
    )
    assert time.monotonic() - started < MAX_DELAY
    assert len(server.requests) == 2
    assert sleeps == [0.5]


def test_unreachable_server(sleeps: list[float]) -> None:
    url = _closed_port_url()
    engine = OpenAIEngine(url, MODEL, retries=2, sleep=sleeps.append)
    with pytest.raises(BriefgenError) as info:
        engine.translate(["確保AI供應鏈的安全"], ZH, "en")
    message = str(info.value)
    assert message.startswith(f"translation engine unreachable at {url}/v1/chat/completions: ")
    assert message.endswith("(3 attempts)")
    assert "\n" not in message
    assert sleeps == [0.5, 1.0]


# ---------------------------------------------------------------------------------------
# Malformed replies and the per-segment fallback
# ---------------------------------------------------------------------------------------

MALFORMED = {
    "not JSON": Reply(body=b"<html>Bad gateway</html>"),
    "no choices": Reply(body={"object": "chat.completion", "data": []}),
    "empty choices": Reply(body={"choices": []}),
    "content not text": Reply(body={"choices": [{"message": {"content": None}}]}),
    "content not an array": chat("Securing the AI supply chain"),
    "array of objects": chat('[{"en": "a"}, {"en": "b"}]'),
    "wrong length": chat('["Securing the AI supply chain"]'),
}


@pytest.mark.parametrize("reply", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_batch_falls_back_to_one_per_request(
    server: ChatServer, sleeps: list[float], reply: Reply
) -> None:
    server.translating(SEGMENTS)
    server.script = [reply]
    segments = list(SEGMENTS)[:2]
    engine = _engine(server, sleeps)
    assert engine.translate(segments, ZH, "en") == [SEGMENTS[s] for s in segments]
    assert [seen.segments for seen in server.requests] == [segments, segments[:1], segments[1:]]
    assert sleeps == []
    assert any("translating its segments one by one" in note for note in engine.notes)


def test_malformed_segment_reply_gives_none(server: ChatServer, sleeps: list[float]) -> None:
    server.responder = lambda seen: chat("I cannot help with that.")
    segments = list(SEGMENTS)[:2]
    assert _engine(server, sleeps).translate(segments, ZH, "en") == [None, None]
    assert len(server.requests) == 3


def test_fenced_reply_with_prose(server: ChatServer, sleeps: list[float]) -> None:
    segments = list(SEGMENTS)[:2]
    content = (
        "Here are the translations:\n```json\n"
        + json.dumps([SEGMENTS[s] for s in segments])
        + "\n```\nLet me know if you need more."
    )
    server.responder = lambda seen: chat(content)
    assert _engine(server, sleeps).translate(segments, ZH, "en") == [SEGMENTS[s] for s in segments]
    assert len(server.requests) == 1


def test_translation_that_drops_a_number_or_name_is_none(
    server: ChatServer, sleeps: list[float]
) -> None:
    segments = list(SEGMENTS)
    server.translating(
        {
            segments[0]: "Kung Ming-hsin arrived in Washington, D.C. in late January",  # no 27
            segments[1]: "Securing the AI supply chain",
            segments[2]: "Helberg said 6G cooperation would be promoted",  # no "Jacob Helberg"
        }
    )
    engine = _engine(server, sleeps)
    assert engine.translate(segments, ZH, "en") == [None, "Securing the AI supply chain", None]
    assert len(server.requests) == 1
    assert sum("discarded" in note for note in engine.notes) == 2


def test_termbase_names_are_enforced(server: ChatServer, sleeps: list[float]) -> None:
    source = "龔明鑫於1月27日抵達華府"
    server.translating({source: "Gong Mingxin arrived in Washington on January 27"})
    assert _engine(server, sleeps, termbase=_termbase()).translate([source], ZH, "en") == [None]


# ---------------------------------------------------------------------------------------
# End to end through the translate stage
# ---------------------------------------------------------------------------------------


def test_translate_stage_with_engine(server: ChatServer, sleeps: list[float]) -> None:
    good, bad = "確保AI供應鏈的安全", "第6屆對話於1月27日舉行"
    server.translating(
        {good: "Securing the AI supply chain", bad: "The dialogue was held on January 27"}
    )
    brief = Brief(
        source=SourceInfo(language=ZH),
        items=[AgendaItem(number=1, title=Text.of(good, ZH)), AgendaItem(number=2, title=bad)],
    )
    engine = _engine(server, sleeps)

    result, report = translate(brief, ["en"], [], engine)

    first, second = (item.title for item in result.items)
    assert first.get("en") == "Securing the AI supply chain"
    assert first.how("en") == Via.ENGINE
    assert first.ref["en"] == f"openai:{MODEL}"
    assert second.get("en") == bad
    assert second.how("en") == Via.UNTRANSLATED
    assert report.untranslated == {"en": [bad]}
    assert report.counts == {"engine": 1, "untranslated": 1}
    assert [seen.segments for seen in server.requests] == [[good, bad]]


# ---------------------------------------------------------------------------------------
# check_translation and parse_translations
# ---------------------------------------------------------------------------------------

CHECKS = [
    # zh -> en: numbers, dates (numbers only), Latin names and acronyms
    ("雙方於1月27日舉行第6屆EPPD", "The two sides held the 6th EPPD on January 27", True),
    ("雙方於1月27日舉行第6屆EPPD", "The two sides held the 6th EPPD on Jan. 27", True),
    ("雙方於1月27日舉行第6屆EPPD", "The two sides held the sixth EPPD on January 27", False),
    ("雙方於1月27日舉行第6屆EPPD", "The two sides held the 6th EPPD on February 27", False),
    ("雙方於1月27日舉行第6屆EPPD", "The two sides held the 6th dialogue on January 27", False),
    ("雙方於1月27日舉行第6屆EPPD", "The two sides held the 6th EPPD on January 28", False),
    ("海柏格（Jacob Helberg）表示AI與6G", "Jacob Helberg spoke about AI and 6G", True),
    ("海柏格（Jacob Helberg）表示AI與6G", "Helberg spoke about AI and 6G", False),
    ("海柏格（Jacob Helberg）表示AI與6G", "Jacob Helberg spoke about AI and 5G", False),
    ("海柏格（Jacob Helberg）表示AI與6G", "Jacob Helberg said more", False),
    ("確保AI供應鏈", "Securing the supply chain, as he said", False),  # "ai" in "said"
    ("成長2.5%", "grew 2.5%", True),
    ("成長2.5%", "grew 25%", False),
    ("投資新台幣1,000萬元", "an investment of NT$10 million", True),
    ("投資新台幣1,000萬元", "an investment of NT$10,000,000", True),
    ("投資10億美元", "an investment of US$1 billion", True),
    ("投資10億美元", "an investment of US$10 billion", False),
    ("中華民國115年1月28日", "January 28, 2026", True),
    ("2026/1/28", "January 28, 2026", True),
    ("雙方同意", "雙方 agreed", False),  # Han left in the English
    ("雙方同意", "", False),
]


@pytest.mark.parametrize(("source", "target", "ok"), CHECKS)
def test_check_zh_to_en(source: str, target: str, ok: bool) -> None:
    assert check_translation(source, target, ZH, "en") is ok


CHECKS_EN = [
    ("The EPPD met on January 27, 2026 to discuss AI.", "EPPD於2026年1月27日開會討論AI。", True),
    ("The EPPD met on January 27, 2026 to discuss AI.", "EPPD於1月27日開會討論AI。", False),
    ("The EPPD met on January 27, 2026 to discuss AI.", "EPPD於2026年2月27日開會討論AI。", False),
    ("The EPPD met on January 27, 2026 to discuss AI.", "雙方於2026年1月27日開會討論AI。", False),
    ("The EPPD met on 27 January 2026.", "EPPD於中華民國115年1月27日舉行。", True),
    ("The US and the EU may cooperate on 6G.", "美國與歐盟可能在6G合作。", True),
    ("The US and the EU may cooperate on 6G.", "美國與歐盟可能在次世代通訊合作。", False),
    ("They invested US$5 million.", "他們投資500萬美元。", True),
    ("Talks resume in mid-January.", "會談將於1月中旬恢復。", True),
    ("Talks resume in mid-January.", "會談將於近期恢復。", False),
    ("The two sides agreed.", "The two sides agreed.", False),  # not Chinese
    ("EPPD", "EPPD", True),
]


@pytest.mark.parametrize(("source", "target", "ok"), CHECKS_EN)
def test_check_en_to_zh(source: str, target: str, ok: bool) -> None:
    assert check_translation(source, target, "en", ZH) is ok


def test_check_with_termbase() -> None:
    tb = _termbase()
    assert check_translation("龔明鑫表示", "Kung Ming-hsin said", ZH, "en", tb)
    assert not check_translation("龔明鑫表示", "Gong Mingxin said", ZH, "en", tb)
    assert check_translation("Kung Ming-hsin said", "龔明鑫表示", "en", ZH, tb)
    assert not check_translation("Kung Ming-hsin said", "龔部長表示", "en", ZH, tb)
    # An acronym the termbase knows may come out in its Chinese form.
    source, target = "The EPPD met.", "經濟繁榮夥伴對話舉行會議。"
    assert check_translation(source, target, "en", ZH, tb)
    assert not check_translation(source, target, "en", ZH)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('["a", "b"]', ["a", "b"]),
        ('```json\n["a", "b"]\n```', ["a", "b"]),
        ('Sure! Here you go:\n```\n["a"]\n```\nAnything else?', ["a"]),
        ('The translations are ["a", "b"] as requested.', ["a", "b"]),
        ('Note [1] first. ["a"]', ["a"]),
        ('<think>maybe ["x", "y"]</think>\n["a"]', ["a"]),
        ('{"translations": ["a", "b"]}', ["a", "b"]),
        ('["a", null, "  "]', ["a", None, None]),
        ('["2026"]', ["2026"]),
        ("[2026]", ["2026"]),
        ("Securing the AI supply chain", None),
        ('["a", ', None),
        ('[{"text": "a"}]', None),
        ("", None),
    ],
)
def test_parse_translations(content: str, expected: list[str | None] | None) -> None:
    assert parse_translations(content) == expected


# ---------------------------------------------------------------------------------------
# The factory and Argos
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [None, "none", " None "])
def test_make_engine_none(kind: str | None) -> None:
    assert make_engine(EngineSettings(kind, None, None, "BRIEFGEN_ENGINE_KEY", 30), None) is None


def test_make_engine_openai_reads_key_from_environment(
    server: ChatServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_BRIEFGEN_KEY", "from-env")
    server.translating(SEGMENTS)
    settings = EngineSettings("openai", server.url, MODEL, "TEST_BRIEFGEN_KEY", 5)
    engine = make_engine(settings, _termbase())
    assert isinstance(engine, OpenAIEngine)
    assert engine.name == f"openai:{MODEL}"
    assert engine.timeout == 5
    engine.translate(["確保AI供應鏈的安全"], ZH, "en")
    assert server.requests[0].headers["Authorization"] == "Bearer from-env"


def test_make_engine_openai_without_key(
    server: ChatServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRIEFGEN_ENGINE_KEY", raising=False)
    server.translating(SEGMENTS)
    engine = make_engine(
        EngineSettings("openai", server.url, MODEL, "BRIEFGEN_ENGINE_KEY", 5), None
    )
    assert engine is not None
    engine.translate(["確保AI供應鏈的安全"], ZH, "en")
    assert "Authorization" not in server.requests[0].headers


@pytest.mark.parametrize(
    ("url", "model", "message"),
    [
        (None, MODEL, "translation engine 'openai' needs a URL"),
        ("  ", MODEL, "translation engine 'openai' needs a URL"),
        ("http://127.0.0.1:11434", None, "translation engine 'openai' needs a model name"),
        ("http://127.0.0.1:11434", "", "translation engine 'openai' needs a model name"),
    ],
)
def test_make_engine_openai_needs_url_and_model(
    url: str | None, model: str | None, message: str
) -> None:
    with pytest.raises(BriefgenError, match=message):
        make_engine(EngineSettings("openai", url, model, "BRIEFGEN_ENGINE_KEY", 30), None)


def test_make_engine_unknown_kind() -> None:
    with pytest.raises(BriefgenError) as info:
        make_engine(EngineSettings("deepl", None, None, "BRIEFGEN_ENGINE_KEY", 30), None)
    assert str(info.value) == (
        "unknown translation engine 'deepl' (choose from: none, openai, argos)"
    )


def test_argos_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "argostranslate", None)  # import fails
    message = "argos engine: argostranslate is not installed (pip install 'briefgen[argos]')"
    with pytest.raises(BriefgenError) as info:
        ArgosEngine()
    assert str(info.value) == message
    with pytest.raises(BriefgenError) as info:
        make_engine(EngineSettings("argos", None, None, "BRIEFGEN_ENGINE_KEY", 30), None)
    assert str(info.value) == message


class _FakeLanguage:
    def __init__(self, code: str, table: dict[str, dict[str, str]]) -> None:
        self.code = code
        self.table = table

    def get_translation(self, other: _FakeLanguage) -> Any:
        pairs = self.table.get(f"{self.code}>{other.code}")
        if pairs is None:
            return None
        return types.SimpleNamespace(translate=lambda text: pairs.get(text, text))


def _fake_argos(monkeypatch: pytest.MonkeyPatch, codes: list[str], table: dict) -> None:
    package = types.ModuleType("argostranslate")
    module = types.ModuleType("argostranslate.translate")
    module.get_installed_languages = lambda: [_FakeLanguage(c, table) for c in codes]  # type: ignore[attr-defined]
    package.translate = module  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "argostranslate", package)
    monkeypatch.setitem(sys.modules, "argostranslate.translate", module)


def test_argos_without_a_model(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_argos(monkeypatch, ["en", "fr"], {"en>fr": {}})
    with pytest.raises(BriefgenError, match=r"^argos engine: no zh→en model installed"):
        ArgosEngine()


def test_argos_translates_with_an_installed_model(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_argos(
        monkeypatch,
        ["zh", "en"],
        {"zh>en": {"確保AI供應鏈的安全": "Ensure AI supply chain security", "第6屆": "Sixth"}},
    )
    engine = ArgosEngine()
    assert engine.name == "argos"
    assert engine.translate(["確保AI供應鏈的安全", "第6屆", ""], ZH, "en") == [
        "Ensure AI supply chain security",
        None,  # dropped the 6
        None,
    ]
    assert engine.translate(["Securing AI"], "en", ZH) == [None]  # no en→zh model
