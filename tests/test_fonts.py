"""Font preparation: the Simplified-Chinese fallback faces that complement the TC faces."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase.ttfonts import TTFont as RLFont

from briefgen import fonts
from briefgen.styles import StyleSheet, read_stylesheet_data

SIMPLIFIED_ONLY = "贸进锡镕赟"  # 镕 and 赟 are outside GB 2312 (Simplified forms of 鎔, 贇)


def test_hans_codepoints_are_simplified_characters_the_base_face_lacks() -> None:
    base = {ord(ch) for ch in "貿易中國鎔贇"}
    wanted = fonts.hans_codepoints(base)
    assert {ord(ch) for ch in SIMPLIFIED_ONLY} <= wanted
    assert ord("贸") in wanted and ord("易") not in wanted  # 易 is in the base face
    assert not wanted & base
    assert ord("a") not in wanted and 0x1FAE0 not in wanted
    # Any other ideograph the SC face has, such as a Traditional variant (闗 for 關).
    more = fonts.hans_codepoints(base, {ord("闗"), ord("a"), ord("易")})
    assert ord("闗") in more and ord("a") not in more and ord("易") not in more


def test_every_font_role_ends_with_a_simplified_fallback_face() -> None:
    for lang in ("zh-TW", "en"):
        sheet = StyleSheet(read_stylesheet_data(), lang)
        for role in ("serif", "sans"):
            faces = sheet.font_role(role).faces
            assert faces[-1].endswith("-sc-fallback"), faces
            assert faces.index(faces[-1]) > faces.index(f"noto-{role}-tc")


@pytest.mark.parametrize("key", ["noto-serif-sc-fallback", "noto-sans-sc-fallback"])
def test_fallback_face_is_built_once_into_the_cache(
    key: str, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A handful of characters instead of ~5,600 keeps this fast; the real set is above.
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(
        fonts,
        "hans_codepoints",
        lambda base, available=None: {ord(ch) for ch in SIMPLIFIED_ONLY + "中"} - base,
    )
    variant = fonts.face(key).regular
    assert not fonts.is_ready(variant)
    messages: list[str] = []
    path = fonts.variant_path(variant, messages.append)
    assert path.parent == tmp_path / "fonts" and path.suffix == ".ttf"
    assert messages and "this happens once" in messages[0]
    assert fonts.is_ready(variant)
    assert fonts.variant_path(variant, messages.append) == path and len(messages) == 1

    with TTFont(str(path)) as font:
        assert "glyf" in font and "CFF " not in font
        # Only what the TC face lacks (中 is in it, so it is left out), and the spaces
        # (the PDF writer sets a space in the face of the character before it).
        cmap = set(font.getBestCmap())
        assert {c for c in cmap if not chr(c).isspace()} == {ord(ch) for ch in SIMPLIFIED_ONLY}
        assert {0x20, 0xA0, 0x3000} <= cmap
        family = font["name"].getDebugName(1)
    assert family.startswith("Noto S") and family.endswith(" SC")
    registered = RLFont(f"test-{key}", str(path))
    assert all(ord(ch) in registered.face.charToGlyph for ch in SIMPLIFIED_ONLY)


def test_prepare_puts_the_longest_work_first() -> None:
    order = sorted(
        [
            fonts.face("noto-serif-sc-fallback").regular,
            fonts.face("noto-sans").bold,
            fonts.face("noto-sans-tc").regular,
            fonts.face("noto-serif-tc").regular,
        ],
        key=fonts._work,
    )
    assert [v.transform.split(":")[0] for v in order] == [
        "cff-to-ttf",
        "cff-to-ttf",
        "instance",
        "hans-fallback",
    ]
    assert order[0].filename == "NotoSerifTC-Regular.otf"  # the biggest conversion
