"""The calendar (.ics, RFC 5545): the scheme's dates and the organisation's own deadlines.

One all-day event per row of the timeline (``scheme.timeline.timeline_rows``): the scheme's
milestones, the organisation's own deadlines (its planned submission date where it lies inside
the application window, the certificate it must obtain by a date) and each dated commitment, so
the calendar says what the chart shows.
A milestone that spans days (the review period) is one event over the span.

A closed round (the planning date after the 2022 application deadline) gets no dates to act on:
nothing is recommended then (contract interpretation 10), so the organisation's own deadlines and
commitments do not apply, and the scheme's remaining dates (review, results, training) concern
only those who applied. An empty calendar is not a valid file (RFC 5545 asks for at least one
component) and would say nothing; so the calendar holds one event on the day the round closed,
in the past, saying that applications closed then and that HKQAA can say what the next round
asks. Nothing in it looks forward.

Dates are all-day (``VALUE=DATE``), so no time zone can move them. UIDs are stable, from the
scheme id, the milestone id and a short hash of the organisation's name (no other personal
data), so importing a newer file updates the events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

from scheme.answers import Answers
from scheme.edition import Edition, load_edition
from scheme.engine import evaluate, window_state
from scheme.i18n import pick, t
from scheme.render import date_words
from scheme.timeline import timeline_rows

PRODID = "-//hkqaa-ors-selfcheck//Self-check calendar//EN"
UID_DOMAIN = "hkqaa-ors-selfcheck"


def plain_text(text: str) -> str:
    """User text fit for a calendar property: no control or invisible formatting characters."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if char in "\t\r\n\v\f" or category in {"Zl", "Zp"}:
            out.append(" ")
        elif not category.startswith("C"):
            out.append(char)
    return " ".join("".join(out).split())


def organisation_key(name: str) -> str:
    """A short, stable hash of the organisation's name, for event UIDs."""
    normal = unicodedata.normalize("NFC", name).strip().casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


def event_uid(scheme_id: str, milestone_id: str, organisation_name: str) -> str:
    return f"{scheme_id}-{milestone_id}-{organisation_key(organisation_name)}@{UID_DOMAIN}"


def _contact_line(edition: Edition, lang: str) -> str:
    contact = edition.contact
    return t("ics_contact", lang, unit=pick(contact.unit.zh, contact.unit.en, lang),
             phone=contact.phone, email=contact.email, website=contact.website)


def build_ics(answers: Answers, as_of: dt.date | None = None, lang: str = "zh") -> bytes:
    """The calendar of ``answers`` as of ``as_of`` (default today), texts in ``lang``."""
    from icalendar import Calendar, Event, vText

    if lang not in ("zh", "en", "zh-hans"):
        raise ValueError(f"lang must be zh, en or zh-hans (got {lang!r})")
    edition = load_edition(answers.scheme)
    result = evaluate(answers, as_of, lang, edition=edition)
    scheme_name = pick(edition.name.zh, edition.name.en, lang)
    organisation = plain_text(answers.organisation.name)
    contact = _contact_line(edition, lang)
    note = t("self_check_note", lang)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = t("ics_calendar_name", lang, scheme=scheme_name, organisation=organisation)
    # text values, escaped (a comma or semicolon in a name): icalendar escapes the properties it
    # knows as text (SUMMARY), not these two unless told
    cal.add("x-wr-calname", vText(name))
    cal.add("name", vText(name))

    if result.window == "closed":
        deadline = edition.milestone("application_deadline").date
        event = Event()
        event.add("uid", event_uid(result.scheme, "application_closed", answers.organisation.name))
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline)
        event.add("dtend", deadline + dt.timedelta(days=1))
        event.add("summary", t("ics_closed_summary", lang, scheme=scheme_name,
                               date=date_words(deadline, lang)))
        event.add("description", "\n".join([
            t("ics_closed_description", lang, year=deadline.year, date=date_words(deadline, lang)),
            contact, note]))
        event.add("categories", [t("timeline_kind_scheme", lang)])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
        return cal.to_ical()

    for row in timeline_rows(result, lang, edition):
        if row.id == "planned_submission" and window_state(edition, row.date) != "open":
            # a planned date outside the window is no day to send Part A on (interpretation 3:
            # it is due by the deadline, which is an event of its own); the timeline still
            # shows it, saying it lies outside
            continue
        event = Event()
        event.add("uid", event_uid(result.scheme, row.id, answers.organisation.name))
        event.add("dtstamp", stamp)
        event.add("dtstart", row.date)
        # DTEND of an all-day event is the day after the last day (RFC 5545, 3.6.1).
        event.add("dtend", (row.end or row.date) + dt.timedelta(days=1))
        event.add("summary", t("ics_summary", lang, scheme=scheme_name, label=row.label))
        lines = []
        if row.when:  # the brochure's own words for when ("End of December")
            lines.append(t("ics_when", lang, when=row.when))
        lines += [contact, note]
        event.add("description", "\n".join(lines))
        event.add("categories", [t(f"timeline_kind_{row.kind}", lang)])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


__all__ = ["build_ics", "event_uid", "organisation_key", "plain_text"]
