"""In a real browser: suggestions as you type in the site-wide search (search/suggest.js).

The header search becomes a WAI-ARIA 1.2 combobox with a listbox popup: keyboard, pointer,
screen-reader announcements and axe-core on the open list; and the same form still searches
when JavaScript is off, since the script only enhances a plain GET form.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_publish_flow import AXE_OPTIONS, assert_styled, axe_report, open_public

pytestmark = pytest.mark.browser

TITLE = "Penggantian KTP elektronik hilang"
URL = "/layanan/penggantian-ktp-elektronik-hilang/"
PAGE = "/data/"  # any page with the header search (the home and /cari/ have their own form)


def _index():
    from satupintu.search.index import Doc, put

    service = put(Doc(key="page:9001", kind="layanan", title=TITLE, url=URL))
    # Does not start like "pengg": must not be offered.
    put(Doc(key="app:9002", kind="aplikasi", title="Jadwal posyandu", url="/aplikasi/jadwal/"))
    return service


def _suggest_requests(page):
    """The suggestion requests the page makes, as they happen."""
    seen = []
    page.on("request", lambda r: seen.append(r.url) if "/cari/saran/" in r.url else None)
    return seen


def _header(page):
    return page.locator("#q-header")


def test_keyboard_chooses_entry_and_list_is_accessible(browser):
    _index()
    page = browser.new_page()
    requests = _suggest_requests(page)
    open_public(page, PAGE)
    assert_styled(page)
    field = _header(page)
    listbox = page.locator("#q-header-saran")
    expect(field).to_have_attribute("role", "combobox")
    expect(field).to_have_attribute("aria-autocomplete", "list")
    expect(field).to_have_attribute("aria-controls", "q-header-saran")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()

    # One character is not enough to ask.
    field.press_sequentially("p")
    page.wait_for_timeout(400)
    assert requests == []
    expect(field).to_have_attribute("aria-expanded", "false")

    # Typed faster than the 150 ms debounce: one request, for what was typed last.
    field.press_sequentially("engg")
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(listbox).to_have_attribute("role", "listbox")
    expect(listbox).to_have_accessible_name("Saran pencarian")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text(TITLE)
    expect(options.first.locator(".suggest__kind")).to_have_text("Layanan")
    expect(options.first).to_have_attribute("aria-selected", "false")
    expect(page.get_by_role("status").filter(has_text="saran")).to_have_text("1 saran tersedia")
    assert len(requests) == 1 and requests[0].endswith("/cari/saran/?q=pengg"), requests
    assert field.get_attribute("aria-activedescendant") is None

    # axe on the page with the list open (the header is where it is).
    result = Axe().run(page, options=AXE_OPTIONS)
    violations = result.response["violations"]
    assert not violations, axe_report(page.url, violations)

    # Escape closes the list and keeps what was typed (a search field alone would clear it).
    field.press("Escape")
    expect(listbox).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(field).to_have_value("pengg")

    # Erasing and retyping a letter asks nothing: what was typed is cached.
    field.press("Backspace")
    field.press_sequentially("g")
    expect(listbox).to_be_visible()
    page.wait_for_timeout(400)
    assert len(requests) == 1, requests

    # Tab closes the list and moves on.
    field.press("Tab")
    expect(listbox).to_be_hidden()
    expect(field).not_to_be_focused()

    # ArrowDown opens the list again on the first option; Enter follows its link.
    field.focus()
    field.press("ArrowDown")
    expect(listbox).to_be_visible()
    first = options.first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(field).to_be_focused()
    # The chosen option stands out from the others (not by colour of text alone).
    assert first.evaluate("o => getComputedStyle(o).outlineStyle") == "solid"
    field.press("Enter")
    page.wait_for_url(f"**{URL}")


def test_query_suggestion_is_searched_and_pointer_works(browser):
    from satupintu.search.models import BestBet

    service = _index()
    BestBet.objects.create(queries="penggantian ktp", entry=service)
    page = browser.new_page()
    open_public(page, PAGE)
    field = _header(page)
    field.press_sequentially("pengg")
    listbox = page.locator("#q-header-saran")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(page.get_by_role("status").filter(has_text="saran")).to_have_text("2 saran tersedia")
    query = options.filter(has_text="penggantian ktp").filter(has_text="Pencarian")
    expect(query).to_have_count(1)
    # Kind codes are never shown as they are.
    expect(listbox).not_to_contain_text("kueri")

    # A click on the page elsewhere closes the list.
    page.locator("main h1").click()
    expect(listbox).to_be_hidden()

    # Choosing a query by pointer fills the field and searches it.
    field.focus()
    field.press("ArrowUp")  # opens on the last option
    expect(options.last).to_have_attribute("aria-selected", "true")
    query.click()
    page.wait_for_url(re.compile(r"/cari/\?q=penggantian\+ktp$"))
    expect(page.locator("main #q")).to_have_value("penggantian ktp")


def test_english_labels_and_no_request_offline(browser):
    _index()
    page = browser.new_page()
    requests = _suggest_requests(page)
    open_public(page, f"/en{PAGE}")
    field = _header(page)
    field.press_sequentially("pengg")
    listbox = page.locator("#q-header-saran")
    expect(listbox).to_have_accessible_name("Search suggestions")
    expect(listbox.get_by_role("option").first.locator(".suggest__kind")).to_have_text("Service")
    expect(page.get_by_role("status").filter(has_text="suggestion")).to_have_text(
        "1 suggestion available"
    )
    assert len(requests) == 1 and "/en/cari/saran/" in requests[0], requests

    page.context.set_offline(True)
    field.press_sequentially("ant")
    page.wait_for_timeout(400)
    assert len(requests) == 1, requests
    expect(listbox).to_be_hidden()


def test_form_searches_without_javascript(browser):
    _index()
    browser.new_page()  # launches the browser
    context = browser.browser.new_context(
        base_url=browser.base_url, locale="id-ID", java_script_enabled=False
    )
    page = context.new_page()
    open_public(page, PAGE)
    field = _header(page)
    # Nothing pretends to be a combobox when no script makes it one.
    expect(field).not_to_have_attribute("role", "combobox")
    expect(page.locator("#q-header-saran")).to_have_count(0)
    field.fill("ktp hilang")
    field.press("Enter")
    page.wait_for_url(re.compile(r"/cari/\?q=ktp\+hilang$"))
    expect(page.locator("main")).to_contain_text(TITLE)
