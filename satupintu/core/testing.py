"""Helpers for tests that create portal content."""

from satupintu.news.models import NewsIndexPage, NewsPage


def add_news(opd, title, *, publish=True, user=None, **fields):
    index = NewsIndexPage.objects.child_of(opd.home_page).get()
    page = NewsPage(
        title=title,
        intro=fields.pop("intro", f"Ringkasan {title}"),
        body=fields.pop("body", f"<p>Isi {title}</p>"),
        owner=user,
        live=False,  # a draft until published, as the admin creates it
        **fields,
    )
    index.add_child(instance=page)
    revision = page.save_revision(user=user)
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page
