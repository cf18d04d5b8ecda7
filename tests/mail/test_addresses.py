"""Addresses and header text: what is accepted, what is refused, and the error line."""

from __future__ import annotations

import pytest

from briefgen.errors import BriefgenError
from briefgen.mail import check_header_text, envelope_recipients, parse_addresses


@pytest.mark.parametrize(
    "address",
    [
        "alice@",
        "@example.org",
        "a@b@c.org",
        "alice example.org",
        "alice@exa mple.org",
        "<>",
        "a..b@example.org",
        "a.@example.org",
        "a@-example.org",
        "a@example_x.org",
        "a@example.org.",
        "alice@example.org)<bob@example.org>",
        "x" * 65 + "@example.org",  # local part over 64 characters
        "a@" + "b" * 64 + ".org",  # domain label over 63
        '"a b"@example.org',  # quoted local parts are refused
        "a@[300.1.1.1]",
    ],
)
def test_malformed_addresses(address: str) -> None:
    with pytest.raises(BriefgenError, match="not a valid e-mail address") as info:
        parse_addresses([address], "--to")
    assert str(info.value).startswith("--to: ") and "\n" not in str(info.value)
    assert info.value.exit_code == 2


def test_the_error_says_why() -> None:
    with pytest.raises(BriefgenError, match="two periods in a row"):
        parse_addresses(["a..b@example.org"], "--cc")


@pytest.mark.parametrize(
    "address", ["me@localhost", "a@host.local", "a@x.invalid", "a@x.test", "a@x.onion"]
)
def test_special_use_domains_are_refused(address: str) -> None:
    with pytest.raises(BriefgenError, match="special-use or reserved name"):
        parse_addresses([address], "--to")


def test_good_addresses() -> None:
    found = parse_addresses(["王小明 <wang@example.tw>, b@example.org", '"Doe, J" <j@x.org>'])
    assert [a.addr_spec for a in found] == ["wang@example.tw", "b@example.org", "j@x.org"]
    assert found[0].display_name == "王小明" and found[2].display_name == "Doe, J"
    assert envelope_recipients(["a@x.org"], ["a@x.org"], ["b@x.org"]) == ["a@x.org", "b@x.org"]


@pytest.mark.parametrize(
    "address",
    [
        "a+tag@example.org",
        "A.B@Example.ORG",  # kept as written, not case-folded
        "a@[127.0.0.1]",
        "a@[IPv6:::1]",
        "a@xn--r8jz45g.jp",
        "a@mail",
    ],
)
def test_addresses_kept_as_written(address: str) -> None:
    assert [a.addr_spec for a in parse_addresses([address])] == [address]


def test_international_addresses_as_before() -> None:
    """Addresses stay ASCII (no SMTPUTF8): a non-ASCII local part is refused, and an
    international domain is refused with its IDNA form named."""
    with pytest.raises(BriefgenError, match="Internationalized characters before the @-sign"):
        parse_addresses(["王@example.tw"], "--to")
    with pytest.raises(BriefgenError, match=r"IDNA\) form: a@xn--r8jz45g\.jp"):
        parse_addresses(["a@例え.jp"], "--to")


def test_control_characters_are_refused() -> None:
    with pytest.raises(BriefgenError, match="control character U\\+0000"):
        parse_addresses(["Eve\x00 <eve@example.org>"])
    with pytest.raises(BriefgenError, match="--to: control character U\\+000D"):
        parse_addresses(["a@example.org\r\nBcc: evil@example.com"], "--to")
    with pytest.raises(BriefgenError, match="--to: empty address"):
        parse_addresses(["  "], "--to")
    assert check_header_text("subject", "第6屆 / 6th") == "第6屆 / 6th"
    assert check_header_text("name", "memo\u202efdp.exe") == "memo\u202efdp.exe"
    with pytest.raises(BriefgenError, match="U\\+202E"):
        check_header_text("name", "memo\u202efdp.exe", bidi=True)
    with pytest.raises(BriefgenError, match="U\\+2028"):
        check_header_text("subject", "a\u2028b")
