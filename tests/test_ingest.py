"""ingest: decoding, refusal of what is not a readout, paragraphs, language."""

from __future__ import annotations

import hashlib
import os
import socket
import tempfile
from pathlib import Path

import pytest

from briefgen.errors import InputError
from briefgen.ingest import MAX_BYTES, _read_regular, detect_lang, ingest_bytes, read_source

ZH_TW = (
    "經濟部長龔明鑫今（28）日表示，台美雙方在華府舉行第6屆經濟繁榮夥伴對話，"
    "圍棋（碁）交流也列入議程。\n\n雙方同意持續深化合作。\n"
)
ZH_CN = (
    "经济部长今日表示，双方在华府举行第六届经济繁荣伙伴对话，这是对话以来首次实体会面。\n"
    "双方同意继续深化合作，发展关系。\n"
)
EN = (
    "Taiwan and the United States held the sixth Economic Prosperity Partnership Dialogue "
    "in Washington on Tuesday.\nBoth sides agreed to strengthen supply chain security.\n"
)


def _error(data: bytes, **kwargs: object) -> str:
    with pytest.raises(InputError) as info:
        ingest_bytes(data, name="in.txt", **kwargs)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("in.txt: ")
    return message


# --- decoding -----------------------------------------------------------------------------


def test_utf8() -> None:
    source = ingest_bytes(ZH_TW.encode("utf-8"), name="a.txt")
    assert source.encoding == "utf-8"
    assert source.paragraphs == tuple(p for p in ZH_TW.split("\n") if p)
    assert source.path == "a.txt"
    assert source.sha256 == hashlib.sha256(ZH_TW.encode("utf-8")).hexdigest()


def test_utf8_with_bom_drops_the_bom() -> None:
    source = ingest_bytes(ZH_TW.encode("utf-8-sig"))
    assert source.encoding == "utf-8-sig"
    assert source.paragraphs[0].startswith("經濟部長")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    data = ZH_TW.encode(codec)
    if codec != "utf-16":  # explicit-endian codecs write no BOM: add it
        data = "\ufeff".encode(codec) + data
    source = ingest_bytes(data)
    assert source.encoding == "utf-16"
    assert source.paragraphs[0].startswith("經濟部長")
    assert source.paragraphs[-1] == "雙方同意持續深化合作。"


def test_cp950_character_that_python_big5_rejects() -> None:
    data = ZH_TW.encode("cp950")
    with pytest.raises(UnicodeDecodeError):
        "碁".encode("cp950").decode("big5")
    source = ingest_bytes(data)
    assert source.encoding == "cp950"
    assert "圍棋（碁）交流" in source.paragraphs[0]
    assert source.text == ZH_TW.strip()
    assert source.language == "zh-TW"


def test_cp950_text_decodes_as_cp950_not_hkscs() -> None:
    # Regression: charset-normalizer guesses big5hkscs here, which maps A145 ‧ to •.
    text = "外交部長林佳龍表示，喬‧拜登與台美雙方在華府舉行會談，雙方同意持續深化合作。"
    source = ingest_bytes(text.encode("cp950"))
    assert source.encoding == "cp950"
    assert source.paragraphs[0] == text


def test_big5_hkscs_only_characters_fall_back_to_hkscs() -> None:
    text = "香港特區政府表示，雙方同意加強合作，佢哋話唔係咁㗎。"
    data = text.encode("big5hkscs")
    with pytest.raises(UnicodeDecodeError):
        data.decode("cp950")
    source = ingest_bytes(data)
    assert source.encoding == "big5hkscs"
    assert source.paragraphs == (text,)


def test_gb18030_simplified() -> None:
    source = ingest_bytes(ZH_CN.encode("gb18030"))
    assert source.encoding == "gb18030"
    assert source.paragraphs[0].startswith("经济部长今日表示")
    assert source.language == "zh-CN"


def test_encoding_override_is_used() -> None:
    source = ingest_bytes(ZH_TW.encode("cp950"), encoding="cp950")
    assert source.encoding == "cp950"
    assert source.text == ZH_TW.strip()


def test_encoding_override_unknown_codec() -> None:
    message = _error(ZH_TW.encode("utf-8"), encoding="no-such-codec")
    assert "unknown encoding 'no-such-codec'" in message


def test_encoding_override_wrong_codec() -> None:
    message = _error(ZH_TW.encode("cp950"), encoding="utf-8")
    assert "not valid utf-8" in message
    assert "offset 0" in message


def test_encoding_override_ascii_on_chinese_names_offset() -> None:
    message = _error("ab經濟".encode(), encoding="ascii")
    assert message == "in.txt: not valid ascii (bad byte at offset 2)"


def test_encoding_override_utf8_on_bom_file() -> None:
    # Regression: the BOM used to stay in the first paragraph as U+FEFF.
    source = ingest_bytes(ZH_TW.encode("utf-8-sig"), encoding="utf-8")
    assert source.encoding == "utf-8"
    assert source.paragraphs[0].startswith("經濟部長")


# --- refusals -----------------------------------------------------------------------------


def test_empty_file() -> None:
    assert _error(b"") == "in.txt: the file is empty"


def test_whitespace_only_file() -> None:
    assert _error(" \n\t\r\n\u3000\u3000\n".encode()) == "in.txt: the file is empty"


def test_html_page_without_article_text() -> None:
    page = (
        "<!DOCTYPE html>\n<html><head><title>新聞</title></head><body>"
        "<nav><ul><li><a href='/'>首頁</a></li><li><a href='/p'>政治</a></li></ul></nav>"
        "<footer><p>© 2026 範例新聞網</p></footer></body></html>"
    )
    message = _error(page.encode())
    assert message == "in.txt: found no article text in this HTML page"


def test_html_fragment_with_only_links_is_refused() -> None:
    page = (
        "<div><a href='/a'>首頁</a></div>\n"
        "<p><a href='/b'>政治</a></p>\n<p><a href='/c'>財經</a></p>"
    )
    assert _error(page.encode()) == "in.txt: found no article text in this HTML page"


def test_markup_characters_in_ordinary_text_are_accepted() -> None:
    text = "外交部強調<b>重要</b>的是，雙方同意 a<b 且 c>d；<p>僅此一次。\n第二段。"
    source = ingest_bytes(text.encode())
    assert source.paragraphs == (
        "外交部強調<b>重要</b>的是，雙方同意 a<b 且 c>d；<p>僅此一次。",
        "第二段。",
    )


def test_control_character_names_code_point_and_line() -> None:
    message = _error("第一行\r\n第二行\r\n第三\x07行\n".encode())
    assert message == "in.txt: contains control character U+0007 on line 3"


def test_bidi_control_is_refused() -> None:
    assert "U+202E on line 1" in _error("雙方\u202e同意".encode())


def test_nul_bytes_are_binary() -> None:
    assert "binary file" in _error(b"PK\x03\x04\x00\x00abc")


def test_oversized_bytes() -> None:
    assert "too large" in _error(b"a" * (MAX_BYTES + 1))


def test_exactly_max_bytes_is_accepted() -> None:
    line = b"Both sides agreed to cooperate.\n"
    data = line * (MAX_BYTES // len(line))
    data += b"a" * (MAX_BYTES - len(data))
    assert len(data) == MAX_BYTES
    assert ingest_bytes(data).language == "en"


def test_read_source_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(InputError, match=r"big\.txt: file is too large") as info:
        read_source(path)
    assert "\n" not in str(info.value)


def test_read_source_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    with pytest.raises(InputError) as info:
        read_source(path)
    assert str(info.value) == f"{path}: no such file"


def test_read_source_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_source(tmp_path)
    assert str(info.value) == f"{tmp_path}: is a directory, not a readout file"


def test_read_source_reads_file(tmp_path: Path) -> None:
    path = tmp_path / "a.zh-TW.txt"
    path.write_bytes(ZH_TW.encode("cp950"))
    source = read_source(path, encoding="cp950")
    assert source.path == str(path)
    assert source.encoding == "cp950"
    assert source.paragraphs[1] == "雙方同意持續深化合作。"


# --- paragraphs and language --------------------------------------------------------------


def test_paragraphs_are_non_empty_stripped_lines() -> None:
    text = "  第一段  \r\n\r\n\u3000\u3000第二段\n\n\n\t第三段\t\n   \n"
    source = ingest_bytes(text.encode())
    assert source.paragraphs == ("第一段", "第二段", "第三段")
    assert source.text == "第一段\n\n第二段\n\n第三段"


def test_text_is_nfc_normalized() -> None:
    source = ingest_bytes("Cafe\u0301 talks.".encode())
    assert source.paragraphs == ("Caf\u00e9 talks.",)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (ZH_TW, "zh-TW"),
        (ZH_CN, "zh-CN"),
        (EN, "en"),
        ("Minister Kung Ming-hsin (龔明鑫) met Jacob Helberg in Washington on Tuesday.", "en"),
        ("雙方同意", "zh-TW"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang
    assert ingest_bytes(text.encode()).language == lang


def test_private_use_decoding_is_implausible() -> None:
    data = "\ufeff".encode("utf-16-le") + "".join(chr(0xE000 + i) for i in range(50)).encode(
        "utf-16-le"
    )
    assert "does not look like text when decoded as utf-16" in _error(data)


def test_windows_1252_english_is_not_read_as_big5() -> None:
    text = "The ministers’ meeting – held in Washington – was “productive”, they said. " * 3
    source = ingest_bytes(text.encode("cp1252"), "release.txt")
    assert source.encoding == "cp1252"
    assert source.paragraphs[0] == text.strip()


def test_big5_with_a_few_chinese_names_is_still_big5() -> None:
    text = "經濟部長龔明鑫與美國國務院次卿在華府舉行對話，雙方同意深化合作。" * 2
    source = ingest_bytes(text.encode("cp950"), "readout.txt")
    assert source.encoding == "cp950"


# --- issue 12: non-regular files, decoded-text limit, encodings, languages ----------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_before_reading(device: str) -> None:
    # issue 12: /dev/zero read until MemoryError, /dev/urandom hung.
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    with pytest.raises(InputError) as info:
        read_source(Path(device))
    assert str(info.value) == f"{device}: is a character device, not a readout file"


def test_fifo_without_a_writer_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as info:
        read_source(fifo)
    assert str(info.value) == f"{fifo}: is a named pipe (FIFO), not a readout file"
    # opened non-blocking and checked again once open (a FIFO put there after stat)
    with pytest.raises(InputError, match="named pipe"):
        _read_regular(fifo)


def test_socket_is_refused() -> None:
    with tempfile.TemporaryDirectory() as folder:  # short: socket paths are limited
        path = Path(folder) / "s"
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))
            with pytest.raises(InputError) as info:
                read_source(path)
    assert str(info.value) == f"{path}: is a socket, not a readout file"


def test_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text(EN, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert read_source(link).language == "en"


def test_decoded_text_over_the_limit_is_refused() -> None:
    # 1.5 MiB of Big5 is 2.25 MiB of text once decoded: the limit is on the text.
    line = "雙方同意持續深化合作，擴大經貿往來。\n"
    data = (line * (1536 * 1024 // len(line.encode("cp950")))).encode("cp950")
    assert len(data) < MAX_BYTES
    message = _error(data)
    assert "text is too large (2.2 MiB once decoded; the limit is 2 MiB of text" in message


JA = (
    "日本と台湾は東京で第5回経済対話を開催し、双方は半導体の供給網について"
    "協力を強化することで合意した。\n経済産業省によると、次回は台北で開かれる予定だ。\n"
)
KO = "한국과 대만은 서울에서 제5차 경제대화를 개최하고 반도체 공급망 협력을 강화하기로 합의했다.\n"
ONLY = "briefgen reads Chinese (Traditional or Simplified) and English readouts only"


@pytest.mark.parametrize(
    ("data", "language"),
    [
        # issue 12: Shift-JIS was read as GB18030 garbage, exit 0
        (JA.encode("shift_jis"), "Japanese (Shift-JIS)"),
        (JA.encode("euc_jp"), "Japanese (EUC-JP)"),
        # issue 12: a UTF-8 Japanese readout was taken for Simplified Chinese
        (JA.encode("utf-8"), "Japanese"),
        (JA.encode("utf-16"), "Japanese"),
        (KO.encode("utf-8"), "Korean"),
        (KO.encode("euc_kr"), "Korean (EUC-KR)"),
        ("Россия и Тайвань провели экономический диалог.\n".encode(), "Russian or another"),
        ("Η Ελλάδα και η Ταϊβάν υπέγραψαν συμφωνία.\n".encode(), "Greek"),
    ],
)
def test_unsupported_languages_are_refused_naming_them(data: bytes, language: str) -> None:
    message = _error(data)
    assert message.startswith(f"in.txt: the text is in {language}")
    assert message.endswith(ONLY)


def test_japanese_is_refused_in_every_format() -> None:
    page = f"<html><body><article><p>{JA}</p><p>{JA}</p></article></body></html>"
    with pytest.raises(InputError, match="the text is in Japanese"):
        ingest_bytes(page.encode(), name="page.html")
    with pytest.raises(InputError, match="the text is in Japanese"):
        ingest_bytes(f"# 経済対話\n\n{JA}".encode(), name="notes.md")


def test_chinese_quoting_japanese_or_korean_names_stays_chinese() -> None:
    text = ZH_TW + "日方代表團包括來自ソニー與トヨタ的主管，韓方則有삼성電子。\n"
    assert ingest_bytes(text.encode("utf-8")).language == "zh-TW"
    # Taiwanese punctuation that sits in the kana block: ・ and ー
    assert ingest_bytes("台美・台日經濟對話ー雙方同意合作。\n".encode()).language == "zh-TW"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [ZH_TW, ZH_CN, EN])
def test_utf16_without_bom_is_detected(codec: str, text: str) -> None:
    # issue 12: UTF-16 without a BOM was "a binary file".
    source = ingest_bytes(text.encode(codec))
    assert source.encoding == codec
    assert source.paragraphs == ingest_bytes(text.encode("utf-8")).paragraphs


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,
        b"\x01\x00\x02\x00\x03\x00" * 100,  # 16-bit numbers: control characters
        b"abc\x00def\x00" * 50,
        b"PK\x03\x04\x00\x00abc",
    ],
)
def test_binary_with_nul_bytes_is_still_binary(data: bytes) -> None:
    assert "binary file" in _error(data)
