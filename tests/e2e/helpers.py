"""Small Playwright helpers for driving the Streamlit wizard like a person would."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

PAGES = ("start", "organisation", "hygiene", "carbon", "esg", "nominees", "check", "results",
         "timeline", "sr_check", "about")


def wait_idle(page: Page, timeout: float = 20_000) -> None:
    """Wait until the app is connected and the script has finished running."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']",
                           timeout=timeout)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=timeout)
    page.wait_for_timeout(150)  # let the last delta paint
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=timeout)


def wait_loaded(page: Page, timeout: float = 30_000) -> None:
    """After a page load: wait for the tab's draft hand-shake to be over, then for the script.

    A new page first runs, then the browser offers back what the tab held (pages/_browser.py),
    which runs the script again about a second later on a busy machine; a click between the
    two could be lost. The page's script notes (``window.__orsSeq``) when that second run has
    reached the browser; a new page load starts without it."""
    wait_idle(page, timeout)
    page.wait_for_function("window.__orsSeq !== undefined", timeout=timeout)
    wait_idle(page, timeout)


def open_page(page: Page, base_url: str, page_id: str = "") -> None:
    path = "" if page_id in ("", "start") else page_id
    page.goto(f"{base_url}/{path}")
    wait_loaded(page)


def click_and_wait(page: Page, locator) -> None:
    locator.click()
    page.wait_for_timeout(150)  # the rerun may not have started yet
    wait_idle(page)


def upload_prospects(page: Page, folder: Path, bad_name: str) -> None:
    """On the batch page: upload a list of two organisations, one good and one (``bad_name``)
    with two bad cells, and wait for the screening."""
    source = folder / "prospects.csv"
    source.write_text("organisation.name,hygiene_certification,organisation.premises\n"
                      f"Good One Ltd,certified,2\n{bad_name},perhaps,lots\n", encoding="utf-8")
    page.locator("input[type=file]").first.set_input_files(str(source))
    page.wait_for_timeout(500)
    wait_idle(page)


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", name=text).first).to_be_visible(timeout=15_000)


def shot(page: Page, folder: Path, name: str) -> Path:
    """A screenshot of the whole page (Streamlit scrolls inside its main block, so the window
    is made as tall as the content for the picture, then put back)."""
    path = folder / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebarContent]')]"
        ".map(e => e.scrollHeight), 0)")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 12000))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def open_sidebar(page: Page) -> None:
    """On a narrow screen the sidebar starts collapsed: open it."""
    sidebar = page.locator("[data-testid='stSidebar']")
    if sidebar.count() and sidebar.get_attribute("data-collapsed") == "false":
        return
    for selector in ("[data-testid='stExpandSidebarButton']",
                     "[data-testid='stSidebarCollapsedControl'] button"):
        button = page.locator(selector)
        if button.count() and button.first.is_visible():
            button.first.click()
            page.wait_for_timeout(400)
            return


def go(page: Page, title: str) -> None:
    """Move to another page through the sidebar navigation (keeps the session)."""
    open_sidebar(page)
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title).click()
    wait_idle(page)
    if (page.viewport_size or {}).get("width", 1280) < 640:
        close_sidebar(page)


def close_sidebar(page: Page) -> None:
    """On a phone, put the sidebar away again so that the page itself shows."""
    sidebar = page.locator("[data-testid='stSidebar']")
    if not sidebar.count() or sidebar.get_attribute("data-collapsed") != "false":
        return
    button = page.locator("[data-testid='stSidebarCollapseButton'] button")
    if button.count():
        button.first.click(force=True)
        page.wait_for_timeout(400)
