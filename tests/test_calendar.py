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
from scheme.render import date_words
from scheme.timeline import timeline_rows
from tests.support import load_sample, with_name

SAMPLES = Path(__file__).resolve().parent.parent / "scheme" / "samples"
AS_OF = dt.date(2022, 5, 20)




def unescaped(value) -> str:
    """A TEXT value as a calendar shows it (RFC 5545 3.3.11): icalendar parses NAME and
    X-WR-CALNAME as unknown values and leaves their escapes in."""
    text = str(value)
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append("\n" if text[i + 1] in "nN" else text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


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
    edition = load_edition()
    rows = [r for r in timeline_rows(evaluate(answers, AS_OF, "en"), "en") if r.id != "planned_submission"
            or edition.window_opens <= r.date <= edition.window_closes]  # see the test below
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
    # Planned submission date inside the window (one after it is no event: test below).
    found = events(build_ics(load_sample("harbour-view-property"), AS_OF, "zh"))
    assert day(found["planned_submission"], "DTSTART") == dt.date(2022, 6, 10)
    assert "planned_submission" not in events(build_ics(load_sample("family-restaurant"), AS_OF, "zh"))
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
        assert title in unescaped(cal["X-WR-CALNAME"])
        for event in cal.walk("VEVENT"):
            assert str(event["SUMMARY"]).startswith(title)
            description = str(event["DESCRIPTION"])
            assert contact.phone in description and contact.email in description
            assert t("self_check_note", lang) in description


@pytest.mark.parametrize("name", ["\u202eشركة\u202c 😀 a\u0000b\nc\td", "x" * 200, "陳記 <Chan's Café>; & Co., \\N"])
def test_hostile_names_give_a_valid_calendar(name):
    data = build_ics(with_name(load_sample("harbour-view-property"), name), AS_OF, "en")
    cal = Calendar.from_ical(data)
    # icalendar writes a literal "\\N" as its escape for a line break: shown as one
    assert plain_text(name).replace("\\N", "\n") in unescaped(cal["X-WR-CALNAME"])
    assert "\x00" not in data.decode("utf-8")
    assert len(list(cal.walk("VEVENT"))) >= 6


@pytest.mark.parametrize("planned", [dt.date(2022, 4, 10), dt.date(2022, 6, 20)])
def test_a_planned_date_outside_the_window_is_no_event(planned):
    """It was an event under "Your deadlines" on a day Part A cannot be sent (interpretation 3:
    Part A is due by the deadline, an event of its own); inside the window it is one."""
    answers = load_sample("harbour-view-property").model_copy(update={"planned_submission_date": planned})
    found = events(build_ics(answers, dt.date(2022, 4, 1), "en"))
    assert "planned_submission" not in found and "application_deadline" in found
    rows = timeline_rows(evaluate(answers, dt.date(2022, 4, 1), "en"), "en")
    assert "planned_submission" in {r.id for r in rows}  # the timeline still shows it, labelled
    inside = answers.model_copy(update={"planned_submission_date": dt.date(2022, 6, 1)})
    assert day(events(build_ics(inside, dt.date(2022, 4, 1), "en"))["planned_submission"],
               "DTSTART") == dt.date(2022, 6, 1)


def test_the_calendars_name_is_escaped_text():
    """NAME and X-WR-CALNAME are text (RFC 7986): a comma or semicolon in a name is escaped."""
    data = build_ics(with_name(load_sample("harbour-view-property"), 'Test Org, Ltd; "Q"'), AS_OF, "en")
    lines = data.decode("utf-8").replace("\r\n ", "").split("\r\n")
    for key in ("NAME:", "X-WR-CALNAME:"):
        line = next(x for x in lines if x.startswith(key))
        assert "Test Org\\, Ltd\\; " in line, line
    assert unescaped(Calendar.from_ical(data)["NAME"]).endswith('Test Org, Ltd; "Q"')


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
    said = date_words(dt.date(2022, 6, 15), lang)  # as every other text writes it
    assert said in str(event["SUMMARY"])
    assert t("ics_closed_description", lang, year=2022, date=said) in str(event["DESCRIPTION"])
