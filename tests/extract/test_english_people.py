"""extract.english_people: titles and names in English readouts, and who took part."""

from __future__ import annotations

import pytest

from briefgen.extract.english_people import find_people


def _people(*paragraphs: str) -> dict[str, str | None]:
    return {p.best.name: p.best.title for p in find_people(paragraphs) if p.took_part}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Minister of Trade and Industry, Freedonia, Rufus Firefly and U.S. Trade "
            "Representative, Ambassador Jane Doe co-chaired the forum.",
            {
                "Rufus Firefly": "Minister of Trade and Industry, Freedonia",
                "Jane Doe": "U.S. Trade Representative, Ambassador",
            },
        ),
        (
            "The meeting was attended by Minister of Economy, Trade and Industry Sato Kenji "
            "and Foreign Minister Tanaka Yumi, as well as the Honorable Ann Lee, Secretary of "
            "Commerce of the United States of America.",
            {
                "Sato Kenji": "Minister of Economy, Trade and Industry",
                "Tanaka Yumi": "Foreign Minister",
                "Ann Lee": "Secretary of Commerce of the United States of America",
            },
        ),
        (
            "Minister of Commerce of the Republic, Li Ming hosted the Hon John Smith MP, "
            "Ruritania’s Minister for Trade, Tourism and Investment, for the 5th Commission.",
            {
                "Li Ming": "Minister of Commerce of the Republic",
                "John Smith": "Ruritania’s Minister for Trade, Tourism and Investment",
            },
        ),
        (
            "Secretary of State Antony J. Doe, Economy Secretary Tatiana Ruiz and Finance and "
            "Public Credit Secretary Rogelio Ramírez chaired the meeting.",
            {
                "Antony J. Doe": "Secretary of State",
                "Tatiana Ruiz": "Economy Secretary",
                "Rogelio Ramírez": "Finance and Public Credit Secretary",
            },
        ),
        (
            "The Chancellor of the Exchequer Mary Jones and Chinese Vice Premier He Lifeng "
            "concluded the dialogue in Beijing.",
            {"Mary Jones": "Chancellor of the Exchequer", "He Lifeng": "Chinese Vice Premier"},
        ),
        (
            "The delegation of the ministry, led by Mr. KANDA, Masato, Vice Minister of Finance "
            "for International Affairs, held the dialogue.",
            {"KANDA, Masato": "Vice Minister of Finance for International Affairs"},
        ),
    ],
)
def test_titles_and_names(sentence: str, expected: dict[str, str]) -> None:
    assert _people(sentence) == expected


def test_people_only_mentioned_or_represented_do_not_take_part() -> None:
    people = _people(
        "Secretary of State Ann Lee and Vice Premier Wang Hai, special representatives of "
        "President John Roe and President Hu Ming, co-chaired the dialogue.",
        "In February, President Donald Trump and Prime Minister Shinzo Abe agreed to this "
        "dialogue when the two leaders met in Washington.",
        "These outcomes were delivered during the visit of Prime Minister Narendra Modi.",
    )
    assert set(people) == {"Ann Lee", "Wang Hai"}


def test_a_later_reference_by_title_and_surname_counts() -> None:
    people = _people(
        "Australian Minister for Trade Simon Crean spoke first.",
        "Minister Crean and the Japanese minister held the first dialogue.",
    )
    assert people == {"Simon Crean": "Australian Minister for Trade"}


def test_headline_words_are_not_names() -> None:
    assert _people("Minister Nishimura Attends the Committee and Issues a Joint Statement") == {}


def test_a_long_title_with_commas_before_a_name_with_an_initial() -> None:
    sentence = (
        "Under Secretary of State for Economic Growth, Energy, and the Environment Jose W. "
        "Fernandez and Assistant Minister for Economic and Trade Affairs at the Ministry of "
        "Foreign Affairs Saeed Al Hajeri co-chaired the dialogue."
    )
    assert _people(sentence) == {
        "Jose W. Fernandez": "Under Secretary of State for Economic Growth, Energy, and the "
        "Environment",
        "Saeed Al Hajeri": "Assistant Minister for Economic and Trade Affairs at the Ministry of "
        "Foreign Affairs",
    }


def test_family_name_in_capitals_and_participation_of() -> None:
    sentence = (
        "The Consultation was co-chaired by H.E. Malaithong KOMMASITH, Minister of Industry "
        "and Commerce, and the Honourable Mary Ng, Minister of Export Promotion, International "
        "Trade and Economic Development, Canada."
    )
    people = _people(sentence)
    assert set(people) == {"Malaithong KOMMASITH", "Mary Ng"}
