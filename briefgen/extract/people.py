"""People in Chinese readouts: a model of names and titles, and who took part.

A person is found where a title anchors a name — the way Chinese readouts write officials:

- title then name: 經濟部長龔明鑫, 美國商務部代理助理部長Ian Steff, 總司長彼得‧歐榷可;
- organisation, name, title: 巴拉圭工商部西梅內斯部長, 駐美代表處俞大㵢大使;
- a title wrapped around the name: 美國貿易代表葛里爾（Jamieson Greer）大使 (the title is
  the two parts joined: 美國貿易代表大使);
- titles joined by 、 before one name: 中共中央政治局常委、國務院副總理丁薛祥.

A name is a Chinese name — a surname from the inventory below (single or double) and a
given name of one or two characters — or a transliterated foreign name (2–8 characters
that transliterations use, parts joined by ‧ or ·, often glossed in Latin script), or a
Latin-script name (Sabine Weyand, Jose Rene D. Almendras). Its end is found against the
words that follow names (與, 在, 表示, 日前 …), never by a fixed character window.

Only people who took part are participants: those named in a sentence that says the
meeting happened with them (主持, 舉行, 出席, 簽署, 會談, 率團, 會中 …), outside a clause
about meeting someone separately (會見, 拜會). Once a person is known by full name, later
references by a name's tail (阿爾巴尼斯 for 安東尼·阿爾巴尼斯, Jaros) count too.

Patterns are written in Traditional characters; Simplified text is read through its
OpenCC conversion (see ``extract``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from ..lazyre import Regex, lazy
from .text import CN_NUMERAL, bracket_depths, sentence_spans

#: Common single-character surnames (Traditional), from the 百家姓 and Taiwan's and the
#: mainland's most frequent family names.
SINGLE_SURNAMES = frozenset(
    "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董袁潘于蔣蔡余杜葉"
    "程蘇魏呂丁任沈姚盧姜崔鍾譚陸汪范金石廖賈夏韋付方白鄒孟熊秦邱江尹薛閆段雷侯龍史陶黎賀顧"
    "毛郝龔邵萬錢嚴覃武戴莫孔向湯常溫康施文牛樊葛邢安齊易喬伍龐顏倪莊聶章魯岳翟殷詹申歐耿關"
    "蘭焦俞左柳甘祝包寧尚符舒阮柯紀梅童凌畢單季裴霍涂成苗谷盛曲翁冉駱藍路游辛靳管柴蒙鮑華喻"
    "祁蒲房滕屈饒解牟艾尤陽時穆農司卓古吉繆簡車項連麥褚婁竇戚岑景黨宮費卜冷晏席衛米柏宗瞿桂"
    "全佟應臧閔苟鄔邊卞姬師仇欒隋商刁沙榮巫寇桑郎甄叢仲虞敖鞏明佘池查麻苑遲鄺官封談匡鞠惠"
    "荊樂冀郁胥南班儲原栗燕楚鄢勞諶奚皮粟冼藺樓盤滿聞位厲伊仝區郜海闞花權強帥屠豆朴蓋練廉禹"
    "井祖漆巴豐支卿國狄平計索宣晉相初門雲容敬來扈晁芮都普闕浦戈伏鹿薄邸雍辜羊烏母裘亓修邰赫"
    "杭況那宿鮮印逯隆茹諸戰慕危玉銀亢嵇公哈湛賓戎勾茅利呼居揭干但尉冶斯元束檀衣信展陰昝智"
    "幸奉植衡富堯由酈殳鄂賴涂塗洪游邵傅卓呂廖鄞"
)
#: Double (compound) surnames, including Taiwan's joined family names.
DOUBLE_SURNAMES = frozenset(
    (
        "歐陽", "司馬", "上官", "諸葛", "東方", "皇甫", "尉遲", "公孫", "慕容", "長孫", "宇文",
        "司徒", "令狐", "夏侯", "軒轅", "鍾離", "端木", "范姜", "張簡", "張廖", "簡張", "周黃",
        "徐辜",
    )
)  # fmt: skip
#: Characters transliterations of foreign names are made of (Traditional).
TRANSLITERATION = frozenset(
    "阿艾愛安奧澳巴拜班邦寶貝本比彼畢波伯博布查達戴丹道德迪狄蒂丁杜多厄恩法凡范菲費芬佛弗福夫"
    "蓋甘岡高戈格葛古圭哈海漢豪赫亨洪胡華霍基吉加賈簡傑捷金卡凱坎康柯科克肯庫奎拉萊蘭朗勞雷蕾"
    "黎李里利莉林琳露魯倫羅洛呂瑪馬邁麥曼梅美門蒙米密敏莫姆穆納奈南內尼涅紐諾歐帕潘佩彭皮普齊"
    "奇喬切琴丘瑞薩塞桑森沙莎山尚舍施史什斯松蘇索塔泰坦湯唐特提圖托瓦萬威韋維溫沃烏伍西希席夏"
    "謝辛休許雅亞揚耶伊依英尤約詹澤扎札珍茲佐舒京爾盧貝爾倪傑艾偉敦杰娜妮絲麗蒂茨斐羅夫諾娃雷"
    "姆德琪芙奧柏頓遜曼迪吉洛雪莉賓爵翰喬治拿破崙"
)
_SEPARATORS = "‧·・•．"

#: Official titles, the words a title phrase ends in (Traditional; matched longest first).
TITLE_WORDS = sorted(
    {
        "總理", "副總理", "首相", "副首相", "總統", "副總統", "主席", "副主席", "國務卿",
        "副國務卿", "次卿", "助卿", "副助卿", "部長", "副部長", "次長", "政務次長", "常務次長",
        "主任秘書", "署長", "副署長", "總署長", "司長", "副司長", "總司長", "局長", "副局長",
        "處長", "副處長", "院長", "副院長", "主委", "副主委", "主任委員", "副主任委員", "主任",
        "副主任", "大使", "副大使", "代表", "副代表", "總談判代表", "首席談判代表", "貿易代表",
        "副貿易代表", "談判代表", "執行理事", "理事主席", "理事長", "董事長", "副董事長",
        "總經理", "執行長", "會長", "副會長", "秘書長", "副秘書長", "牽頭人", "常委", "資政",
        "國務資政", "總裁", "副總裁", "外長", "外相", "財長", "大臣", "副大臣", "政務官", "特使",
        "特別代表", "部長助理", "助理部長", "參事", "顧問", "發言人", "議長", "副議長", "市長",
        "州長", "省長", "總督", "書記", "總書記", "委員長", "政委", "團長", "副團長", "組長",
        "總監", "協調官", "審議官", "常任秘書", "次官", "事務次官", "參贊", "公使", "領事",
        "總領事", "專員", "委員", "召集人", "主持人", "總幹事", "董事", "理事", "代辦",
        "臨時代辦", "政次", "常次",
    },
    key=len,
    reverse=True,
)  # fmt: skip
_TITLE_WORD_RE = lazy("|".join(TITLE_WORDS))
#: What ends an organisation's name: a title word followed by one of these is part of a
#: name (代表處, 貿易代表署, 總統府, 部長會議), not a title.
_ORG_END = "部署處局院會府團廳館室所司組社委辦"
_ORG_SUFFIX_RE = lazy(
    r"(?:總部|辦公室|代表處|辦事處|協會|委員會|政府|大使館|領事館|公司|銀行|基金會|研究院|大學|"
    rf"中心|[{_ORG_END}]|[A-Z]{{2,}}|[（(][A-Z][A-Z &.-]{{1,20}}[）)])$"
)
#: Words that cannot be (part of) a person's name.
_NOT_NAME_RE = lazy(
    r"代理|助理|政務|常務|執行|首席|資深|特別|主任|國際|經濟|貿易|合作|事務|發展|對外|內閣|"
    r"政府|國家|中央|[副總兼駐部署處局院會委員府]"
)
#: Where a title phrase starts, reading leftwards from its title word: these words end
#: the text before it.
_TITLE_LEFT_STOP_RE = lazy(
    r"(?:與|和|及|同|跟|由|並|為|是|在|於|于|對|向|讓|等|今|昨|也|亦|且|又|即|將|已|曾|均|皆|都|被|"
    r"把|給|率|率領|偕同|會同|包括|見證|共同|分別|會見|拜會|接見|表示|指出|說|以及|邀請|應|前往|"
    r"訪問|出席|參加|宣布|獲|依序為|會上|會中|會後|式中|式上|儀式|日前|今日|昨日|本日|當日|晚間|"
    r"上午|下午)$"
)
#: Protected words that contain a stop: 共和國, 在台協會.
_PROTECTED = ("共和", "在台", "在臺", "和平", "同盟", "發展和改革")
_LEADING_SIDE_RE = re.compile(r"^(?:美方|我方|中方|陸方|台方|臺方|日方|韓方|歐方|雙方|該|此)")
MAX_TITLE = 32
#: How far back the patterns anchored at a position's left look: every search is local,
#: so a long paragraph costs linear time.
_STOP_WINDOW = 12
_ORG_WINDOW = 30

#: What follows a name: a word or character that starts the rest of the sentence.
_NAME_STOP_CHARS = frozenset(
    "與和及同跟在於于今昨本等也亦均則曾已將並偕陪致赴應率表指說稱為是的對向就從自以而且又即我"
    "獲被把給共分首再還仍都皆各該此這其上下"
)
_NAME_STOP_WORDS = (
    "日前", "一行", "表示", "指出", "今天", "今日", "昨天", "昨日", "明天", "本月", "上午", "下午",
    "晚間", "先生", "女士", "率團", "邀請", "出席", "主持", "會見", "訪問", "致詞", "強調", "認為",
    "提到", "期間", "會談", "共同", "分別", "親臨", "閣下", "夫人", "博士", "教授",
)  # fmt: skip
_LATIN = r"[A-Za-z\u00c0-\u024f'’-]"
_LATIN_NAME_RE = lazy(
    rf"[A-Z]{_LATIN}*\.?(?:[ \u00a0]+(?:[A-Z]{_LATIN}*\.?|de|da|van|von|der|bin|al|del|la|le))*"
)
_GLOSS_RE = re.compile(r"\s*[（(]([A-Za-z][^（）()]{1,80})[）)]")
_COMPOSED_RE = lazy(r"[（(][\u4e00-\u9fff]{2}[）)]")  # 陳正(示其): a rare character, spelled

#: Verbs and phrases that put the people of a sentence at the meeting.
_TOOK_PART_RE = lazy(
    r"主持|舉行|召開|出席|與會|參加|率團|率領|簽署|簽訂|簽約|見證|會談|會晤|磋商|協商|"
    r"會上|會中|會後|席間|致詞|開幕|閉幕|發言(?!人)|率隊|會面|合影"
)
#: Verbs of a clause about meeting someone on the side: its people are not participants.
_MET_SEPARATELY_RE = lazy(r"會見|拜會|接見|拜訪|晤見|會晤了?(?=[^，,。]{0,12}(?:總統|總理))")
#: A clause about a dinner or a reception is a side event, whatever its verb (應邀參加…晚宴).
_SIDE_EVENT_RE = re.compile(r"晚宴|午宴|餐會|酒會|宴會|宴請|歡迎會")
_CLAUSE_RE = re.compile(r"[，,；;：:]")
# 他說，… / 龔明鑫表示，…: what follows is what a person said, not what happened.
_SAID_RE = re.compile(r"(?:說|表示|指出|強調|提到|認為|透露|坦言)")
_PRONOUN_RE = re.compile(r"(?:他|她|渠|他們|她們)$")
#: A former or late office holder (時任總理, 前總統) is not at today's meeting.
_FORMER_RE = lazy(r"時任|前任|已故|前(?=[\u4e00-\u9fff]{1,3}$)|前(?:總|副|部|院|主)")


@dataclass(frozen=True)
class Mention:
    """A person named in a paragraph: the name, its title (parts in order, joined), and
    offsets of each."""

    para: int
    name: str
    name_start: int
    name_end: int
    title: str | None = None
    title_parts: tuple[tuple[int, int], ...] = ()
    gloss: str | None = None


@dataclass
class Person:
    """Everything known of one person: the mention that names them best, and whether
    they took part."""

    best: Mention
    took_part: bool = False
    references: set[str] = field(default_factory=set)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "㵢"


def _translit_share(name: str) -> float:
    chars = [ch for ch in name if ch not in _SEPARATORS]
    return sum(ch in TRANSLITERATION for ch in chars) / len(chars) if chars else 0.0


def _surname_length(text: str) -> int:
    if text[:2] in DOUBLE_SURNAMES:
        return 2
    return 1 if text[:1] in SINGLE_SURNAMES else 0


def _han_run(para: str, start: int) -> int:
    """End of the run of Han characters (and name separators) that starts at ``start``,
    cut before a word that follows names."""
    end = start
    while end < len(para) and (_is_han(para[end]) or para[end] in _SEPARATORS):
        position = end - start
        closes_list_entry = position == 2 and para[end + 1 : end + 2] in ("", *"、，,。；;）)")
        if (
            position >= 2
            and not closes_list_entry
            and (
                para[end] in _NAME_STOP_CHARS
                or para.startswith(_NAME_STOP_WORDS, end)
                or _TITLE_WORD_RE.match(para, end)
            )
        ):
            break
        if position >= 1 and para[end] in "與和及在於的、":
            break
        end += 1
        if end - start >= 10:
            break
    return end


def name_at(para: str, start: int) -> tuple[int, int] | None:
    """The name that starts at ``start`` (right after a title), as ``(start, end)``."""
    while start < len(para) and para[start] in " \u00a0":
        start += 1
    if start >= len(para):
        return None
    if para[start].isascii() and para[start].isupper():
        m = _LATIN_NAME_RE.match(para, start)
        if m and len(m.group().split()) >= 2 and not _TITLE_WORD_RE.search(m.group()):
            return start, m.end()
        return None
    if para[start] in _NAME_STOP_CHARS and para[start] not in SINGLE_SURNAMES:
        return None
    end = _han_run(para, start)
    return _valid_name(para, start, end)


def _hard_stop(para: str, end: int) -> bool:
    """Whether a name may end at ``end``: the text ends, or punctuation, a word that
    follows names or a title comes next."""
    return (
        end >= len(para)
        or not _is_han(para[end])
        or para[end] in _NAME_STOP_CHARS
        or para.startswith(_NAME_STOP_WORDS, end)
        or bool(_TITLE_WORD_RE.match(para, end))
    )


def _valid_name(para: str, start: int, end: int, four: bool = True) -> tuple[int, int] | None:
    """The part of ``para[start:end]`` that is a name: a Chinese name (surname and a given
    name of one or two characters) or a transliteration; None when it is neither."""
    run = para[start:end]
    if len(run) < 2 or _NOT_NAME_RE.search(run):
        return None
    if not all(_is_han(ch) or ch in _SEPARATORS for ch in run):
        return None
    glossed = bool(_GLOSS_RE.match(para, end))
    foreign = (
        any(sep in run for sep in _SEPARATORS)
        or (glossed and len(run) >= 3)
        or (len(run) >= 3 and _translit_share(run) >= 0.75)
    )
    if foreign and len(run) <= 9:
        return start, end
    surname = _surname_length(run)
    if (
        four
        and surname == 1
        and len(run) == 4
        and run[3] not in CN_NUMERAL
        and _hard_stop(para, end)
        and not _TITLE_WORD_RE.match(para, end)
    ):
        return start, end  # a four-character name of another tradition: 田中一郎
    if surname:
        length = min(len(run), surname + 2)
        if length - surname < 1:
            return None
        name_end = start + length
        composed = _COMPOSED_RE.match(para, name_end)
        if composed and length == surname + 1:
            name_end = composed.end()  # 陳正(示其): the given name's second character
        return start, name_end
    # A name of another tradition (岸田文雄, 丹穗) in a list of names.
    if (
        2 <= len(run) <= 4
        and end < len(para)
        and para[end] in "、與和及於在（("
        and not re.search(r"[國方省市縣州區我你他她們]", run)
    ):
        return start, end
    return None


def _title_left(para: str, end: int) -> int:
    """Where the title phrase ending at ``end`` starts."""
    start = end
    while start > 0 and end - start < MAX_TITLE:
        ch = para[start - 1]
        if ch in "）)":
            opening = max(para.rfind("（", 0, start - 1), para.rfind("(", 0, start - 1))
            inner = para[opening + 1 : start - 1] if opening >= 0 else ""
            if opening < 0 or not re.fullmatch(r"[A-Za-z][A-Za-z &.,'-]{0,30}", inner):
                break
            start = opening
            continue
        if not (_is_han(ch) or (ch.isalnum() and ch.isascii())):
            break
        if ch.isdigit():
            break
        stop = _TITLE_LEFT_STOP_RE.search(para, max(0, start - _STOP_WINDOW), start)
        if stop and not any(
            para.startswith(word, i)
            for word in _PROTECTED
            for i in range(max(0, stop.start() - len(word) + 1), stop.end())
        ):
            break
        start -= 1
    return start


def _strip_side(para: str, start: int, end: int) -> int:
    lead = _LEADING_SIDE_RE.match(para, start, end)
    return lead.end() if lead and lead.end() < end else start


def _joined_title_start(para: str, start: int, mentions_end: set[int]) -> int:
    """Titles joined by 、 before one name (常委、國務院副總理): extend ``start`` over a
    preceding title that names nobody."""
    while start >= 2 and para[start - 1] == "、" and (start - 1) not in mentions_end:
        previous_end = start - 1
        if not _TITLE_WORD_RE.search(para, max(0, previous_end - 6), previous_end):
            break
        word_end = None
        for m in _TITLE_WORD_RE.finditer(para, max(0, previous_end - 8), previous_end):
            if m.end() == previous_end:
                word_end = m
        if word_end is None:
            break
        previous_start = _title_left(para, word_end.start())
        if _ends_with_name(para, previous_start, word_end.start()):
            break
        start = previous_start
    return start


_HONORIFIC_BEFORE_RE = re.compile(r"(?:(?:The\s+)?Honou?rable|Hon\.?|H\.E\.)\s+$")
_LATIN_BEFORE_RE = re.compile(
    r"(?:(?:The\s+)?Honou?rable\s+|Hon\.?\s+|H\.E\.\s+)?"
    r"(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,3})$"
)


def _name_before(para: str, end: int) -> tuple[int, int] | None:
    """A name that ends at ``end`` right after an organisation's name (工商部|西梅內斯,
    （TECRO）|俞大㵢), as ``(start, end)``."""
    for length in range(2, 7):
        start = end - length
        if start < 1:
            break
        if not _ORG_SUFFIX_RE.search(para, max(0, start - _ORG_WINDOW), start):
            continue
        if _valid_name(para, start, end, four=False) == (start, end):
            return start, end
    latin = _LATIN_BEFORE_RE.search(para, max(0, end - 60), end)
    if latin and latin.start("name") > 0 and _is_han(para[latin.start() - 1]):
        return latin.start("name"), latin.end("name")  # …製造業The Honourable Tim Ayres助理部長
    return None


def _ends_with_name(para: str, start: int, end: int) -> bool:
    """Whether ``para[start:end]`` (a stretch before a title word) ends in a name: then
    the title names that person, and is not the first of two joined titles."""
    for length in range(2, 5):
        name_start = end - length
        if name_start < start:
            break
        if _valid_name(para, name_start, end, four=False) != (name_start, end):
            continue
        if name_start == start or _ORG_SUFFIX_RE.search(
            para, max(0, name_start - _ORG_WINDOW), name_start
        ):
            return True
    return False


def find_mentions(para: str, index: int) -> list[Mention]:
    """Every titled person named in ``para``."""
    mentions: list[Mention] = []
    ends: set[int] = set()
    for m in _TITLE_WORD_RE.finditer(para):
        if m.end() < len(para) and para[m.end()] in _ORG_END:
            continue  # 代表處, 總統府, 部長會議: part of a name, not a title
        # Organisation, name, title: 巴拉圭工商部西梅內斯部長
        candidate = _name_before(para, m.start())
        if candidate is not None:
            org_end = candidate[0]
            honorific = _HONORIFIC_BEFORE_RE.search(para, max(0, org_end - 20), org_end)
            if honorific:
                org_end = honorific.start()
            title_start = _strip_side(para, _title_left(para, org_end), org_end)
            parts = ((title_start, org_end), (m.start(), m.end()))
            title = para[title_start:org_end] + m.group()
            mentions.append(_mention(para, index, candidate, title, parts))
            ends.add(m.end())
            continue
        # Organisation, surname, title, given name: 經濟部龔部長明鑫
        if (
            m.start() >= 2
            and para[m.start() - 1] in SINGLE_SURNAMES
            and _ORG_SUFFIX_RE.search(para, max(0, m.start() - 1 - _ORG_WINDOW), m.start() - 1)
        ):
            given = _han_run(para, m.end())
            if 1 <= given - m.end() <= 2:
                continue  # the person is named in full elsewhere; nothing reliable here
        # Title, then name: 經濟部長龔明鑫
        name = name_at(para, m.end())
        if name is None:
            continue
        title_start = _joined_title_start(para, _title_left(para, m.start()), ends)
        title_start = _strip_side(para, title_start, m.end())
        parts: tuple[tuple[int, int], ...] = ((title_start, m.end()),)
        title = para[title_start : m.end()]
        after = name[1]
        gloss = _GLOSS_RE.match(para, after)
        if gloss:
            after = gloss.end()
        second = _TITLE_WORD_RE.match(para, after)
        if second and (second.end() >= len(para) or para[second.end()] not in _ORG_END):
            # 美國貿易代表葛里爾（Jamieson Greer）大使: the title wraps the name
            parts += ((second.start(), second.end()),)
            title += second.group()
            ends.add(second.end())
        mentions.append(_mention(para, index, name, title, parts))
        ends.add(name[1])
    return mentions


def _mention(
    para: str,
    index: int,
    name: tuple[int, int],
    title: str,
    parts: tuple[tuple[int, int], ...],
) -> Mention:
    gloss = _GLOSS_RE.match(para, name[1])
    return Mention(
        para=index,
        name=para[name[0] : name[1]],
        name_start=name[0],
        name_end=name[1],
        title=title or None,
        title_parts=parts,
        gloss=gloss.group(1).strip() if gloss else None,
    )


def _tails(name: str) -> set[str]:
    """How a person may be referred to later: the part after a separator (阿爾巴尼斯),
    the last word of a Latin name (Jaros)."""
    tails: set[str] = set()
    for sep in _SEPARATORS:
        if sep in name:
            tail = name.rsplit(sep, 1)[1]
            if len(tail) >= 2:
                tails.add(tail)
    words = name.split()
    if len(words) >= 2 and len(words[-1]) >= 3:
        tails.add(words[-1])
    return tails


def _says_took_part(text: str) -> bool:
    """A verb of taking part outside quotation marks (「…對話」 is a name, not a verb)."""
    depths = bracket_depths(text)
    return any(depths[m.start()] == 0 for m in _TOOK_PART_RE.finditer(text))


def _reported_from(sentence: str, names: Regex) -> int:
    """Where a person's reported speech starts in ``sentence`` (他說，…; 龔明鑫表示，…),
    or its length: what a person says happened is not this meeting's record."""
    for m in _SAID_RE.finditer(sentence):
        subject = sentence[max(0, m.start() - 12) : m.start()]
        subject = re.split(r"[，,。；;：:]", subject)[-1]
        if _PRONOUN_RE.search(subject) or names.search(subject):
            return m.end()
    return len(sentence)


def _took_part_ranges(sentence: str, names: Regex) -> list[tuple[int, int]]:
    """The stretches of a sentence whose people took part: the sentence, up to any
    reported speech, when it says the meeting happened with them, less the clauses about
    meeting someone on the side (unless such a clause says it too)."""
    sentence = sentence[: _reported_from(sentence, names)]
    if not _says_took_part(sentence):
        return []
    bounds = [0, *(m.end() for m in _CLAUSE_RE.finditer(sentence)), len(sentence)]
    ranges = []
    for a, b in pairwise(bounds):
        clause = sentence[a:b]
        if _MET_SEPARATELY_RE.search(clause) and not _says_took_part(clause):
            continue
        if _SIDE_EVENT_RE.search(clause):
            continue
        ranges.append((a, b))
    return ranges


def find_people(
    paragraphs: tuple[str, ...], known: list[tuple[int, int, int]] | None = None
) -> list[Person]:
    """Every person the text names with a title, in order of first mention, each marked
    whether they took part. ``known`` adds untitled mentions ``(para, start, end)`` of
    names a termbase knows."""
    people: dict[str, Person] = {}
    order: list[str] = []
    all_mentions: list[Mention] = []
    for index, para in enumerate(paragraphs):
        all_mentions.extend(find_mentions(para, index))
    for para_index, start, end in known or []:
        para = paragraphs[para_index]
        after = _TITLE_WORD_RE.match(para, end)  # 賴清德總統: a known name, its title after it
        if after and (after.end() >= len(para) or para[after.end()] not in _ORG_END):
            all_mentions.append(
                Mention(
                    para_index,
                    para[start:end],
                    start,
                    end,
                    after.group(),
                    ((after.start(), after.end()),),
                )
            )
        else:
            all_mentions.append(Mention(para_index, para[start:end], start, end))
    all_mentions.sort(key=lambda m: (m.para, m.name_start))
    for mention in all_mentions:
        person = people.get(mention.name)
        if person is None:
            people[mention.name] = Person(mention, references=_tails(mention.name))
            order.append(mention.name)
        elif person.best.title is None and mention.title:
            person.best = mention
    # Who took part: any mention (or later reference) inside a stretch that says so.
    by_name: dict[str, list[Mention]] = {}
    for mention in all_mentions:
        by_name.setdefault(mention.name, []).append(mention)
    # Every name and reference in one pattern, longest first: each stretch is read once.
    owner: dict[str, str] = {}
    for name in order:
        for key in (name, *people[name].references):
            owner.setdefault(key, name)
    if not owner:
        return []
    names_re = re.compile("|".join(re.escape(k) for k in sorted(owner, key=len, reverse=True)))
    for index, para in enumerate(paragraphs):
        for s_start, s_end in sentence_spans(para):
            sentence = para[s_start:s_end]
            for a, b in _took_part_ranges(sentence, names_re):
                for m in names_re.finditer(sentence, a, b):
                    name = owner[m.group()]
                    person = people[name]
                    if person.took_part:
                        continue
                    person.took_part = not _FORMER_RE.match(person.best.title or "")
                    titled = [
                        t
                        for t in by_name.get(name, [])
                        if t.title and t.para == index and s_start <= t.name_start < s_end
                    ]
                    if titled:
                        person.best = titled[0]  # as the meeting's own sentence names them
    return [people[name] for name in order]
