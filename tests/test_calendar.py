"""The calendar (.ics), parsed back: one all-day event per timeline row with the right dates, the
review period as a span, stable UIDs without the organisation's name, HKQAA's contact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from scheme.calendar_ics import build_ics, event_uid, plain_text
from scheme.edition import load_edition
from scheme.engine import evaluate
from scheme.i18n import t
from scheme.timeline import timeline_rows
from tests.support import load_sample, with_name

SAMPLES = Path(__file__).resolve().parent.parent / "scheme" / "samples"
AS_OF = dt.date(2022, 5, 20)




def events(data: bytes) -> dict[str, object]:
    """Events of a calendar by the milestone id inside their UID."""
    cal = Calendar.from_ical(data)
    out = {}
    for event in cal.walk("VEVENT"):
        uid = str(event["UID"])
        milestone = uid.split("@")[0].removeprefix("hkqaa-ors-2022-").rsplit("-", 1)[0]
        out[milestone] = event
    return out


def day(event, key: str) -> dt.date:
    value = event[key].dt
    assert type(value) is dt.date, f"{key} is {type(value).__name__}, not an all-day date"
    return value


@pytest.mark.parametrize("name", ["community-care-ngo", "family-restaurant", "harbour-view-property",
                                  "listed-utility", "new-applicant"])
def test_one_all_day_event_per_timeline_row(name):
    answers = load_sample(name)
    data = build_ics(answers, AS_OF, "en")
    rows = timeline_rows(evaluate(answers, AS_OF, "en"), "en")
    found = events(data)
    assert sorted(found) == sorted(r.id for r in rows)
    for row in rows:
        event = found[row.id]
        assert day(event, "DTSTART") == row.date
        assert day(event, "DTEND") == (row.end or row.date) + dt.timedelta(days=1)
    text = data.decode("utf-8")
    assert "TZID" not in text and "DTSTART;VALUE=DATE:" in text


def test_scheme_dates_and_the_review_span():
    found = events(build_ics(load_sample("harbour-view-property"), AS_OF, "en"))
    edition = load_edition()
    for milestone in edition.milestones:
        assert day(found[milestone.id], "DTSTART") == milestone.date
    review = found["review"]
    assert (day(review, "DTSTART"), day(review, "DTEND")) == (dt.date(2022, 7, 1), dt.date(2022, 8, 1))


def test_the_organisations_own_deadlines():
    # Planned submission date, and the hygiene certification due two months after it.
    found = events(build_ics(load_sample("family-restaurant"), AS_OF, "zh"))
    assert day(found["planned_submission"], "DTSTART") == dt.date(2022, 6, 20)
    # No planned date: the certification is due two months after the application deadline.
    found = events(build_ics(load_sample("community-care-ngo"), AS_OF, "zh"))
    assert "planned_submission" not in found
    assert day(found["hygiene_certificate_due"], "DTSTART") == dt.date(2022, 8, 15)
    # Carbon "equivalent" route: the certificate is due 15 August 2022; training commitment.
    found = events(build_ics(load_sample("listed-utility"), AS_OF, "zh"))
    assert day(found["carbon_certificate_due"], "DTSTART") == dt.date(2022, 8, 15)
    assert day(found["training_deadline"], "DTSTART") == dt.date(2022, 12, 31)


def test_the_training_is_one_event_not_two():
    # The training deadline is a scheme date that is there only with the training commitment:
    # the calendar says it once (it said it twice, as the scheme date and as a commitment).
    found = events(build_ics(load_sample("listed-utility"), AS_OF, "en"))
    on_the_day = [k for k, e in found.items() if day(e, "DTSTART") == dt.date(2022, 12, 31)]
    assert on_the_day == ["training_deadline"]
    assert "commitment_training" not in found


def test_uids_stable_distinct_and_free_of_the_name():
    answers = load_sample("family-restaurant")
    first = events(build_ics(answers, AS_OF, "zh"))
    again = events(build_ics(answers, dt.date(2022, 6, 1), "en"))
    uids = [str(e["UID"]) for e in first.values()]
    assert len(set(uids)) == len(uids)
    assert {k: str(e["UID"]) for k, e in first.items()} == {k: str(e["UID"]) for k, e in again.items()}
    other = events(build_ics(with_name(answers, "Another Org"), AS_OF, "zh"))
    assert not set(uids) & {str(e["UID"]) for e in other.values()}
    for uid in uids:
        assert "陳記" not in uid and "Chan" not in uid
    assert event_uid("hkqaa-ors-2022", "review", "陳記") == event_uid("hkqaa-ors-2022", "review", "陳記")


def test_texts_in_the_language_asked_with_contact_and_note():
    contact = load_edition().contact
    for lang, title in (("en", "Organisation Recognition Scheme 2022"), ("zh", "機構嘉許計劃 2022"),
                        ("zh-hans", "机构嘉许计划 2022")):
        cal = Calendar.from_ical(build_ics(load_sample("harbour-view-property"), AS_OF, lang))
        assert title in str(cal["X-WR-CALNAME"])
        for event in cal.walk("VEVENT"):
            assert str(event["SUMMARY"]).startswith(title)
            description = str(event["DESCRIPTION"])
            assert contact.phone in description and contact.email in description
            assert t("self_check_note", lang) in description


@pytest.mark.parametrize("name", ["\u202eشركة\u202c 😀 a\u0000b\nc\td", "x" * 200, "陳記 <Chan's Café>; & Co., \\N"])
def test_hostile_names_give_a_valid_calendar(name):
    data = build_ics(with_name(load_sample("harbour-view-property"), name), AS_OF, "en")
    cal = Calendar.from_ical(data)
    assert plain_text(name) in str(cal["X-WR-CALNAME"])
    assert "\x00" not in data.decode("utf-8")
    assert len(list(cal.walk("VEVENT"))) >= 6


def test_unknown_language_refused():
    with pytest.raises(ValueError, match="lang"):
        build_ics(load_sample("new-applicant"), AS_OF, "fr")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_closed_round_has_one_past_event_and_nothing_to_act_on(lang):
    as_of = dt.date(2022, 6, 20)  # after the deadline, before the review and the results
    cal = Calendar.from_ical(build_ics(load_sample("harbour-view-property"), as_of, lang))
    found = list(cal.walk("VEVENT"))
    assert len(found) == 1
    event = found[0]
    assert day(event, "DTSTART") == dt.date(2022, 6, 15) < as_of
    assert "2022-06-15" in str(event["SUMMARY"])
    assert t("ics_closed_description", lang, year=2022, date="2022-06-15") in str(event["DESCRIPTION"])
