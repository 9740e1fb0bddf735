"""End-to-end: a person in a real browser (Debian's chromium) against a real ``streamlit run``.

A new user fills the wizard from Start to Results in Traditional Chinese, switches to English,
saves the answers file, resumes it in a fresh session, and is told clearly about a bad file.
Screenshots are kept under test-artifacts/e2e/ (gitignored) for people to look at.
"""

from __future__ import annotations

import json

import pytest

from scheme.answers import parse_answers
from scheme.edition import load_edition
from scheme.i18n import t

pytestmark = pytest.mark.e2e

ED = load_edition()
NAME = "測試物業管理有限公司 <E2E>"


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-HK",
                              accept_downloads=True)
    yield ctx
    ctx.close()


def _helpers():
    from tests.e2e import helpers

    return helpers


def choose(page, text: str) -> None:
    """Click a radio option or a checkbox by its visible label."""
    h = _helpers()
    h.click_and_wait(page, page.locator("[data-testid=stMain] label").filter(has_text=text).first)


def fill(page, label: str, value: str) -> None:
    h = _helpers()
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    h.wait_idle(page)


def press_continue(page, lang: str = "zh") -> None:
    h = _helpers()
    h.click_and_wait(page, page.get_by_role("button", name=t("ui_continue", lang)))


def test_new_user_start_to_results_switch_language_save_and_resume(context, server_url, shots, tmp_path):
    from playwright.sync_api import expect

    h = _helpers()
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    h.open_page(page, server_url)
    h.heading(page, t("ui_start_title", "zh", scheme=ED.name.zh))
    h.shot(page, shots, "01-start-zh")

    h.click_and_wait(page, page.get_by_role("button", name=t("ui_start_button", "zh"), exact=True))
    h.heading(page, t("ui_page_organisation", "zh"))
    # every page listed: Streamlit's folded list ends in "View 3 more", in English whatever the language
    expect(page.locator("[data-testid=stSidebarNavViewButton]")).to_have_count(0)
    expect(page.locator("[data-testid=stSidebarNavLink]")).to_have_count(13)  # pages/_ui.py PAGES
    press_continue(page)  # without a name: told inline, stays
    expect(page.get_by_text(t("ui_name_required", "zh"))).to_be_visible()
    fill(page, t("ui_org_name", "zh"), NAME)
    fill(page, t("ui_org_sector", "zh"), "私人屋苑物業管理")
    fill(page, t("ui_org_premises", "zh"), "2")
    expect(page.get_by_text(t("ui_name_required", "zh"))).to_have_count(0)
    h.shot(page, shots, "02-organisation-zh")
    press_continue(page)

    h.heading(page, t("ui_page_hygiene", "zh"))
    choose(page, t("ui_hygiene_opt_certified", "zh"))
    choose(page, "卓越創新")
    choose(page, "卓越員工支援")
    press_continue(page)

    h.heading(page, t("ui_page_carbon", "zh"))
    choose(page, t("ui_carbon_status_opt_pilot", "zh"))
    choose(page, t("ui_carbon_type_opt_achieved", "zh"))
    choose(page, "實現最大碳減排量")
    fill(page, t("ui_carbon_period_q", "zh"), "2021/22年度")
    h.shot(page, shots, "03-carbon-zh")
    press_continue(page)

    h.heading(page, t("ui_page_esg", "zh"))
    choose(page, t("ui_sr_opt_advanced", "zh"))
    choose(page, "推動潔淨食水和衛生")
    press_continue(page)

    h.heading(page, t("ui_page_nominees", "zh"))
    yes_no = page.locator("[data-testid=stMain] [data-testid=stRadio]").filter(has_text=t("ui_unsure", "zh"))
    assert yes_no.count() == 8
    for i in range(8):
        h.click_and_wait(page, yes_no.nth(i).get_by_text(t("answer_yes", "zh"), exact=True))
    h.shot(page, shots, "04-nominees-zh")
    press_continue(page)

    h.heading(page, t("ui_page_check", "zh"))
    expect(page.get_by_text(NAME).first).to_be_visible()
    h.shot(page, shots, "05-check-zh")
    h.click_and_wait(page, page.get_by_role("button", name=t("ui_see_results", "zh")))

    h.heading(page, t("ui_page_results", "zh"))
    main = page.locator("[data-testid=stMain]")
    expect(main.get_by_text(ED.award("resilience.management").name.zh).first).to_be_visible()
    expect(main.get_by_text(t("status_eligible", "zh")).first).to_be_visible()
    expect(main.get_by_text("傑出抗逆貢獻管理大獎（卓越創新）").first).to_be_visible()
    h.shot(page, shots, "06-results-zh")

    # switch language on the results page: the answers stay
    h.click_and_wait(page, main.get_by_text("English", exact=True))
    h.heading(page, t("ui_page_results", "en"))
    expect(main.get_by_text(ED.award("resilience.management").name.en).first).to_be_visible()
    expect(main.get_by_text(NAME).first).to_be_visible()
    h.shot(page, shots, "07-results-en")
    for label, magic in ((t("ui_download_pdf", "en"), b"%PDF"), (t("ui_download_ics", "en"), b"BEGIN:VCALENDAR")):
        with page.expect_download() as download:
            main.get_by_role("button", name=label).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.read_bytes().startswith(magic)

    h.go(page, t("ui_page_timeline", "en"))
    h.heading(page, t("ui_page_timeline", "en"))
    expect(main.locator("[data-testid=stVegaLiteChart]").first).to_be_visible()
    # drawn, and Vega had nothing to say about it (its warnings start "WARN", e.g. scales whose
    # domains conflict, as the chart's did before it took its axis from two parameters)
    expect(main.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg")
           .first).to_be_visible()
    assert not [m for m in console if m.startswith(("WARN", "ERROR"))], console
    expect(main.locator("table").first).to_be_visible()
    h.shot(page, shots, "08-timeline-en")

    # save: the answers file of the contract
    h.open_sidebar(page)
    with page.expect_download() as download:
        page.locator("[data-testid=stSidebar]").get_by_role("button", name=t("ui_save", "en")).click()
    saved = tmp_path / "answers.json"
    download.value.save_as(saved)
    answers = parse_answers(saved.read_bytes())
    assert answers.organisation.name == NAME
    assert answers.resilience.categories == ["innovation", "staff_support"]
    assert answers.carbon.strengths == ["max_reduction"]
    assert answers.commitments.training is True
    assert answers.climate_risk_disclosure is True
    assert answers.nominees.esg_leader is True

    # resume in a fresh session (a new tab has no answers)
    fresh = context.new_page()
    h.open_page(fresh, server_url)
    h.click_and_wait(fresh, fresh.locator("[data-testid=stMain]").get_by_text("English", exact=True))
    fresh.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(saved))
    h.wait_idle(fresh)
    expect(fresh.get_by_text(t("ui_resumed", "en", name="")[:12]).first).to_be_visible()
    h.go(fresh, t("ui_page_results", "en"))
    expect(fresh.locator("[data-testid=stMain]").get_by_text(NAME).first).to_be_visible()
    h.shot(fresh, shots, "09-resumed-results-en")
    fresh.close()
    page.close()


def test_bad_upload_is_refused_with_a_clear_message(context, server_url, shots, tmp_path):
    from playwright.sync_api import expect

    h = _helpers()
    page = context.new_page()
    h.open_page(page, server_url)
    h.click_and_wait(page, page.locator("[data-testid=stMain]").get_by_text("English", exact=True))
    h.click_and_wait(page, page.get_by_text(t("ui_demo_title", "en")).first)
    h.click_and_wait(page, page.get_by_role("button", name=t("ui_demo_load", "en")))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
                               "organisation": {"name": "X"}, "esg": {"sustainability_rating_2021": "A++"}}))
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(bad))
    h.wait_idle(page)
    alert = page.locator("[data-testid=stAlertContentError]").first
    expect(alert).to_contain_text("your current answers are unchanged")
    expect(alert).to_contain_text(t("ui_check_rating", "en"))  # the question's words, not a path
    h.shot(page, shots, "bad-upload-en")
    h.go(page, t("ui_page_results", "en"))
    expect(page.locator("[data-testid=stMain]").get_by_text("Green Steps Community Services").first).to_be_visible()
    page.close()


# Radio options and checkboxes (the language switch's too) under 24 px high on a touch screen.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    '[data-testid=stRadio] label[data-baseweb=radio], [data-testid=stCheckbox] label')]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 24)
  .map(e => e.textContent + ' ' + Math.round(e.getBoundingClientRect().height))"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phone_width_pages_fit_without_sideways_scrolling(browser, server_url, shots, lang):
    from playwright.sync_api import expect

    h = _helpers()
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-HK" if lang == "zh" else "en-GB",
                              is_mobile=True, has_touch=True, device_scale_factor=2)
    page = ctx.new_page()
    h.open_page(page, server_url)
    h.click_and_wait(page, page.get_by_text(t("ui_demo_title", lang)).first)
    h.click_and_wait(page, page.get_by_role("button", name=t("ui_demo_load", lang)))
    for page_id in ("start", "organisation", "hygiene", "carbon", "results", "timeline", "check"):
        title = t(f"ui_page_{page_id}", lang)
        h.go(page, title)
        if page_id != "start":
            h.heading(page, title)
        width = page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth")
        assert width <= 392, (page_id, width)
        h.shot(page, shots, f"{page_id}-{lang}-390")
        small = page.evaluate(SMALL_TARGETS)
        assert small == [], (page_id, small)  # every option a finger can hit (WCAG 2.5.8)
        if page_id == "timeline":  # on a phone the dates read as a list; the chart is for wide screens
            listing = page.locator(".st-key-timeline-list")
            expect(listing).to_be_visible()
            expect(listing).to_contain_text(t("ui_timeline_passed", lang))
            expect(page.locator(".st-key-timeline-chart")).to_be_hidden()
    ctx.close()


@pytest.mark.e2e
def test_a_page_opened_by_its_address_on_a_new_server_shows_inside_the_app(browser, shots):
    """A bookmark or a refresh on a server nobody has visited yet: the page must still run inside
    the app's frame (language switch, navigation), not on its own."""
    from playwright.sync_api import expect

    from tests.e2e.conftest import app_server

    h = _helpers()
    with app_server() as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/timeline")
        h.wait_loaded(page)
        h.shot(page, shots, "deep-link-timeline")
        text = page.locator("[data-testid='stMain']").inner_text()
        assert "Traceback" not in text and "Error" not in text
        # the frame ran: the language switch and the app's own navigation are there
        expect(page.get_by_text("English").first).to_be_visible()
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "_ui" not in nav and "app" not in nav.split()
        page.close()


def _enter_on(page, button: str, focus_is: str) -> None:
    """Enter on a focused button, as a keyboard user presses it; then wait for the run to end
    and the focus to be where ``focus_is`` (JavaScript) says."""
    page.locator(button).focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    _helpers().wait_idle(page)
    page.wait_for_function(f"document.activeElement && {focus_is}", timeout=5_000)


def test_a_keyboard_user_keeps_focus_sees_it_and_hears_the_pages_language(context, server_url):
    """Found by an accessibility review: <html lang> said "en" on Chinese pages (a screen reader
    read Chinese with an English voice); after Enter on Continue the focus fell to the page's
    body (the next Tab could land on the page's last link); a focused radio option showed no
    ring (its input is clipped, and its outline with it), and a mouse click showed it too; 21
    "Link to heading" anchors were Tab stops on Results; the category checkboxes had no group."""
    h = _helpers()
    page = context.new_page()
    h.open_page(page, server_url)
    assert page.evaluate("document.documentElement.lang") == "zh-Hant-HK"
    _enter_on(page, ".st-key-start-go button", "document.activeElement.tagName === 'H1'")
    assert page.evaluate("document.activeElement.innerText").strip() == t("ui_page_organisation", "zh")
    assert page.title().startswith(t("ui_page_organisation", "zh") + " · ")  # the tab names the page
    page.keyboard.press("Tab")  # from the heading into the page, not to an anchor
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") != "Link to heading"
    assert page.locator("[data-testid=stMain] a[aria-label='Link to heading']:visible").count() == 0
    # Continue with the required name empty: the message is shown and the focus is on the field
    _enter_on(page, ".st-key-continue-organisation button",
              "document.activeElement.closest('.st-key-w-organisation-name')")
    assert page.get_by_text(t("ui_name_required", "zh")).first.is_visible()
    h.go(page, t("ui_page_hygiene", "zh"))
    page.locator("[data-testid=stMain] h1").first.focus()
    for _ in range(20):  # by the keyboard, as a keyboard user gets there
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type === 'radio'"):
            break
    ring = page.evaluate("""() => {
        const label = document.activeElement.closest('label');
        const style = getComputedStyle(label);
        return [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor];
    }""")
    assert ring[0] == "solid" and ring[1] >= 2, ring
    # a click is not the keyboard: no ring round the option clicked (a review found one after
    # every mouse click and tap), on a radio or a checkbox alike
    main = page.locator("[data-testid=stMain]")
    clicked = main.locator(".st-key-w-hygiene_certification label").nth(1)
    h.click_and_wait(page, clicked)
    assert page.evaluate("document.activeElement.type") == "radio"  # it has the focus, unringed
    assert clicked.evaluate("l => getComputedStyle(l).outlineStyle") == "none"
    box = main.locator("[data-testid=stCheckbox] label").first  # a category, now asked
    h.click_and_wait(page, box)
    assert page.evaluate("document.activeElement.type") == "checkbox"
    assert box.evaluate("l => getComputedStyle(l).outlineStyle") == "none"
    # the categories' checkboxes are a group named by their question (a screen reader going
    # into the first box heard only its name, not what the boxes are for)
    group = page.get_by_role("group", name=ED.award("resilience.management").name.zh)
    assert group.get_by_role("checkbox").count() == len(ED.category_set("resilience_management").categories)
    h.click_and_wait(page, main.get_by_text("English", exact=True))
    assert page.evaluate("document.documentElement.lang") == "en"
