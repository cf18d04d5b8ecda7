"""Bilingual pairs the article gives itself: 「矽和平宣言」（Pax Silica Declaration）,
海柏格（Jacob Helberg）, 美國無人機產業協會（AUVSI）."""

from __future__ import annotations

import re
from collections.abc import Iterable

_LATIN_GLOSS = r"[（(](?P<en>(?:the |The )?[A-Za-z][A-Za-z0-9 .,'&/\-，]{0,150}?)[）)]"
_QUOTED_RE = re.compile(r"[「『《](?P<zh>[^「」『』《》]{1,60})[」』》]\s*" + _LATIN_GLOSS)
_PLAIN_RE = re.compile(r"(?P<run>[^，。、；：「」『』《》（）()\n]{1,60}?)\s*" + _LATIN_GLOSS)
_BOUNDARY_RE = re.compile(r".*(?:簽署|包括|指出|表示|與|在|的|就|對|為|是|將|並|於|由|向|和)")
_TITLE_RE = re.compile(
    r".*(?:部長|次長|院長|主委|大使|代表|處長|次卿|國務卿|總統|主席|執行長|董事長)"
)
_HAN_RE = re.compile(r"[\u3400-\u9fff]")


def harvest(paragraphs: Iterable[str], known: Iterable[str] = ()) -> dict[str, str]:
    """``{Chinese term: English gloss}`` for every bracketed Latin gloss that follows a
    Chinese term. An abbreviation after a comma (``…Dialogue，EPPD``) is dropped from the
    name; a leading "the" is dropped too. Where the term is not quoted, a ``known`` term
    (e.g. from the termbase) that ends the text before the bracket is taken whole;
    otherwise the term starts after the last function word (與, 在, 的 …)."""
    known_terms = sorted(set(known), key=len, reverse=True)
    pairs: dict[str, str] = {}
    for para in paragraphs:
        for m in _QUOTED_RE.finditer(para):
            _add(pairs, m.group("zh"), m.group("en"))
        for m in _PLAIN_RE.finditer(para):
            run = m.group("run")
            if para[m.start("run") - 1 : m.start("run")] in "」』》" and m.start("run") > 0:
                continue
            whole = next((k for k in known_terms if run.rstrip().endswith(k)), None)
            zh = whole or _BOUNDARY_RE.sub("", run)
            zh = zh if whole else (_TITLE_RE.sub("", zh) or zh)
            if len(zh.strip()) < 2:
                zh = run if len(run.strip()) <= 12 else ""
            if _HAN_RE.search(zh):
                _add(pairs, zh, m.group("en"))
    return pairs


def _add(pairs: dict[str, str], zh: str, en: str) -> None:
    zh = zh.strip()
    en = re.split(r"\s*[，,]\s*(?=[A-Z0-9&-]{2,10}$)", en.strip())[0]
    en = re.sub(r"^the\s+", "", en.strip(), flags=re.I).strip()
    if zh and en and _HAN_RE.search(zh):
        pairs.setdefault(zh, _with_latin_lead(zh, en))


_LATIN_LEAD_RE = re.compile(r"^(?P<lead>[A-Za-z0-9][A-Za-z0-9 .&/-]*?)\s*(?=[\u3400-\u9fff])")


def _with_latin_lead(zh: str, en: str) -> str:
    """The gloss with the Latin words that open the Chinese name put back when the gloss
    leaves them out: 「Green UAS授權評鑑及服務協議契約」（Assessor License and Services
    Agreement） is the "Green UAS Assessor License and Services Agreement"."""
    lead = _LATIN_LEAD_RE.match(zh)
    if not lead or lead.group("lead").strip().casefold() in en.casefold():
        return en
    return f"{lead.group('lead').strip()} {en}"
