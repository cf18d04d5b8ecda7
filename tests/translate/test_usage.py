"""English usage: U.S./US, the order of country pairs, lists capitalised as lists."""

from __future__ import annotations

import pytest

from briefgen.errors import TemplateError
from briefgen.translate.usage import (
    Usage,
    apply_usage,
    is_name,
    keeps_capital,
    proper_nouns,
    run_case,
    usage_from,
)

MOFA = Usage()  # the defaults: US, Taiwan first
STATE = Usage(us_form="U.S.", pair_first="US")
DOC = (
    "Joint Statement on the Pax Silica Declaration and U.S.-Taiwan Cooperation on Economic Security"
)


@pytest.mark.parametrize(
    ("text", "mofa", "state"),
    [
        (
            "Promote U.S.-Taiwan technical exchanges.",
            "Promote Taiwan-US technical exchanges.",
            "Promote U.S.-Taiwan technical exchanges.",
        ),
        (
            "a safer Taiwan-US partnership",
            "a safer Taiwan-US partnership",
            "a safer U.S.-Taiwan partnership",
        ),
        (
            "the sixth US-Taiwan Economic Prosperity Partnership Dialogue",
            "the sixth Taiwan-US Economic Prosperity Partnership Dialogue",
            "the sixth U.S.-Taiwan Economic Prosperity Partnership Dialogue",
        ),
        ("cooperation with the U.S.", "cooperation with the US.", "cooperation with the U.S."),
        ("cooperation with the US.", "cooperation with the US.", "cooperation with the U.S."),
        (
            "talks with the U.S. The two sides agreed",
            "talks with the US. The two sides agreed",
            "talks with the U.S. The two sides agreed",
        ),
        (
            "U.S. Under Secretary of State",
            "US Under Secretary of State",
            "U.S. Under Secretary of State",
        ),
        ("US$33 billion via USTR and USA", "US$33 billion via USTR and USA", None),
        ("EU-Taiwan relations", "Taiwan-EU relations", "EU-Taiwan relations"),
        ("Japan–Taiwan ties", "Taiwan–Japan ties", "Japan–Taiwan ties"),
        # An organisation's name keeps its pair and its form.
        ("the US-Taiwan Business Council said", "the US-Taiwan Business Council said", None),
        # A heading in capitals: "US" may be the pronoun.
        ("TELL US MORE", "TELL US MORE", "TELL US MORE"),
    ],
)
def test_us_form_and_pair_order(text: str, mofa: str, state: str | None) -> None:
    assert apply_usage(text, MOFA) == mofa
    assert apply_usage(text, STATE) == (state if state is not None else text)


def test_protected_names_stay_as_written_inside_other_text() -> None:
    sentence = f"The two sides signed the {DOC}, deepening U.S.-Taiwan ties."
    assert apply_usage(sentence, MOFA, [DOC]) == (
        f"The two sides signed the {DOC}, deepening Taiwan-US ties."
    )


def test_pair_first_empty_keeps_every_pair() -> None:
    usage = Usage(us_form="US", pair_first="")
    assert apply_usage("U.S.-Taiwan and Taiwan-U.S. ties", usage) == "US-Taiwan and Taiwan-US ties"


def test_usage_from_a_style_sheet_section() -> None:
    assert usage_from(None) == Usage("US", "Taiwan")
    assert usage_from({"us_form": "U.S.", "pair_first": ""}) == Usage("U.S.", "")
    with pytest.raises(TemplateError, match=r"styles.yaml: usage: unknown key 'order'"):
        usage_from({"order": "x"}, "styles.yaml")
    with pytest.raises(TemplateError, match=r"us_form must be US or U\.S\."):
        usage_from({"us_form": "USA"})
    with pytest.raises(TemplateError, match="pair_first must be a country name"):
        usage_from({"pair_first": "taiwan first"})


def test_a_run_lowers_items_after_the_first_unless_proper_or_acronym() -> None:
    topics = [
        "AI supply chain",
        "Digital infrastructure",
        "Critical minerals",
        "Unmanned aircraft systems (UAS) supply chain",
        "High-tech talent development",
        "Taiwan-US cooperation in third countries",
        "Japan and Korea",
        "Pax Silica Declaration",
        "EPPD follow-up",
    ]
    assert run_case(topics) == [
        "AI supply chain",
        "digital infrastructure",
        "critical minerals",
        "unmanned aircraft systems (UAS) supply chain",
        "high-tech talent development",
        "Taiwan-US cooperation in third countries",
        "Japan and Korea",
        "Pax Silica Declaration",
        "EPPD follow-up",
    ]
    assert run_case(["Securing the AI supply chain", "Securing the AI supply chain"]) == [
        "Securing the AI supply chain",
        "securing the AI supply chain",
    ]


def test_proper_nouns_are_words_capitalised_alone_mid_sentence() -> None:
    texts = [
        "Deputy Minister of Digital Affairs Isabel Hou met Helberg in Washington.",
        "They discussed digital infrastructure with Helberg.",
    ]
    found = proper_nouns(texts)
    assert "Helberg" in found and "Taiwan" in found  # countries always
    assert "Digital" not in found  # one word of a name ("Minister of Digital Affairs")
    assert keeps_capital("Helberg's visit", found)
    assert not keeps_capital("Digital infrastructure", found)


def test_is_name() -> None:
    assert is_name("New Southbound Policy") and is_name("Section 232")
    assert is_name("Assessor License and Services Agreement")
    assert not is_name("Critical minerals") and not is_name("Semiconductors")


def test_washington_dc_follows_the_us_form() -> None:
    from briefgen.translate.usage import _us_form

    assert _us_form("Washington, D.C.", "US") == "Washington, DC"
    assert _us_form("held in Washington, D.C. on January 27", "US") == (
        "held in Washington, DC on January 27"
    )
    assert _us_form("in Washington, D.C. The talks went on", "US") == (
        "in Washington, DC. The talks went on"
    )
    assert _us_form("in Washington, DC, on January 27", "U.S.") == (
        "in Washington, D.C., on January 27"
    )
