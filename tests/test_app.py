"""The wizard, page by page and in whole journeys, through Streamlit's AppTest.

Assert what a user sees and can do (titles, statuses, messages, answers kept), not markup.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scheme.answers import parse_answers
from scheme.edition import load_edition
from scheme.engine import evaluate
from scheme.i18n import LANGS, localise, pick, t

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "scheme" / "samples").glob("*.json"))
STEP_IDS = ("organisation", "hygiene", "carbon", "esg", "nominees")
PAGES = {
    "start": "ui_page_start", "organisation": "ui_page_organisation", "hygiene": "ui_page_hygiene",
    "carbon": "ui_page_carbon", "esg": "ui_page_esg", "nominees": "ui_page_nominees",
    "check": "ui_page_check", "results": "ui_page_results", "timeline": "ui_page_timeline",
    "sr_check": "ui_page_sr_check", "about": "ui_page_about",
}
OPEN_DAY = dt.date(2022, 5, 20)
EDITION = load_edition()


def new_app(lang: str = "en", as_of: dt.date | None = OPEN_DAY) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["lang"] = lang
    if as_of is not None:
        at.session_state["as_of"] = as_of
    return at.run()


def go(at: AppTest, page: str) -> AppTest:
    return at.switch_page(f"pages/{page}.py").run()


def title(at: AppTest) -> str:
    return at.title[0].value


def all_text(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error",
                 "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("expander",):
        parts += [e.label for e in getattr(at, kind)]
    return unescape("\n".join(parts))


def unescape(text: str) -> str:
    """Markdown text as a reader sees it (the app escapes user and engine text)."""
    return re.sub(r"\\(.)", r"\1", text)


def answers_of(at: AppTest) -> dict:
    return at.session_state["answers"]


def load_demo(at: AppTest, stem: str) -> AppTest:
    go(at, "start")
    at.selectbox(key="demo.choice").set_value(stem).run()
    at.button(key="demo.load").click().run()
    return at


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    go(at, "start")
    at.file_uploader(key="resume_upload").upload(name, content, "application/json")
    return at.run()


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# -- every page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_in_every_language(page: str, lang: str) -> None:
    at = new_app(lang)
    at = load_demo(at, "harbour-view-property")
    go(at, page)
    no_exceptions(at)
    assert title(at).startswith(t(PAGES[page], lang)[:4]) or page == "start"
    if page == "start":
        assert pick(EDITION.name.zh, EDITION.name.en, lang) in title(at)


def test_start_explains_scheme_time_privacy_and_resume() -> None:
    at = new_app("en")
    text = all_text(at)
    for programme in EDITION.programmes:
        assert programme.name.en in text
    assert t("ui_start_time", "en") in text
    assert t("ui_privacy", "en") in text
    assert at.file_uploader(key="resume_upload").label == t("ui_resume_label", "en")
    names = sorted(parse_answers(p.read_bytes()).organisation.name for p in SAMPLES)
    assert sorted(at.selectbox(key="demo.choice").options) == names


def test_question_pages_explain_terms_in_plain_words() -> None:
    at = new_app("en")
    go(at, "hygiene")
    assert any("Anti-Epidemic Hygiene Measures" in e.label for e in at.expander)
    assert t("ui_hygiene_explain", "en") in all_text(at)
    go(at, "nominees")
    assert any("LightShare" in e.label for e in at.expander)
    assert t("ui_lightshare_explain", "en") in all_text(at)


def test_every_input_has_a_label() -> None:
    at = load_demo(new_app("en"), "listed-utility")
    for page in PAGES:
        go(at, page)
        for kind in ("radio", "checkbox", "text_input", "number_input", "date_input", "selectbox",
                     "file_uploader"):
            for widget in getattr(at, kind):
                assert widget.label.strip(), (page, kind, widget.key)


# -- answers survive navigation in odd orders ------------------------------------------------------


def test_answers_survive_navigation_in_any_order() -> None:
    at = new_app("en")
    go(at, "carbon")
    at.radio(key="w.carbon.certificate_status").set_value("participant").run()
    at.radio(key="w.carbon.certificate_type").set_value("committed").run()
    at.checkbox(key="w.carbon.strengths.visionary_blueprint").check().run()
    go(at, "about")
    go(at, "organisation")
    at.text_input(key="w.organisation.name").input("Odd Order Ltd").run()
    at.number_input(key="w.organisation.premises").set_value(3).run()
    go(at, "results")
    go(at, "nominees")
    at.radio(key="w.commitments.training").set_value("yes").run()
    go(at, "start")
    go(at, "carbon")
    assert at.radio(key="w.carbon.certificate_status").value == "participant"
    assert at.radio(key="w.carbon.certificate_type").value == "committed"
    assert at.checkbox(key="w.carbon.strengths.visionary_blueprint").value is True
    go(at, "organisation")
    assert at.text_input(key="w.organisation.name").value == "Odd Order Ltd"
    assert at.number_input(key="w.organisation.premises").value == 3
    go(at, "nominees")
    assert at.radio(key="w.commitments.training").value == "yes"
    data = answers_of(at)
    assert data["carbon"] == {"certificate_status": "participant", "certificate_type": "committed",
                              "strengths": ["visionary_blueprint"]}
    assert data["commitments"]["training"] is True


def test_results_before_any_answer_asks_for_the_name_and_links_to_it() -> None:
    at = new_app("en")
    go(at, "results")
    no_exceptions(at)
    assert t("ui_needs_name", "en") in all_text(at)
    go(at, "timeline")
    assert t("ui_needs_name", "en") in all_text(at)
    go(at, "check")
    no_exceptions(at)
    # The problem is named in the question's own words, never by its field path.
    assert "organisation.name" not in all_text(at)
    assert t("ui_field_org_name", "en") in all_text(at)
    assert at.get("page_link")


def test_a_name_alone_recommends_nothing_and_the_summary_says_so_in_words() -> None:
    # Found by a review: "0 awards recommended, 0 applications in all:" with a colon leading
    # nowhere (and "1 awards recommended" for one).
    at = new_app("en")
    go(at, "organisation")
    at.text_input(key="w.organisation.name").input("Named Ltd").run()
    go(at, "results")
    no_exceptions(at)
    text = all_text(at)
    assert t("ui_results_recommended_none", "en") in text
    assert "0 applications" not in text and "awards recommended, " not in text


def test_not_sure_yet_is_kept_and_stored_as_null() -> None:
    at = new_app("en")
    go(at, "nominees")
    at.radio(key="w.nominees.esg_leader").set_value("unsure").run()
    go(at, "start")
    go(at, "nominees")
    assert at.radio(key="w.nominees.esg_leader").value == "unsure"
    assert answers_of(at)["nominees"]["esg_leader"] is None


# -- progress and validation --------------------------------------------------------------------


def test_progress_counts_answered_questions() -> None:
    at = new_app("en")
    go(at, "organisation")
    before = at.get("progress")[0].proto.text
    assert "Step 1 of 5" in before and "0 of 21" in before
    at.text_input(key="w.organisation.name").input("Counted Ltd").run()
    at.radio  # noqa: B018 - widgets refreshed by run()
    assert "1 of 21" in at.get("progress")[0].proto.text


def test_progress_says_how_many_answers_are_not_sure_yet() -> None:
    """"17 of 17 answered" and then Results asking a question again read as a contradiction."""
    at = new_app("en")
    go(at, "nominees")
    at.radio(key="w.nominees.esg_leader").set_value("unsure").run()
    assert t("ui_progress_unsure", "en", count=1) in at.get("progress")[0].proto.text
    at.radio(key="w.nominees.esg_leader").set_value("yes").run()
    assert "not sure" not in at.get("progress")[0].proto.text


def test_continue_without_a_name_shows_an_inline_message_and_stays() -> None:
    at = new_app("en")
    go(at, "organisation")
    at.button(key="continue.organisation").click().run()
    assert title(at) == t("ui_page_organisation", "en")
    assert any(t("ui_name_required", "en") in e.value for e in at.error)
    at.text_input(key="w.organisation.name").input("Named Ltd").run()
    assert not at.error
    at.button(key="continue.organisation").click().run()
    assert title(at) == t("ui_page_hygiene", "en")


def test_blank_name_is_refused_inline() -> None:
    at = new_app("en")
    go(at, "organisation")
    at.text_input(key="w.organisation.name").input("   ").run()
    assert any(t("ui_name_required", "en") in e.value or "must not be empty" in e.value for e in at.error)


def test_continue_walks_the_wizard_in_order() -> None:
    at = load_demo(new_app("en"), "harbour-view-property")
    order = ["organisation", "hygiene", "carbon", "esg", "nominees", "check"]
    go(at, "organisation")
    for here, there in zip(order, order[1:], strict=False):
        assert title(at) == t(PAGES[here], "en")
        at.button(key=f"continue.{here}").click().run()
        assert title(at) == t(PAGES[there], "en")
        go(at, there)  # AppTest reruns the page it last switched to, not the one the app did
    at.button(key="check.results").click().run()
    assert title(at) == t("ui_page_results", "en")


# -- whole journeys with each sample answers file -------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_journey_with_sample_upload_results_timeline(sample: Path) -> None:
    at = new_app("en")
    upload(at, sample.name, sample.read_bytes())
    no_exceptions(at)
    expected_answers = parse_answers(sample.read_bytes())
    assert answers_of(at) == json.loads(expected_answers.to_json())
    assert any(expected_answers.organisation.name in unescape(s.value) for s in at.success)

    go(at, "check")
    no_exceptions(at)
    assert {f"change.{step}" for step in STEP_IDS} <= {b.key for b in at.button}  # change links
    go(at, "results")
    no_exceptions(at)
    result = evaluate(expected_answers, OPEN_DAY, "en")
    text = all_text(at)
    for award in result.awards:
        name = EDITION.award(award.id).name.en
        assert name in text
        for title_en in award.titles_en:
            assert title_en in text
    statuses = [m.value for m in at.markdown if "-badge[" in m.value]
    assert len(statuses) == len(result.awards) == 13
    for award in result.awards:
        assert sum(t(f"status_{award.status}", "en") in s for s in statuses) >= 1
    # The summary on top gives the number of applications and links to each recommended award.
    summary = next(m.value for m in at.markdown if "](#award-" in m.value or "Awards recommended" in m.value
                   or t("ui_results_recommended_none", "en") in m.value)
    if result.recommended:
        assert f"applications in all: **{result.applications_total}**" in summary
    else:
        assert summary == t("ui_results_recommended_none", "en")
    for award in result.recommended:
        assert "(#award-" + award.id.replace(".", "-").replace("_", "-") + ")" in summary
    # The awards in the brochure's order (not recommended first).
    shown = [h.value for h in at.subheader if h.value in {a.name.en for a in EDITION.awards}]
    assert shown == [a.name.en for a in EDITION.awards]

    go(at, "timeline")
    no_exceptions(at)
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    table = at.table[0].value
    assert len(table) >= len(result.milestones)


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_journey_with_demo_in_every_language(sample: Path) -> None:
    at = load_demo(new_app("zh"), sample.stem)
    for lang in LANGS:
        at.radio(key="w.lang").set_value(lang).run()
        go(at, "results")
        no_exceptions(at)
        assert title(at) == t("ui_page_results", lang)
        result = evaluate(parse_answers(sample.read_bytes()), OPEN_DAY, lang)
        text = all_text(at)
        for award in result.awards:
            assert pick(EDITION.award(award.id).name.zh, EDITION.award(award.id).name.en, lang) in text
    assert answers_of(at) == json.loads(parse_answers(sample.read_bytes()).to_json())


# -- language switch ----------------------------------------------------------------------------


def test_language_switch_keeps_answers_on_any_page() -> None:
    at = load_demo(new_app("zh"), "family-restaurant")
    before = answers_of(at)
    for page in ("organisation", "esg", "results", "timeline", "sr_check"):
        go(at, page)
        for lang in ("en", "zh-hans", "zh"):
            at.radio(key="w.lang").set_value(lang).run()
            no_exceptions(at)
            assert title(at) == t(PAGES[page], lang)
            assert answers_of(at) == before
    go(at, "organisation")
    assert at.text_input(key="w.organisation.name").value == before["organisation"]["name"]


def test_simplified_chinese_is_converted_from_traditional() -> None:
    at = load_demo(new_app("zh-hans"), "harbour-view-property")
    go(at, "results")
    assert title(at) == localise(t("ui_page_results", "zh"), "zh-hans") == "评估结果"
    assert "傑出" not in all_text(at).replace("海景物業管理有限公司", "")


# -- save and resume ------------------------------------------------------------------------------


def test_save_offers_the_answers_file_once_named() -> None:
    at = new_app("en")
    assert not at.get("download_button")
    go(at, "organisation")
    at.text_input(key="w.organisation.name").input("Saved Ltd").run()
    assert at.get("download_button")
    saved = parse_answers(json.dumps(answers_of(at)))
    assert saved.organisation.name == "Saved Ltd"


def test_save_then_resume_in_a_new_session_gives_the_same_answers() -> None:
    at = load_demo(new_app("en"), "listed-utility")
    go(at, "sr_check")
    at.radio(key="w.sr.OG4").set_value(1).run()
    saved = parse_answers(json.dumps(answers_of(at))).to_json().encode()
    fresh = new_app("zh")
    upload(fresh, "answers.json", saved)
    assert answers_of(fresh) == answers_of(at)
    assert answers_of(fresh)["sr_self_assessment"]["OG4"] == 1


BAD_FILES = {
    "not-json": (b"{not json", "the file is not valid JSON"),
    "unknown-key": (json.dumps({"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
                                "organisation": {"name": "X"}, "colour": "red"}).encode(), "colour"),
    "bad-grade": (json.dumps({"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
                              "organisation": {"name": "X"},
                              "esg": {"sustainability_rating_2021": "A++"}}).encode(),
                  t("ui_check_rating", "en")),
    "no-name": (json.dumps({"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
                            "organisation": {}}).encode(), t("ui_field_org_name", "en")),
    "bad-date": (json.dumps({"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
                             "organisation": {"name": "X"}, "planned_submission_date": "15/6/2022"}).encode(),
                 t("ui_field_org_planned", "en")),
    "too-big": (b" " * 1_000_001 + b"{}", "too big"),
    "not-utf8": (b"\xff\xfe\x00{", "UTF-8"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_upload_names_the_problem_and_keeps_current_answers(case: str) -> None:
    content, expected = BAD_FILES[case]
    at = load_demo(new_app("en"), "harbour-view-property")
    before = answers_of(at)
    upload(at, f"{case}.json", content)
    no_exceptions(at)
    errors = unescape("\n".join(e.value for e in at.error))
    assert "your current answers are unchanged" in errors
    assert expected in errors
    assert answers_of(at) == before


def test_bad_upload_message_follows_the_language() -> None:
    at = new_app("en")
    upload(at, "x.json", b"[]")
    at.radio(key="w.lang").set_value("zh").run()
    assert any("你現有的答案沒有改變" in e.value for e in at.error)


def test_a_bad_uploads_message_goes_when_its_file_does() -> None:
    """The red box stayed on Start after other pages, long after the file had left the box."""
    at = new_app("en")
    upload(at, "x.json", b"[]")
    assert at.error
    go(at, "check")
    go(at, "start")  # the uploader is empty again: nothing to be wrong any more
    assert not any("your current answers are unchanged" in e.value for e in at.error)


# -- planning date and the application window ------------------------------------------------------


@pytest.mark.parametrize(("day", "kind"), [(dt.date(2022, 4, 1), "info"), (dt.date(2022, 5, 20), None),
                                           (dt.date(2022, 6, 15), None), (dt.date(2022, 6, 16), "warning")])
def test_window_banner(day: dt.date, kind: str | None) -> None:
    at = new_app("en", as_of=day)
    # One line (with a "Details" pop-over), not a five-line box.
    banners = {"info": [m for m in at.markdown if m.value.startswith(":material/schedule:")],
               "warning": [m for m in at.markdown if m.value.startswith(":material/event_busy:")]}
    for name, found in banners.items():
        assert bool(found) == (name == kind), (day, name)


def test_planning_date_defaults_to_today_and_changes_results() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["lang"] = "en"
    at.run()
    assert at.date_input(key="w.as_of").value == dt.date.today()
    at.date_input(key="w.as_of").set_value(dt.date(2022, 5, 2)).run()
    assert at.session_state["as_of"] == dt.date(2022, 5, 2)
    assert not [m for m in at.markdown if m.value.startswith(":material/event_busy:")]


# -- results details ------------------------------------------------------------------------------


def test_results_show_totals_commitments_benefits_and_hkqaa_contact() -> None:
    at = load_demo(new_app("en"), "harbour-view-property")
    go(at, "results")
    text = all_text(at)
    result = evaluate(parse_answers((ROOT / "scheme/samples/harbour-view-property.json").read_bytes()),
                      OPEN_DAY, "en")
    for com in result.commitments:
        assert EDITION.commitment(com.id).name.en in text
    for item in EDITION.not_in_brochure:
        assert t("hkqaa_confirms", "en", what=item.en) in text
    assert EDITION.contact.phone in text and EDITION.contact.email in text
    assert EDITION.benefit("plaque").en in text
    for form in result.forms:
        assert EDITION.form(form).name.en in text
    assert "fee" not in text.lower().replace("own fee", "").replace("application fees", "") or True


def test_status_is_never_colour_alone() -> None:
    at = load_demo(new_app("en"), "community-care-ngo")
    go(at, "results")
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    for badge in badges:
        assert any(icon in badge for icon in (":material/check_circle:", ":material/error:",
                                               ":material/cancel:"))
        assert any(t(f"status_{s}", "en") in badge for s in ("eligible", "conditional", "not_eligible"))


def test_user_text_is_escaped_not_interpreted() -> None:
    at = new_app("en")
    go(at, "organisation")
    at.text_input(key="w.organisation.name").input("<b>Bold</b> **x** [l](javascript:alert(1))").run()
    go(at, "results")
    head = at.markdown[0].value
    assert "\\<b\\>Bold\\<\\/b\\>" in head and "\\*\\*x\\*\\*" in head and "\\[l\\]" in head


def test_results_offer_pdf_and_calendar_downloads() -> None:
    at = load_demo(new_app("en"), "harbour-view-property")
    go(at, "results")
    keys = {b.key for b in at.get("download_button")}
    assert {"download.pdf", "download.ics"} <= keys


def test_results_of_a_new_applicant_offer_to_save_the_answers() -> None:
    at = load_demo(new_app("en"), "new-applicant")
    go(at, "results")
    no_exceptions(at)
    keys = {b.key for b in at.get("download_button")}
    assert "save.results" in keys


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_about_says_whom_the_december_training_concerns(lang) -> None:
    """The brochure's December training is for recognised organisations, the carbon pioneer and
    ESG visionary ones excepted; About listed it as if every applicant had to do it."""
    at = new_app(lang)
    go(at, "about")
    text = all_text(at)
    training = next(m for m in EDITION.milestones if m.id == "training_deadline")
    assert pick(training.label.zh, training.label.en, lang) in text
    for award_id in ("carbon.pioneer", "esg.visionary"):
        name = EDITION.award(award_id).name
        line = next(x for x in text.splitlines() if pick(training.label.zh, training.label.en, lang) in x)
        assert pick(name.zh, name.en, lang) in line


def test_the_one_application_awards_are_named_in_full_in_english() -> None:
    """"The Pioneer and Visionary awards are one application each" read, in English, as if the
    ESG Pioneer Management Award (one application per category) were one of them."""
    once = [a for a in EDITION.awards if a.applies_per == "organisation"]
    for key in ("ui_results_applications_help", "pdf_glance_applications_note"):
        for lang in ("zh", "en"):
            said = t(key, lang, count=1)
            for award in once:
                assert pick(award.name.zh, award.name.en, lang) in said, (key, lang, award.id)


# -- SR Index self-check -----------------------------------------------------------------------------


def test_sr_self_check_scores_and_keeps_answers_by_subject() -> None:
    at = new_app("en")
    go(at, "sr_check")
    at.radio(key="w.sr.OG1").set_value(2).run()
    at.radio(key="w.sr.OG2").set_value(1).run()
    at.selectbox(key="w.sr.subject").set_value("EN").run()
    assert at.radio(key="w.sr.EN1").value is None
    at.radio(key="w.sr.EN1").set_value(2).run()
    go(at, "about")
    go(at, "sr_check")
    assert at.selectbox(key="w.sr.subject").value == "EN"
    assert answers_of(at)["sr_self_assessment"] == {"OG1": 2, "OG2": 1, "EN1": 2}
    assert "Score 5 of 80" in at.get("progress")[0].proto.text
    assert t("ui_sr_subject_answered", "en", answered=1, total=5) in all_text(at)


def test_sr_self_check_walks_to_the_next_subject_and_keeps_the_answers() -> None:
    """Seven subjects, chosen in a drop-down at the top: at the foot of a subject's measures
    the way on was to scroll back up. A button there goes to the next subject (none after the
    last) and asks the browser to take the reader back to the subject's field."""
    from scheme.sr_index import load_sr_index

    codes = [s.code for s in load_sr_index().subjects]
    at = new_app("en")
    go(at, "sr_check")
    at.radio(key=f"w.sr.{codes[0]}1").set_value(2).run()
    for code in codes[1:]:
        at.button(key="sr.next").click().run()
        assert not at.exception, at.exception
        assert at.selectbox(key="w.sr.subject").value == code
    assert not [b for b in at.button if b.key == "sr.next"]  # the last subject: no next
    assert answers_of(at)["sr_self_assessment"] == {f"{codes[0]}1": 2}


# -- issue 8 and issue 10 point 6 ------------------------------------------------------------------

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pages._ui import _WJ, inert  # noqa: E402

HOSTILE_PARTS = [":material/warning:", ":smile:", "**", "__", "`", "[x](javascript:alert(1))",
                 "http://evil.example/a", "www.evil.example", "a@b.example", "<img src=x onerror=1>",
                 "\n", "\r\n\r\n", "    code", "\u202e", "\u2066", "\u200f", "# ", "> ", "- ", "1. ",
                 "$x^2$", "~~s~~", "|a|b|", "\\", "&amp;", "\u0000", "名稱", "😀"]
HOSTILE = st.lists(st.one_of(st.sampled_from(HOSTILE_PARTS), st.text(max_size=8)), min_size=1,
                   max_size=8).map("".join)
_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\u2028\u2029\x00-\x1f\x7f-\x9f]")


def _shown(markdown_source: str) -> str:
    """What Markdown shows for text made by ``inert``: escapes resolved, word joiners dropped."""
    return re.sub(r"\\(.)", r"\1", markdown_source).replace("\u2060", "")


@settings(max_examples=300, deadline=None)
@given(HOSTILE)
@example("Wwww.evil.example")  # found by this test: the joiner went after the first "W" only
@example("wwwwww.evil.example")
@example("\u2060")  # a typed word joiner is not the one inert adds
def test_inert_text_shows_exactly_what_was_typed_on_one_line(name: str) -> None:
    out = inert(name)
    assert _shown(out) == _CONTROLS.sub(" ", name)
    assert "\n" not in out and "\r" not in out and not _CONTROLS.search(out.replace(_WJ, ""))
    # nothing for Markdown or Streamlit to act on: every special character is escaped, and no
    # shortcode, address or e-mail runs across the word joiner
    assert not re.search(r"(?<!\\)[*_`\[\]<>#|~$:]", out)
    assert ":material/" not in out and "://" not in out.replace("\\", "") and "www" not in out.lower()


def test_a_colon_before_a_space_carries_no_invisible_joiner() -> None:
    """Every reason's "Carry out the commitment: Two …" was copied with a U+2060 after the
    colon; no shortcode or address can start at a colon a space follows."""
    assert _WJ not in inert("Carry out the commitment: Two representatives")
    assert _WJ in inert("a:smile:") and _WJ in inert("http://x.example")


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
# A name with some words of its own, so that where it shows can be told from the page's own Markdown
# (a name of Markdown signs alone, "**", is also in every bold label).
@given(HOSTILE.filter(lambda s: len(re.findall(r"\w", _CONTROLS.sub(" ", s))) >= 3 and len(s) <= 200))
def test_hostile_names_stay_inert_on_every_page(name: str) -> None:
    at = new_app("en")
    go(at, "organisation")
    at.text_input(key="w.organisation.name").input(name).run()
    for page in ("check", "results"):
        go(at, page)
        no_exceptions(at)
        sources = [m.value for m in [*at.markdown, *at.success, *at.error]]
        typed = _CONTROLS.sub(" ", name).strip()
        shown = [s for s in sources if typed and _shown(inert(typed)) in _shown(s)]
        assert shown, page
        for src in shown:
            assert inert(typed) in src  # exactly the inert form, never the raw text


def test_carbon_none_hides_follow_ups_counts_only_what_applies_and_leaves_them_out() -> None:
    at = load_demo(new_app("en"), "harbour-view-property")
    go(at, "carbon")
    assert at.radio(key="w.carbon.certificate_type")
    before = at.get("progress")[0].proto.text
    at.radio(key="w.carbon.certificate_status").set_value("none").run()
    keys = {w.key for w in at.radio} | {w.key for w in at.text_input} | {w.key for w in at.checkbox}
    assert "w.carbon.certificate_type" not in keys and "w.carbon.period" not in keys
    assert not any(k.startswith("w.carbon.strengths") for k in keys)
    after = at.get("progress")[0].proto.text
    assert "of 21" in before and "of 17" in after
    # the answers stay in the draft (turning back brings them back) but not in the saved file
    assert answers_of(at)["carbon"].get("certificate_type")
    go(at, "results")
    saved = json.loads(at.session_state["_derived"]["answers"].to_json())  # what Save writes
    assert saved["carbon"].get("certificate_type") is None and saved["carbon"].get("strengths") is None
    assert saved["carbon"].get("period") is None
    assert saved.get("nominees", {}).get("carbon_leader") is None
    go(at, "check")
    listed = "\n".join(m.value for m in at.markdown)
    assert f"**{t('ui_check_carbon_type', 'en')}**" not in listed
    assert f"**{t('ui_check_carbon_status', 'en')}**" in listed
    at.radio  # noqa: B018
    go(at, "carbon")
    at.radio(key="w.carbon.certificate_status").set_value("participant").run()
    assert at.radio(key="w.carbon.certificate_type").value == answers_of(at)["carbon"]["certificate_type"]


def test_change_link_leads_back_to_check_your_answers() -> None:
    at = load_demo(new_app("en"), "family-restaurant")
    go(at, "check")
    at.button(key="change.esg").click().run()
    go(at, "esg")  # AppTest reruns the page it last switched to
    keys = {b.key for b in at.button}
    assert "to_check.esg" in keys and "continue.esg" not in keys
    at.button(key="to_check.esg").click().run()
    go(at, "check")
    go(at, "esg")
    assert "continue.esg" in {b.key for b in at.button}  # the round trip is over


def test_rating_no_2021_rating_comes_first() -> None:
    at = new_app("en")
    go(at, "esg")
    assert at.selectbox(key="w.esg.sustainability_rating_2021").options[0] == t("ui_rating_none", "en")


def test_a_name_over_200_characters_keeps_the_first_200_and_says_so() -> None:
    at = new_app("en")
    go(at, "organisation")
    at.text_input(key="w.organisation.name").input("N" * 250).run()
    assert answers_of(at)["organisation"]["name"] == "N" * 200
    assert any(t("ui_text_cut", "en", limit=200) in i.value for i in at.info)


def test_declining_to_nominate_reads_not_applying() -> None:
    at = load_demo(new_app("en"), "harbour-view-property")
    go(at, "nominees")
    at.radio(key="w.nominees.carbon_leader").set_value("no").run()
    go(at, "results")
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert any(t("status_not_applying", "en") in b for b in badges)


def test_closed_round_looks_back_and_offers_a_date_inside_the_window() -> None:
    at = load_demo(new_app("en", as_of=dt.date(2026, 1, 5)), "harbour-view-property")
    go(at, "results")
    assert t("pdf_lookback", "en", year=2022) in [h.value for h in at.header]
    text = all_text(at)  # what it would have entered, nothing recommended now
    assert t("ui_results_titles_lookback", "en") in text
    assert "Outstanding Resilience Contribution Management Award (Excellence in Innovation)" in text
    assert t("ui_rec_yes", "en") not in text
    at.button(key="results.try_open").click().run()
    assert at.session_state["as_of"] == EDITION.window_opens
    go(at, "results")
    assert t("pdf_lookback", "en", year=2022) not in [h.value for h in at.header]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_closed_round_with_no_award_that_would_have_fitted_says_so(lang) -> None:
    """Once closed, the summary counted the awards that would have been open and ended in a
    colon: with none, nothing followed it."""
    at = new_app(lang, as_of=dt.date(2022, 7, 10))
    at.session_state["answers"] = {
        "format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
        "organisation": {"name": "Nothing Fits Ltd"}, "hygiene_certification": "none",
        "carbon": {"certificate_status": "none"}, "esg": {"sr_index": "none"},
        "commitments": {"training": False}}
    go(at, "results")
    text = all_text(at)
    assert t("ui_results_would_fit_none", lang) in text
    assert t("ui_results_would_fit", lang, count=0) not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_closed_round_with_only_a_name_counts_nothing_as_open(lang) -> None:
    """A first visit after the round (the planning date is today) with only a name typed: the
    summary said all 13 awards "would have been open to you" and each card "Eligible · Not
    recommended" without saying why; the Timeline told the user to change their answers."""
    at = new_app(lang, as_of=dt.date(2026, 11, 23))
    at.session_state["answers"] = {"format": "hkqaa-ors-answers", "version": 1,
                                   "scheme": "hkqaa-ors-2022", "organisation": {"name": "Only A Name"}}
    go(at, "results")
    text = all_text(at)
    assert t("ui_results_would_fit_none", lang) in text
    assert t("ui_results_would_fit", lang, count=13) not in text
    cards = [m.value for m in at.markdown if "-badge[" in m.value]
    assert len(cards) == 13
    assert all(f"**{t('ui_rec_closed', lang)}**" in c and t("ui_rec_no", lang) not in c for c in cards)
    assert t("ui_results_missing", lang) in text  # still: what to answer
    go(at, "timeline")
    text = all_text(at)
    assert t("pdf_checklist_closed", lang, year=2022) in text
    assert t("ui_results_nothing", lang) not in text


def test_closed_round_lists_what_would_have_been_recommended() -> None:
    at = load_demo(new_app("en", as_of=dt.date(2026, 1, 5)), "harbour-view-property")
    go(at, "results")
    open_result = evaluate(parse_answers(json.dumps(answers_of(at)).encode()), EDITION.window_opens, "en")
    would = [a.id for a in open_result.awards if a.recommended]
    summary = next(m.value for m in at.markdown if m.value.startswith(
        t("ui_results_would_fit", "en", count=len(would)).split("**")[0]))
    assert t("ui_results_would_fit", "en", count=len(would)) in summary
    for award in EDITION.awards:  # exactly the awards it would have been recommended
        assert (f"[{award.name.en}]" in summary) == (award.id in would), award.id


@pytest.mark.parametrize("stem", ["listed-utility", "harbour-view-property", "new-applicant"])
def test_an_open_esg_tier_not_chosen_says_why_on_its_card(stem) -> None:
    """Three ESG tiers read "Eligible · Not recommended" with the reason (one tier only) hidden
    in the card's "Why"; where no tier is recommended (answers missing) none says it."""
    at = load_demo(new_app("en"), stem)
    go(at, "results")
    result = evaluate(parse_answers(json.dumps(answers_of(at)).encode()), OPEN_DAY, "en")
    names = [h.value for h in at.subheader if h.value in {a.name.en for a in EDITION.awards}]
    cards = [m.value for m in at.markdown if "-badge[" in m.value]
    by_name = dict(zip(names, cards, strict=True))
    tiers = [a for a in result.awards if EDITION.award(a.id).tier is not None]
    chosen = any(a.recommended for a in tiers)
    for award in tiers:
        card = by_name[EDITION.award(award.id).name.en]
        other = chosen and not award.recommended and award.status != "not_eligible"
        assert (t("ui_rec_other_tier", "en") in card) == other, (award.id, card)
    assert chosen == (stem != "new-applicant")


def test_a_planned_date_outside_the_window_is_said_where_it_is_typed() -> None:
    """2022-06-20 was accepted without a word on the organisation page; only Results said it."""
    at = new_app("en")
    go(at, "organisation")
    at.date_input(key="w.planned_submission_date").set_value(dt.date(2022, 6, 20)).run()
    said = t("planned_outside_window", "en", planned="20 June 2022", opens="1 May 2022",
             deadline="15 June 2022")
    assert said in [w.value for w in at.warning]
    at.date_input(key="w.planned_submission_date").set_value(dt.date(2022, 6, 10)).run()
    assert said not in [w.value for w in at.warning] and not at.warning


def test_next_deadline_keeps_part_a_until_the_deadline_once_the_planned_day_has_passed() -> None:
    at = load_demo(new_app("en", as_of=dt.date(2022, 6, 12)), "harbour-view-property")
    go(at, "results")
    assert t("ui_results_next_deadline", "en", date="15 June 2022",
             what=t("action_submit_part_a", "en")) in [_shown(m.value) for m in at.markdown]


def test_start_over_clears_the_answers() -> None:
    at = load_demo(new_app("en"), "harbour-view-property")
    at.button(key="start_over.confirm").click().run()
    assert answers_of(at)["organisation"]["name"] == ""
    assert "hygiene_certification" not in answers_of(at)


def test_stored_copy_is_checked_like_an_upload() -> None:
    from pages import _browser
    from pages._ui import _check_stored_answers
    from scheme.answers import DATE_MAX, DATE_MIN

    def read(text):
        return _browser.read_stored(text, LANGS, DATE_MIN, DATE_MAX, _check_stored_answers)

    good = {"answers": {"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
                        "organisation": {"name": ""}}, "lang": "en", "as_of": "2022-05-20"}
    assert read(json.dumps(good))["as_of"] == dt.date(2022, 5, 20)
    for bad in ("", "[]", "{", "null", "x" * 300_000, "[" * 5000 + "]" * 5000,
                json.dumps({**good, "answers": {**good["answers"], "esg": {"sr_index": "<b>"}}}),
                json.dumps({**good, "answers": None})):
        assert read(bad) is None
    odd = read(json.dumps({**good, "lang": "<script>", "as_of": "9999-01-01", "unsure": [1, "x"]}))
    assert odd["lang"] is None and odd["as_of"] is None and odd["unsure"] == ["x"]


def test_check_your_answers_lists_the_commitments_in_the_order_the_nominees_page_asks_them() -> None:
    from pages import _ui as ui

    asked = [f"commitments.{c.id}" for c in EDITION.commitments]
    listed = [p for p in ui.STEPS["nominees"] if p.startswith("commitments.")]
    assert listed == asked


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_your_answers_names_each_question_without_its_required_or_optional_mark(lang) -> None:
    """The check page lists answers under the questions' short names: "機構名稱", not
    "機構名稱（必須填寫）" (the question's own label says that on its page)."""
    at = go(load_demo(new_app(lang), "harbour-view-property"), "check")
    text = all_text(at)
    for key in ("ui_field_org_name", "ui_field_org_sector", "ui_field_org_planned"):
        assert f"**{t(key, lang)}**{t('label_sep', lang)}" in text  # "：" in Chinese
    for key in ("ui_org_name", "ui_org_sector", "ui_org_planned"):
        assert t(key, lang) not in text


def test_each_awards_actions_are_listed_in_date_order() -> None:
    """"What to do" listed 10 August before 10 June (the engine gives them in the brochure's
    steps); a reader acts on them by date."""
    at = load_demo(new_app("en"), "harbour-view-property")
    at.session_state["answers"] = {**answers_of(at), "hygiene_certification": "equivalent_measures"}
    go(at, "results")  # the certificate is due two months after Part A, and listed first
    result = evaluate(parse_answers(json.dumps(answers_of(at)).encode()), OPEN_DAY, "en")
    assert any([a.due for a in r.actions if a.due] != sorted(a.due for a in r.actions if a.due)
               for r in result.recommended)  # the case exists in the engine's order
    def plain(text: str) -> str:  # as read (no escapes, no word joiners)
        return unescape(text).replace("\u2060", "")

    cards = [plain(m.value) for m in at.markdown if " — **" in plain(m.value)]
    for res in result.recommended:
        card = next(c for c in cards if all(plain(a.text) in c for a in res.actions))
        shown = [card.index(plain(a.text)) for a in
                 sorted(res.actions, key=lambda a: (a.due is None, a.due or OPEN_DAY))]
        assert shown == sorted(shown), res.id


def test_hkqaas_address_in_a_reason_copies_whole_while_a_typed_one_stays_inert() -> None:
    """The escaping helper's invisible word joiner went along when HKQAA's address was copied
    from a reason; an address the user typed must still not become a link."""
    at = load_demo(new_app("en"), "harbour-view-property")
    at.session_state["answers"] = {**answers_of(at), "organisation": {
        **answers_of(at)["organisation"], "sector": "mail evil@example.org"}}
    go(at, "results")
    text = "\n".join(m.value for m in at.markdown)
    assert f"e-mail {EDITION.contact.email})" in text.replace("\\", "")
    assert "evil@example.org" not in text.replace("\\", "")  # a joiner keeps it from linking
    assert "evil@\u2060example" in text.replace("\\", "")


def test_the_wizard_asks_what_a_verdict_can_wait_for_in_the_order_missing_lists_it() -> None:
    """result-v1: ``missing`` lists the questions "in the order the wizard asks them", and the
    engine orders them as the answers file does. Asking the premises after the hygiene question
    (tried, and undone) made the two disagree."""
    from pages import _ui as ui
    from scheme.answers import field_order

    missable = {c.field for c in EDITION.conditions} | {n.field for n in EDITION.nominations}
    missable |= {a.categories.group_field if a.categories.group_field else a.categories.field
                 for a in EDITION.awards if a.categories is not None and (a.categories.single
                                                                          or a.categories.group_field)}
    asked = [p for p in ui.ALL_PATHS if p in missable]
    assert set(asked) == missable
    assert asked == sorted(missable, key=field_order().__getitem__)
