"""In a real browser: an operator writes news, the OPD's verifikator approves it, citizens see
it; then the public page types are checked with axe-core (WCAG 2.x A/AA) and the keyboard.

Runs against Debian's Chromium (/usr/bin/chromium) through Playwright; see conftest.py here.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Posyandu keliling di Desa Sumberejo"
SLUG = "posyandu-keliling-di-desa-sumberejo"
INTRO = "Petugas Dinkes mengunjungi posyandu di Desa Sumberejo setiap pekan."
BODY = "Pemeriksaan balita dan ibu hamil gratis di balai desa."

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}


def log_in(page, username):
    page.goto("/admin/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def open_public(page, path, status=200):
    response = page.goto(path)
    assert response is not None and response.status == status, (
        f"GET {path}: expected {status}, got {response and response.status}"
    )
    return response


def assert_styled(page):
    """axe judges contrast on what is rendered: make sure the portal's stylesheet applied."""
    styled = page.evaluate(
        """() => [...document.styleSheets].some(
            (sheet) => (sheet.href || "").includes("/static/portal/portal.css")
                && sheet.cssRules.length > 0
        )"""
    )
    assert styled, f"{page.url}: /static/portal/portal.css did not load"


def news_links(page):
    return page.locator("main a", has_text=TITLE)


def axe_report(path, violations):
    lines = [f"{path}: {len(violations)} axe violation(s)"]
    for v in violations:
        lines.append(f"  - {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"]:
            lines.append(f"      at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"         {summary[:300]}")
    return "\n".join(lines)


def test_news_is_reviewed_published_and_accessible(browser, settings):
    from satupintu.news.models import NewsIndexPage, NewsPage
    from satupintu.opd.models import OPD

    # Wagtail 7.4 autosaves the editor (every 500 ms once it sees changes, the first time by
    # creating the page from the "add" form). An autosave still in flight when "Submit" is
    # clicked races the submission (a second page with the same slug is refused), which a
    # test clicking at machine speed can hit. The moderation flow is what is tested here, so
    # autosave is off (a public setting, read per request by the live server too).
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0

    opd = OPD.objects.select_related("home_page").get(slug="dinkes")
    index = NewsIndexPage.objects.child_of(opd.home_page).get()

    # --- 1. The operator writes the news and submits it for review -------------------------
    editor = browser.new_page()
    log_in(editor, "operator_a")
    editor.goto(f"/admin/pages/{index.pk}/")
    editor.locator(f'a[href="/admin/pages/{index.pk}/add_subpage/"]').first.click()
    # The index only takes news pages, so Wagtail goes straight to the news form.
    editor.wait_for_url(f"**/admin/pages/add/news/newspage/{index.pk}/")
    form = editor.locator("form[data-edit-form]")
    expect(form).not_to_have_attribute("data-controller", re.compile(r"\bw-autosave\b"))
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=intro]").fill(INTRO)
    expect(form.locator("input[name=date]")).not_to_have_value("")
    body = form.locator("[data-field-input]:has(input[name=body]) .public-DraftEditor-content")
    body.click()
    body.press_sequentially(BODY)
    expect(body).to_contain_text(BODY)
    # Draftail copies its state into the hidden input after a short debounce: wait for it,
    # or the form goes off with an empty body.
    expect(form.locator("input[name=body]")).to_have_value(re.compile(re.escape(BODY)))
    expect(form.locator("input[name=slug]")).to_have_value(SLUG)
    # "Submit to <workflow>" sits in the dropdown beside the main save button.
    submit = editor.locator("button[name=action-submit]")
    editor.locator(".w-dropdown-button:has(button[name=action-submit]) .w-dropdown__toggle").click()
    expect(submit).to_be_visible()
    submit.click()
    # Submitted pages go back to the news index in the explorer.
    editor.wait_for_url(f"**/admin/pages/{index.pk}/")

    news = NewsPage.objects.get(title=TITLE)
    assert news.get_parent().pk == index.pk
    assert not news.live
    assert news.current_workflow_state.status == "in_progress"
    news_path = news.get_url()
    assert news_path == f"/dinkes/berita/{SLUG}/"

    visitor = browser.new_page()
    open_public(visitor, news_path, status=404)
    for path in ("/dinkes/", "/"):
        open_public(visitor, path)
        expect(news_links(visitor)).to_have_count(0)

    # --- 2. The verifikator of the same OPD approves it from the dashboard -----------------
    reviewer = browser.new_page()
    log_in(reviewer, "verifikator_a")
    approve_url = f"/admin/pages/workflow/action/{news.pk}/approve/"
    # "Approve" without a comment (the other approve button opens a comment dialog).
    approve = reviewer.locator(
        f'button[data-workflow-action-url*="{approve_url}"]:not([data-launch-modal])'
    )
    expect(approve).to_have_count(1)
    row = reviewer.locator("tr", has=approve)
    row.locator(".w-dropdown__toggle").click()
    expect(approve).to_be_visible()
    # The button posts a small form, which redirects back to the dashboard.
    with (
        reviewer.expect_navigation(url=re.compile(r"/admin/$")),
        reviewer.expect_response(
            lambda r: approve_url in r.url and r.request.method == "POST"
        ) as approval,
    ):
        approve.click()
    assert approval.value.status == 302, approval.value.status

    news.refresh_from_db()
    assert news.live
    assert not news.has_unpublished_changes

    # --- 3. Citizens see it on the OPD's home, the regency's home and its own page ---------
    for path in ("/dinkes/", "/"):
        open_public(visitor, path)
        expect(news_links(visitor).first).to_be_visible()
    news_links(visitor).first.click()
    visitor.wait_for_url(f"**{news_path}")
    expect(visitor.locator("h1")).to_have_text(TITLE)
    expect(visitor.locator("main")).to_contain_text(BODY)

    open_public(visitor, "/cari/?q=posyandu")
    expect(news_links(visitor).first).to_be_visible()

    # --- 4. Accessibility: axe-core, WCAG 2.0/2.1/2.2 A and AA ------------------------------
    axe = Axe()
    reports = []
    for path, status in [
        ("/", 200),
        ("/dinkes/", 200),
        (news_path, 200),
        ("/berita/", 200),
        ("/cari/?q=posyandu", 200),
        ("/halaman-yang-tidak-ada/", 404),
    ]:
        open_public(visitor, path, status=status)
        assert_styled(visitor)
        violations = axe.run(visitor, options=AXE_OPTIONS).response["violations"]
        report = axe_report(path, violations)
        print(report)
        if violations:
            reports.append(report)
    assert not reports, "axe-core found WCAG A/AA violations:\n" + "\n".join(reports)

    # --- 5. Keyboard: the first Tab lands on the skip link, which moves focus to the content
    keyboard = browser.new_page()
    open_public(keyboard, "/")
    skip_link = keyboard.locator('a[href="#konten"]')
    expect(skip_link).not_to_be_in_viewport()  # kept off-screen until it has focus
    keyboard.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # shown when focused, for sighted keyboard users
    keyboard.keyboard.press("Enter")
    expect(keyboard.locator("main#konten")).to_be_focused()
