"""Pages of the portal: every live page no view restriction hides, by type.

One function per page type says what the page's text is; the page types themselves stay
about editing. Index pages (an OPD's news list) and the regency home are not entries: they
are lists of entries, and a result pointing at a list is a result that makes people search
again.
"""


from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing as text

from ..index import Doc
from ..models import Kind

PREFIX = "page:"


def key(page_id) -> str:
    return f"{PREFIX}{page_id}"


def _news(page):
    tags = " ".join(t.name for t in page.tags.all())
    return {
        "kind": Kind.BERITA,
        "summary": page.intro,
        "body": text(page.body),
        "keywords": tags,
        "published_at": page.date,
    }


def _announcement(page):
    body = text(page.body)
    return {
        "kind": Kind.PENGUMUMAN,
        "summary": body[:300],
        "body": body + attachment_text(page.attachment),
        "published_at": page.valid_from,
    }


def _service(page):
    parts = [page.requirements, page.procedure, page.legal_basis, page.complaints]
    return {
        "kind": Kind.LAYANAN,
        "summary": page.summary,
        "body": " ".join([text(p) for p in parts] + [page.duration, page.fee, page.product]),
        "keywords": f"{page.product} layanan",
        "boost": 1.2,
    }


def _ppid(page):
    return {
        "kind": Kind.DOKUMEN,
        "summary": page.summary,
        "body": " ".join([page.exemption_reason, str(page.get_category_display())])
        + attachment_text(page.document),
        "keywords": "ppid informasi publik dokumen",
        "published_at": page.last_published_at or page.first_published_at,
        "year": page.year,
    }


def _event(page):
    return {
        "kind": Kind.AGENDA,
        "summary": page.summary,
        "body": f"{page.location} {text(page.body)}",
        "keywords": "agenda kegiatan",
        "published_at": page.start,
    }


def _opd_home(page):
    opd = page.opd
    parts = [page.vision, page.mission, page.duties, page.structure]
    extra = [opd.address, opd.head_name, opd.head_title, opd.get_type_display()] if opd else []
    return {
        "kind": Kind.OPD,
        "summary": page.introduction,
        "body": " ".join([text(p) for p in parts] + [str(x) for x in extra if x]),
        "keywords": f"{opd.acronym} {opd.slug.replace('-', ' ')}" if opd else "",
        "boost": 1.2,
    }


def _info(page):
    return {"kind": Kind.HALAMAN, "summary": page.search_description, "body": text(page.body)}


def _describers():
    from satupintu.announcements.models import AnnouncementPage
    from satupintu.events.models import EventPage
    from satupintu.home.models import InfoPage
    from satupintu.news.models import NewsPage
    from satupintu.opd.models import OPDHomePage
    from satupintu.ppid.models import PPIDDocumentPage
    from satupintu.services.models import ServicePage

    return {
        NewsPage: _news,
        AnnouncementPage: _announcement,
        ServicePage: _service,
        PPIDDocumentPage: _ppid,
        EventPage: _event,
        OPDHomePage: _opd_home,
        InfoPage: _info,
    }


def indexed_models():
    return list(_describers())


def attachment_text(document) -> str:
    """The extracted text of an attached document, once extraction has run (documents.py)."""
    if document is None:
        return ""
    from ..documents import text_of

    return " " + text_of(document)


def is_public(page) -> bool:
    return bool(
        page.live
        and not page.get_view_restrictions().exists()
        and (page.expire_at is None or page.expire_at > timezone.now())
    )


def doc(page) -> Doc | None:
    page = page.specific
    describe = _describers().get(type(page))
    if describe is None or not is_public(page):
        return None
    fields = describe(page)
    published = fields.pop("published_at", None)  # a date or datetime; Doc.fields() converts
    opd = getattr(page, "opd", None)
    kind_label = str(Kind(fields["kind"]).label)
    return Doc(
        key=key(page.pk),
        title=page.title,
        url=page.get_url() or page.url_path,
        context=" ".join(
            filter(None, [kind_label, opd.name if opd else "", opd.acronym if opd else ""])
        ),
        opd_id=opd.pk if opd else None,
        published_at=published,
        expires_at=page.expire_at,
        **fields,
    )


def all_docs():
    models = indexed_models()
    pages = Page.objects.live().public().type(*models).specific().order_by("path")
    for page in pages.iterator(chunk_size=200):
        found = doc(page)
        if found:
            yield found
