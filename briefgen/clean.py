"""clean: ``Source`` -> ``Source`` without page furniture.

Removes what a news page wraps around an article — advertising lines, "more news" and
"related articles" blocks with their headlines, source and copyright lines, photo
captions, share prompts, the dateline/byline — by pattern and position, never by knowing
an article. What it learns from that furniture (dateline, headline, outlet) goes into
``Source.hints`` for the extract stage.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .ingest import Source
from .lazyre import lazy

_AD_RE = re.compile(
    r"^(?:(?:廣告|广告|ADVERTISEMENT|Advertisement|AD)\s*)+$"
    r"|^我是廣告\s*請繼續往下閱讀$|^(?:請|请)繼續往下閱讀$|^(?:贊助|Sponsored)(?:內容)?$"
)
# 原文出處：快新聞／標題   or   資料來源：…
_ORIGINAL_RE = re.compile(r"^(?:原文出處|原文出处|原文連結|資料來源|新聞來源)\s*[:：]\s*(.+)$")
# 更多民視新聞報導 / 更多 TVBS 新聞 / 延伸閱讀 / 相關新聞 / Related articles
_MORE_RE = re.compile(
    r"^(?:更多\s*(?P<outlet>.+?)\s*(?:報導|新聞|文章)|延伸閱讀|相關新聞|相關報導|推薦閱讀|看更多|"
    r"Related(?: articles| stories| news)?|Read more|More from .+)\s*[:：]?$",
    re.I,
)
_COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)\s*\d{4}|版權所有|版权所有|版權均屬|版权均属|著作權所有|All rights reserved|"
    r"未經.{0,40}?(?:授權|許可).{0,20}?(?:轉載|摘編|使用)|未经.{0,40}?(?:授权|许可).{0,20}?(?:转载|摘编|使用))",
    re.I,
)
_CAPTION_RE = re.compile(r"^(?:▲|▼|△|（圖|\(圖|圖／|圖/|圖：|照片／|照片：|圖片來源|Photo:|Image:)")
_SHARE_RE = re.compile(
    r"^(?:分享|分享至|加入好友|追蹤我們|訂閱|點我看更多|按讚|Share|Follow us|Subscribe)"
    r"(?:\s*\S{0,12})?$",
    re.I,
)
# " date 2026-01-28 即時中心／顏一軒報導", "2024/10/24 中央社記者…報導", "（中央社記者X台北28日電）"
_DATELINE_RE = re.compile(
    r"^(?:date\s+)?(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日|中華民國\d+年\d+月\d+日)"
    r"(?:\s*\d{1,2}:\d{2})?(?:\s+.*)?$",
    re.I,
)
_DATE_PREFIX_RE = re.compile(
    r"^\s*(?:date\s+)?(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s+",
    re.I,
)
# Cookie, privacy, archive, subscription, ".gov website" and text-to-speech banners and
# the page's own navigation words: never article text.
_BANNER_RE = lazy(
    r"\bcookies?\b|privacy (?:policy|notice|settings|statement)|\.gov website|"
    r"official website of the United States|Here['’]s how you know|archived (?:web)?page|"
    r"NOT UPDATED|external links may not function|You are subscribed to|subscribe to our|"
    r"enable JavaScript|JavaScript is disabled|text[- ]to[- ]speech|Listen to (?:this )?article|"
    r"This information has recently been updated|Skip to (?:main )?content|"
    r"隱私權政策|隐私政策|使用\s*Cookie|語音朗讀|语音朗读|朗讀本文|聽新聞|立刻下載|下載.{0,8}APP|"
    r"開啟\s*APP|打开\s*APP",
    re.I,
)
#: Banners are furniture only near the top or the bottom of a page, and short.
EDGE_TOP = 8
EDGE_BOTTOM = 3
MAX_BANNER = 600
DATE_LINE_REST = 24  # with a label (发布时间, 來源, Published …)
DATE_LINE_BARE = 6  # without one: "November 4, 2022", 商务部2021-8-27
_DATE_LABEL_RE = re.compile(
    r"发布|發布|更新|時間|时间|日期|来源|來源|Published|Updated|Posted|Date|Source", re.I
)
# What a date line holds besides its date: digits, separators, labels, a source.
_DATE_LINE_REST_RE = lazy(
    r"\d+|[年月日/:：.\-,，\s•·()（）]|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r"|AM|PM|EDT|EST|UTC|GMT|发布时间|發布時間|发布日期|發布日期|发布单位|發布單位|更新時間|更新时间|"
    r"時間|时间|日期|来源|來源|阅读|閱讀|次|Published|Updated|Posted|Date|Source",
    re.I,
)
_DATA_RE = re.compile(r"^\s*[{\[].*[}\]]\s*$")  # a JSON fragment of the page
_BYLINE_RE = lazy(
    r"^[^。，]{1,24}[／/][^。，]{1,16}(?:報導|报道|撰稿|編譯)$"
    r"|^By\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:,\s*[\w .'-]{2,40})?$"
    r"|^[A-Z][A-Z .]{2,30},\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}\s*[—–-]?$"
)


def clean(source: Source) -> Source:
    """Drop furniture paragraphs; return a new Source with ``hints`` and ``removed`` set.

    The first short paragraphs may be a dateline/byline; a "more news" marker removes
    itself and every headline-like paragraph after it.
    """
    hints: dict[str, str] = dict(source.hints)
    kept: list[str] = []
    removed: list[str] = []
    in_more_block = False
    for index, para in enumerate(source.paragraphs):
        if in_more_block and _headline_like(para):
            removed.append(para)
            continue
        in_more_block = False
        prefix = _DATE_PREFIX_RE.match(para) if index < 3 and not kept else None
        if prefix and len(para) > prefix.end() and not _is_dateline(para):
            # A date line run into the first paragraph (" date 2025-10-14 經濟部長…"): the
            # date is furniture, the rest is the article.
            hints.setdefault("dateline", prefix.group().strip())
            para = para[prefix.end() :]
        if index < 3 and (not kept or _BYLINE_RE.match(para)) and _is_dateline(para):
            key = "dateline" if _DATELINE_RE.match(para) else "byline"
            hints.setdefault(key, para)
            removed.append(para)
            continue
        more = _MORE_RE.match(para)
        if more:
            if more.group("outlet"):
                hints.setdefault("outlet", more.group("outlet"))
            in_more_block = True
            removed.append(para)
            continue
        original = _ORIGINAL_RE.match(para)
        if original:
            _original_hints(original.group(1), hints)
            removed.append(para)
            continue
        edge = index < EDGE_TOP or index >= len(source.paragraphs) - EDGE_BOTTOM
        if edge and _is_date_line(para):
            # 发布时间:2024-10-31 18:27:07 来源: …, "November 4, 2022", 商务部2021-8-27
            if index < EDGE_TOP:
                hints.setdefault("dateline", para)
            removed.append(para)
            continue
        if (
            _AD_RE.match(para)
            or _CAPTION_RE.match(para)
            or _SHARE_RE.match(para)
            or (_COPYRIGHT_RE.search(para) and (len(para) < 80 or edge))
            or (edge and len(para) <= MAX_BANNER and _BANNER_RE.search(para))
            or _DATA_RE.match(para)
        ):
            removed.append(para)
            continue
        kept.append(para)
    return replace(source, paragraphs=tuple(kept), hints=hints, removed=tuple(removed))


def _is_date_line(para: str) -> bool:
    """A line that is a date with at most a label, a time and a source: not article text."""
    if len(para) > 80 or para.rstrip().endswith(("。", ".")):
        return False
    from .extract.dates import parse_dateline

    if parse_dateline(para) is None:
        return False
    rest = len(_DATE_LINE_REST_RE.sub("", para))
    return rest <= (DATE_LINE_REST if _DATE_LABEL_RE.search(para) else DATE_LINE_BARE)


def _is_dateline(para: str) -> bool:
    return len(para) <= 60 and bool(_DATELINE_RE.match(para) or _BYLINE_RE.match(para))


def _headline_like(para: str) -> bool:
    """A related-story headline: short, and not a sentence of the article (headlines may
    end in ？ or ！, article sentences end in 。)."""
    return len(para) <= 60 and not para.endswith(("。", "."))


def _original_hints(value: str, hints: dict[str, str]) -> None:
    """``快新聞／標題`` -> column and headline; a URL or plain name -> original."""
    value = value.strip()
    parts = re.split(r"[／/]", value, maxsplit=1)
    if len(parts) == 2 and not value.startswith("http") and len(parts[0]) <= 12:
        hints.setdefault("column", parts[0].strip())
        hints.setdefault("headline", parts[1].strip())
    else:
        hints.setdefault("original", value)
