"""The site in a real browser: Debian's Chromium driven by Playwright, against a live server.

Screenshots of every step are saved in ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import ADMIN_TOKEN, SHARED

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = [
    "/",
    "/allies",
    "/countries/JPN",
    "/countries/NZL?on=1990",
    "/arrangements",
    "/arrangements/nato",
    "/map",
    "/network",
    "/network/world?on=2025-06-30",
    "/changes",
    "/search?q=japan",
    "/reports",
    "/reports/2023",
    "/sources",
    "/about",
    "/data",
    "/docs",
    "/contact",
    "/research/disagreements",
    "/research/network",
    "/research/alliances",
]
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def watch(tab: Any) -> list[str]:
    """Collect console errors and uncaught exceptions of ``tab``."""
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


WIDTHS = {"phone": 390, "desktop": 1366}
"""Every page is tried on a 390 px phone and a 1366 px laptop screen."""


@pytest.mark.parametrize("device", list(WIDTHS))
def test_every_page_fits_the_screen_without_console_errors(
    browser: Any, live_server: str, artifacts: Path, research_pages_data: Path, device: str
) -> None:
    """No page scrolls sideways (wide tables scroll inside their own box); no console error."""
    width = WIDTHS[device]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(60_000)  # the research pages compute their series on first use
    problems = watch(page)
    for url in PAGES:
        response = page.goto(live_server + url)
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("networkidle")
        name = url.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
        page.screenshot(path=str(artifacts / f"page-{name}-{width}.png"), full_page=True, timeout=60_000)
        assert not problems, f"{url}: {problems}"
        root = "document.documentElement"
        overflow = page.evaluate(f"{root}.scrollWidth - {root}.clientWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow} px at {width} px"
    context.close()


def test_the_cite_block_opens_and_fits_a_phone(browser: Any, live_server: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    problems = watch(page)
    page.goto(live_server + "/countries/JPN")
    block = page.locator("#cite-this-page")
    assert not block.locator("pre.bibtex").is_visible(), "closed until asked for"
    block.locator("summary").click()
    assert block.locator("pre.bibtex").inner_text().startswith("@misc{allies-countries-jpn,")
    assert block.locator("pre.csl-json").is_visible()
    assert block.get_by_role("link", name="BibTeX (.bib)").get_attribute("href") == "/countries/JPN.bib"
    root = "document.documentElement"
    assert page.evaluate(f"{root}.scrollWidth - {root}.clientWidth") <= 0
    block.screenshot(path=str(artifacts / "cite-block-390.png"))
    assert not problems
    context.close()


def test_search_then_country_page(page: Any, live_server: str, artifacts: Path) -> None:
    page.goto(live_server + "/")
    page.get_by_label("Search states, arrangements, events and sources").fill("japn")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=japn")
    page.screenshot(path=str(artifacts / "search-results.png"))
    page.get_by_role("link", name="Japan", exact=True).first.click()
    page.wait_for_url("**/countries/JPN")
    assert page.locator("h1").inner_text().startswith("Japan")
    assert page.locator(".big-tier").first.inner_text().strip() == "Treaty ally"
    page.get_by_label("See the status as of").fill("1953-12-31")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/countries/JPN?on=1953-12-31")
    assert "On 31 December 1953" in page.locator("#then-heading").inner_text()
    page.screenshot(path=str(artifacts / "country-japan-1953.png"), full_page=True)


FINLAND = 'path[data-code="246"]'


def test_date_control_changes_the_map(page: Any, live_server: str, artifacts: Path) -> None:
    problems = watch(page)
    page.goto(live_server + "/map?on=2022-01-01")
    assert page.locator(FINLAND).get_attribute("class") == "tier-none"
    page.screenshot(path=str(artifacts / "map-2022.png"))
    page.locator("#map-date").fill("2024-01-01")
    page.locator("#map-date").dispatch_event("change")
    page.wait_for_selector(f"{FINLAND}.tier-treaty_ally")
    assert page.url.endswith("/map?on=2024-01-01")
    assert "1 January 2024" in page.locator("#map-showing").inner_text()
    page.screenshot(path=str(artifacts / "map-2024.png"))
    page.locator("#map-year").fill("1960")
    page.wait_for_selector(f"{FINLAND}.tier-none")
    assert page.locator("#map-date").input_value() == "1960-12-31"
    assert page.locator('path[data-code="792"]').get_attribute("class") == "tier-treaty_ally"  # Türkiye
    page.screenshot(path=str(artifacts / "map-1960.png"))
    assert not problems


def test_the_map_date_control_works_without_javascript(
    browser: Any, live_server: str, artifacts: Path
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(live_server + "/map?on=2022-01-01")
    assert tab.locator("#map-year").count() == 0
    tab.locator("#map-date").fill("2024-01-01")
    tab.get_by_role("button", name="Show").click()
    tab.wait_for_url("**/map?on=2024-01-01")
    assert tab.locator(FINLAND).get_attribute("class") == "tier-treaty_ally"
    tab.screenshot(path=str(artifacts / "map-no-javascript.png"))
    context.close()


@pytest.mark.parametrize("width", list(WIDTHS.values()))
def test_the_map_draws_territories_small_states_history_and_zooms(
    browser: Any, live_server: str, artifacts: Path, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    problems = watch(tab)
    tab.goto(live_server + "/map?on=2024-06-01")
    greenland, denmark = tab.locator('path[data-code="304"]'), tab.locator('path[data-code="208"]')
    assert greenland.get_attribute("class") == denmark.get_attribute("class") == "tier-treaty_ally"
    assert greenland.get_attribute("fill") == denmark.get_attribute("fill")
    assert greenland.locator("title").text_content() == "Greenland (Denmark): Treaty ally"
    palau = tab.locator('circle.marker[data-code="585"]')
    assert palau.is_visible() and palau.get_attribute("class") == "marker tier-compact_state"
    box = palau.bounding_box()
    assert box is not None and box["width"] >= 2.5  # a visible dot even on a phone
    tab.locator(".map-figure").screenshot(path=str(artifacts / f"map-2024-{width}.png"))

    svg = tab.locator("#worldmap")
    whole = svg.get_attribute("viewBox")
    tab.get_by_role("button", name="Zoom in").click()
    zoomed = svg.get_attribute("viewBox")
    assert zoomed != whole and float(zoomed.split()[2]) == pytest.approx(float(whole.split()[2]) / 2)
    svg.focus()
    tab.keyboard.press("ArrowLeft")
    assert svg.get_attribute("viewBox") != zoomed
    area = svg.bounding_box()
    tab.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    tab.mouse.wheel(0, -300)
    assert float(svg.get_attribute("viewBox").split()[2]) < float(zoomed.split()[2])
    tab.locator(".map-figure").screenshot(path=str(artifacts / f"map-2024-zoomed-{width}.png"))
    tab.get_by_role("button", name="Show the whole map").click()
    assert svg.get_attribute("viewBox") == whole

    tab.locator("#map-year").fill("1955")
    tab.wait_for_selector('path[data-code="276"].divided')
    assert "East Germany" in (tab.locator('path[data-code="276"] title').text_content() or "")
    soviet = {
        tab.locator(f'path[data-code="{c}"]').get_attribute("fill") for c in ("643", "804", "398", "233")
    }
    assert soviet == {tab.locator('path[data-code="643"]').get_attribute("fill")}
    assert tab.locator('path[data-code="804"] title').text_content() == (
        "Soviet Union (today Ukraine): No listed relationship"
    )
    tab.locator(".map-figure").screenshot(path=str(artifacts / f"map-1955-{width}.png"))
    root = "document.documentElement"
    assert tab.evaluate(f"{root}.scrollWidth - {root}.clientWidth") <= 0
    assert not problems
    context.close()


def test_keyboard_skip_link(page: Any, live_server: str) -> None:
    page.goto(live_server + "/countries/JPN")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")
    assert page.evaluate("document.activeElement.id") == "content"


def test_network_is_interactive_and_highlights_a_state(page: Any, live_server: str, artifacts: Path) -> None:
    problems = watch(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server + "/network?on=2023-12-31")
    page.wait_for_selector("#network.interactive canvas")
    page.get_by_label("Find a state").fill("Japan")
    page.wait_for_selector('#network[data-highlight="JPN"]')
    assert page.locator("#tie-list li:visible").count() == 1
    page.locator("#network").screenshot(path=str(artifacts / "network-2023-japan-1366.png"))
    page.get_by_label("Find a state").fill("")
    page.wait_for_function("!document.getElementById('network').hasAttribute('data-highlight')")
    page.screenshot(path=str(artifacts / "network-2023.png"), full_page=True)
    assert not problems


def test_the_network_on_a_phone_is_a_searchable_list(browser: Any, live_server: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    problems = watch(tab)
    tab.goto(live_server + "/network?on=2023-12-31")
    assert not tab.locator("#network").is_visible()
    everyone = tab.locator("#tie-list li").count()
    assert everyone > 50
    tab.get_by_label("Find a state").fill("kor")
    assert 1 <= tab.locator("#tie-list li:visible").count() < everyone
    assert "South Korea" in tab.locator("#tie-list li:visible").first.inner_text()
    tab.locator(".ties").screenshot(path=str(artifacts / "network-phone-390.png"))
    tab.get_by_label("Find a state").fill("Atlantis")
    assert tab.locator("#tie-list li:visible").count() == 0 and tab.locator("#tie-none").is_visible()
    assert not problems
    context.close()


def test_the_world_network_highlights_a_state_on_a_large_screen(
    page: Any, live_server: str, artifacts: Path, research_pages_data: Path
) -> None:
    """After 2018 (the continuation): Russia's ties, North Korea among them, stand out in the ring."""
    if not SHARED.is_dir():
        pytest.skip(f"the reference data sets are not in {SHARED}")
    problems = watch(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.set_default_navigation_timeout(60_000)
    page.goto(live_server + "/network/world?on=2025-06-30")
    assert page.locator("#network svg").is_visible()
    page.get_by_label("Find a state").fill("Russia")
    page.wait_for_selector('#network[data-highlight="365"]')
    assert page.locator("#tie-list li:visible").count() == 1
    tie = page.locator('#network path.on[data-a="365"][data-b="731"]')
    assert tie.count() == 1 and tie.evaluate("p => getComputedStyle(p).strokeOpacity") == "0.85"
    assert page.locator('#network path:not(.on)[data-a="2"][data-b="20"]').count() == 1  # US-Canada fades
    assert page.locator('#network .node.on[data-id="731"]').count() == 1
    page.locator("#network").screenshot(path=str(artifacts / "network-world-2025-russia-1366.png"))
    page.get_by_label("Find a state").fill("")
    page.wait_for_function("!document.getElementById('network').hasAttribute('data-highlight')")
    page.locator('#network .node[data-id="731"]').click()  # a click on a state finds it
    page.wait_for_selector('#network[data-highlight="731"]')
    assert page.get_by_label("Find a state").input_value() == "north korea"
    assert not problems


def test_the_world_network_on_a_phone_is_a_searchable_list(
    browser: Any, live_server: str, artifacts: Path, research_pages_data: Path
) -> None:
    if not SHARED.is_dir():
        pytest.skip(f"the reference data sets are not in {SHARED}")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.set_default_navigation_timeout(60_000)
    problems = watch(tab)
    tab.goto(live_server + "/network/world?on=2025-06-30")
    assert not tab.locator("#network").is_visible()
    everyone = tab.locator("#tie-list li").count()
    assert everyone > 150
    tab.get_by_label("Find a state").fill("north korea")
    shown = tab.locator("#tie-list li:visible")
    assert shown.count() == 1
    defence = shown.locator(".tie-group").first.inner_text()
    assert defence.startswith("Defence ") and "Russia" in defence.split(", ") + defence.split(" ")
    tab.locator(".ties").screenshot(path=str(artifacts / "network-world-phone-390.png"))
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    assert not problems
    context.close()


def test_api_docs_send_a_request(page: Any, live_server: str) -> None:
    page.goto(live_server + "/docs")
    operation = page.locator("section.operation").first
    operation.get_by_role("button", name="Send").click()
    output = operation.locator("pre.response")
    # A locator waits in Playwright's own world; wait_for_function evaluates a string in the page,
    # which the Content-Security-Policy (no 'unsafe-eval') refuses once it has to poll.
    operation.locator("pre.response", has_text='"tier"').wait_for(state="visible")
    assert "200" in output.inner_text()


def test_contact_form_end_to_end(page: Any, live_server: str, artifacts: Path) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(live_server + "/contact")
    page.get_by_label("Your email address").fill("not-an-email")
    page.get_by_role("button", name="Send").click()
    errors = page.locator("#form-errors")
    errors.wait_for(state="visible")
    assert "email" in errors.inner_text().lower()
    page.screenshot(path=str(artifacts / "contact-errors.png"), full_page=True)

    page.get_by_label("Your email address").fill("reader@example.org")
    page.locator("textarea[name=message]").fill(f"Japan's date looks wrong. {XSS}")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/contact/thanks")
    page.screenshot(path=str(artifacts / "contact-thanks.png"))

    page.goto(live_server + "/admin")
    page.get_by_label("Admin token").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="Log in").click()
    message = page.locator("pre.submission-message", has_text="Japan's date looks wrong.").first
    message.wait_for(state="visible")
    assert XSS in message.inner_text(), "the payload is shown as text"
    assert page.locator("img[src=x]").count() == 0
    page.screenshot(path=str(artifacts / "admin-escaped.png"), full_page=True)
    assert not dialogs, "no script ran"
