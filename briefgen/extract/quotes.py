"""Quotations with their speaker: 美國國務院盛讚台灣是「關鍵的夥伴」, 外交部表示：「…」,
"…," said the Under Secretary. Only sentences that name who said it count. Each quotation
also keeps what it was said about (台灣, in 盛讚台灣是「…」) and the channel the article
has it through (《路透社》…指出, 據路透社報導, "according to Reuters")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lazyre import Regex, lazy
from ..translate.termbase import Termbase
from .text import sentence_spans, sentence_start

_SPEECH = r"(?:表示|指出|說|說明|強調|盛讚|認為|回應|重申|宣布|稱|肯定|感謝|提到)"
_ZH_QUOTE_RE = lazy(rf"(?P<verb>{_SPEECH})[^「」。]{{0,30}}?「(?P<quote>[^「」]{{2,200}})」")
_EN_SPEAKER = r"(?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,5}"
_EN_SAID = r"(?:said|says|added|noted|stressed)"
# "…," said the Minister — matched at an opening quotation mark.
_EN_QUOTE_FIRST_RE = lazy(
    rf"[\"“](?P<quote>[^\"”]{{8,300}})[\"”],?\s+{_EN_SAID}\s+(?P<speaker>{_EN_SPEAKER})"
)
# The Minister said, "…" — the speaker read back from an opening quotation mark, in a
# bounded window, so text without quotation marks (or in capitals) costs nothing.
_EN_SPEAKER_FIRST_RE = lazy(rf"(?P<speaker>{_EN_SPEAKER})\s+{_EN_SAID}(?:\s+that)?,?\s+\Z")
_EN_QUOTE_BODY_RE = lazy(r"[\"“](?P<quote>[^\"”]{8,300})[\"”]")
_EN_OPENING_RE = re.compile(r"[\"“]")
#: How far before a quotation its speaker and verb are looked for.
_SPEAKER_WINDOW = 160


@dataclass(frozen=True)
class Quote:
    """A quotation, its speaker, and where the quotation is (paragraph, start, end)."""

    text: str
    speaker: str
    para: int
    start: int
    end: int
    #: The sentence the quotation is in: ``(start, end)`` in the paragraph.
    sentence: tuple[int, int] = (0, 0)
    about: str | None = None
    channel: str | None = None


# What a quotation is said about: the words between the verb and the quotation, less the
# copula (盛讚台灣是「…」, 稱美方為「…」).
_ABOUT_RE = lazy(r"^\s*(?P<about>[^，,：:「」。]{1,12}?)\s*(?:是|為|为|乃)\s*$")
_ZH_CHANNEL_RE = lazy(
    r"《(?P<a>[^《》]{1,20})》|據(?P<b>[^，,。「」]{2,16}?)(?:報導|报道|引述|指出)|"
    r"(?P<c>[^，,。「」\s]{2,12}?)(?:報導|报道)(?:指出|稱|称)"
)
_EN_CHANNEL_RE = lazy(
    r"\baccording to (?P<a>(?:the )?[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3})|"
    r"(?P<b>[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3}) (?:reported|reports)\b"
)


def _english_quotes(sentence: str) -> list[tuple[re.Match[str], str]]:
    """Attributed quotations of an English sentence, left to right, each with its
    speaker: ``"…," said X`` or ``X said, "…"``. Only opening quotation marks are tried,
    and the speaker is looked for in a bounded window before one, so the time is linear
    in the sentence."""
    found: list[tuple[re.Match[str], str]] = []
    done = 0
    for mark in _EN_OPENING_RE.finditer(sentence):
        at = mark.start()
        if at < done:
            continue
        after = _EN_QUOTE_FIRST_RE.match(sentence, at)
        if after:
            found.append((after, after.group("speaker").strip()))
            done = after.end()
            continue
        body = _EN_QUOTE_BODY_RE.match(sentence, at)
        if not body:
            continue
        window = sentence[max(done, at - _SPEAKER_WINDOW) : at]
        before = _EN_SPEAKER_FIRST_RE.search(window)
        if before:
            found.append((body, before.group("speaker").strip()))
            done = body.end()
    return found


def _channel(rx: Regex, before: str) -> str | None:
    m = rx.search(before)
    if not m:
        return None
    return next(g for g in m.groups() if g).strip().rstrip(".,;:")


def find_quotes(paragraphs: tuple[str, ...], termbase: Termbase, lang: str) -> list[Quote]:
    """Attributed quotations in order. A Chinese speaker is the organisation, person or
    actor named nearest before the speech verb in the same sentence."""
    found: list[Quote] = []
    for index, para in enumerate(paragraphs):
        for s_start, s_end in sentence_spans(para):
            sentence = para[s_start:s_end]
            if lang == "en":
                for quote, speaker in _english_quotes(sentence):
                    start = s_start + quote.start("quote")
                    found.append(
                        Quote(
                            quote.group("quote"),
                            speaker,
                            index,
                            start,
                            start + len(quote.group("quote")),
                            (s_start, s_end),
                            channel=_channel(_EN_CHANNEL_RE, sentence),
                        )
                    )
                continue
            for m in _ZH_QUOTE_RE.finditer(sentence):
                before = sentence[: m.start("verb")]
                names = termbase.find(before, "org", "person", "actor")
                if not names:
                    continue
                speaker = names[-1][2].zh
                start = s_start + m.start("quote")
                about = _ABOUT_RE.match(sentence[m.end("verb") : m.start("quote") - 1])
                found.append(
                    Quote(
                        m.group("quote"),
                        speaker,
                        index,
                        start,
                        start + len(m.group("quote")),
                        (s_start, s_end),
                        about=about.group("about") if about else None,
                        channel=_channel(_ZH_CHANNEL_RE, before[: names[-1][0]]),
                    )
                )
    return found


_ZH_VOICED_RE = lazy(rf"{_SPEECH}[^，,。；;「」]{{0,12}}[，,：:]?\s*$")
_EN_VOICED_RE = lazy(
    r"(?P<speaker>(?:the\s+)?[A-Z][\w.'-]*(?:\s+(?:of\s+)?[A-Z][\w.'-]*){0,6})\s+"
    r"(?:said|says|noted|stated|announced|added)(?:\s+that)?,?\s*$"
)


def voiced_by(para: str, at: int, termbase: Termbase, lang: str) -> str | None:
    """Who, in the sentence before position ``at``, is said to have voiced what follows:
    「外交部今（28）日回應，台美雙方均認為…」 gives 外交部 (the organisation or person named
    nearest before the speech verb); "The ministry said that both sides…" gives "The
    ministry". None when the sentence does not attribute it."""
    before = para[sentence_start(para, at) : at]
    if lang == "en":
        m = _EN_VOICED_RE.search(before)
        return m.group("speaker") if m else None
    verb = _ZH_VOICED_RE.search(before)
    if not verb:
        return None
    names = termbase.find(before[: verb.start()], "org", "person")
    return names[-1][2].zh if names else None
