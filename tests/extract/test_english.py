"""English readouts: the meeting, participants with sides, documents and actors."""

from __future__ import annotations

from briefgen.clean import clean
from briefgen.extract import extract
from briefgen.ingest import ingest_bytes
from briefgen.model import Level
from briefgen.translate.termbase import builtin_termbase

RELEASE = """\
WASHINGTON, January 28, 2026 — The United States and Taiwan held the sixth \
U.S.-Taiwan Economic Prosperity Partnership Dialogue (EPPD) in Washington, D.C. on \
January 27. Under Secretary of State for Economic Affairs Jacob Helberg and Minister of \
Economic Affairs Kung Ming-hsin led the discussions.

By Jane Porter

The two sides discussed the following:

(a) Supply chain security: Both sides agreed to map partnerships across the AI \
technology stack; the United States will explore cooperation on trusted AI systems.
(b) Critical minerals: The two sides agreed to strengthen cooperation on processing.
(c) Economic coercion: The United States will continue to support vulnerable partners.

AIT and TECRO signed the Joint Statement on the Pax Silica Declaration and U.S.-Taiwan \
Cooperation on Economic Security.

The two sides agreed to establish a working group and will hold the next round in Taipei.
"""


def _brief():
    return extract(clean(ingest_bytes(RELEASE.encode())), builtin_termbase())


def test_english_meeting() -> None:
    brief = _brief()
    assert brief.source.language == "en"
    assert str(brief.source.published) == "2026-01-28"
    assert brief.source.author.get("en") == "Jane Porter"
    event = brief.event
    assert event.name.get("en") == "U.S.-Taiwan Economic Prosperity Partnership Dialogue"
    assert (event.short_name, event.round, str(event.date)) == ("EPPD", 6, "2026-01-27")
    assert event.location.get("en") == "Washington, D.C."


def test_english_participants_with_titles_and_sides() -> None:
    people = {p.name.get("en"): p for p in _brief().event.participants}
    assert people["Jacob Helberg"].title.get("en") == (
        "Under Secretary of State for Economic Affairs"
    )
    assert people["Kung Ming-hsin"].title.get("en") == "Minister of Economic Affairs"
    assert (people["Jacob Helberg"].side, people["Kung Ming-hsin"].side) == ("us", "taiwan")


def test_english_items_points_and_documents() -> None:
    brief = _brief()
    assert [i.title.get("en") for i in brief.items] == [
        "Supply chain security",
        "Critical minerals",
        "Economic coercion",
    ]
    first = brief.items[0].points
    assert [(p.commitment, p.actor.get("en")) for p in first] == [
        (Level.AGREED, "Both sides"),
        (Level.WILL_EXPLORE, "The United States"),
    ]
    assert brief.items[2].points[0].commitment == Level.WILL_CONTINUE
    assert [d.name.get("en") for d in brief.event.documents] == [
        "Joint Statement on the Pax Silica Declaration and U.S.-Taiwan Cooperation on "
        "Economic Security"
    ]
    assert [s.text.get("en") for s in brief.next_steps] == [
        "The two sides agreed to establish a working group and will hold the next round in Taipei."
    ]
