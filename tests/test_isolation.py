"""The isolation matrix: an OPD's people can never reach another OPD's objects in the admin.

Every admin URL Wagtail and the portal register is requested, with the ids of OPD B's
objects filled in, by OPD A's operator and verifikator: first GET (with a search query, so
listings, choosers and reports are searched too), then POST. Pass condition, for each URL:
no secret of OPD B appears in any response, object URLs are refused, and after every POST
the snapshot of OPD B's state is unchanged. A URL pattern added later is walked
automatically; a new kind of URL argument fails the test until it is given candidates.
"""

import hashlib
import itertools
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from wagtail.documents.models import Document
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageLogEntry,
    Revision,
    TaskState,
    Workflow,
    WorkflowState,
)

from satupintu.core.testing import add_news
from satupintu.media.models import PortalImage
from satupintu.opd.models import OPD
from satupintu.reporting.models import Attachment, Submission, SubmissionEvent

SECRET = "RAHASIA-DLH"
# Searched for in every listing; a prefix of the secret, so an echoed search box is no leak.
QUERY = "RAHASIA"
ALLOWED_STATUSES = {301, 302, 400, 403, 404, 405}

# URLs that do not concern another OPD's objects (the user's own account, logging out) or
# that stream files rather than pages.
SKIP_NAMES = {
    "wagtailadmin_logout",
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_account",
    "wagtailadmin_password_change",
    "wagtailadmin_password_change_done",
    "wagtailadmin_error_test",  # raises on purpose to test error reporting
}
# Object views whose 200 answer is by design: the page chooser may browse another OPD's
# *published* section to link to it (drafts are filtered out by our chooser hook).
CHOOSER_BROWSE = re.compile(r"^wagtailadmin_choose_page(_child|_search)?$")


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


# Probe values for URL arguments: a number or slug, or a UUID (Satu Data's ids).
PROBES = ("1", "00000000-0000-4000-8000-000000000001")


def _probe(name, args):
    for values in itertools.product(PROBES, repeat=len(args)):
        try:
            return reverse(name, kwargs=dict(zip(args, values, strict=True)))
        except NoReverseMatch:
            continue
    return ""


def admin_url_names():
    seen = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        probe = _probe(name, list(pattern.pattern.regex.groupindex))
        if probe.startswith("/admin/") and name not in seen:
            seen[name] = list(pattern.pattern.regex.groupindex)
    return seen


@pytest.fixture
def secrets_of_b(portal):
    """OPD B's objects, each carrying the secret marker where a title can carry it."""
    b = portal.b
    draft = add_news(b, f"{SECRET} draf berita", publish=False, user=portal.operator_b)
    live = add_news(b, "Berita DLH terbit", user=portal.operator_b)
    live.title = f"{SECRET} revisi belum terbit"
    live.save_revision(user=portal.operator_b)
    submitted = add_news(b, f"{SECRET} menunggu review", publish=False, user=portal.operator_b)
    b.workflow.start(submitted, portal.operator_b)
    image = PortalImage.objects.create(
        title=f"{SECRET} gambar",
        description="alt",
        collection=b.collection,
        file=_png(),
    )
    document = Document.objects.create(
        title=f"{SECRET} dokumen",
        collection=b.collection,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="rahasia.pdf"),
    )
    child_collection = b.collection.add_child(name=f"{SECRET} subkoleksi")
    report = _report_of(b, portal.operator_b)
    return {
        "catalog": _catalog_of(portal),
        "report": report,
        "pages": [draft, live, submitted, b.home_page],
        "image": image,
        "document": document,
        "collection": child_collection,
        "task_state": submitted.current_workflow_state.current_task_state,
        "workflow_state": submitted.current_workflow_state,
    }


def _report_of(opd, operator):
    """A sent report of OPD B, with an attachment, under a report type every dinas owes."""
    import datetime

    from satupintu.reporting import workflow
    from satupintu.reporting.models import ReportType

    report_type = ReportType.objects.create(
        name="Laporan uji isolasi",
        slug="uji-isolasi",
        period="bulanan",
        first_period_start=datetime.date(2026, 1, 1),
        opd_types=["dinas"],
        fields=json.dumps(
            [
                {"type": "text", "value": {"label": "Isi", "key": "isi", "required": True}},
                {"type": "file", "value": {"label": "Berkas", "key": "berkas"}},
            ]
        ),
    )
    report_type.publish_form()
    period = report_type.period_from_key("2026-01")
    submission = workflow.save(
        operator,
        report_type,
        opd,
        period,
        report_type.current_version,
        {"isi": f"{SECRET} isi laporan"},
        files={"berkas": ContentFile(b"%PDF-1.4\n%%EOF\n", name="rahasia.pdf")},
    )
    return workflow.submit(operator, submission)


def _catalog_of(portal):
    """OPD B's datasets in every state, their resources and versions (one still waiting for
    its column types), a Walidata note, and B's API tokens."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from satupintu.datacatalog import workflow as catalog
    from satupintu.datacatalog.models import ApiToken, Resource, ResourceVersion, Topic
    from satupintu.datacatalog.testing import SAMPLE_CSV, make_dataset

    b, operator, verifier = portal.b, portal.operator_b, portal.verifier_b
    draft = make_dataset(b, operator, name="rahasia-draf", title=f"{SECRET} dataset draf")
    catalog.add_version(
        operator,
        draft.resources.get(),
        SimpleUploadedFile(f"{SECRET}.csv", SAMPLE_CSV, "text/csv"),
    )
    submitted = make_dataset(
        b, operator, verifier, name="rahasia-diajukan", title=f"{SECRET} dataset diajukan"
    )
    published = make_dataset(
        b, operator, verifier, portal.kominfo, name="rahasia-terbit", title="Dataset DLH terbit"
    )
    published.title = f"{SECRET} perubahan belum diverifikasi"
    published.save()
    catalog.touch(published, operator)
    returned = make_dataset(
        b, operator, verifier, name="rahasia-kembali", title=f"{SECRET} dataset dikembalikan"
    )
    catalog.send_back(portal.kominfo, returned, f"{SECRET} catatan Walidata")
    datasets = [draft, submitted, published, returned]
    resources = list(Resource.objects.filter(dataset__in=datasets))
    tokens = [
        ApiToken.objects.create(user=user, name=f"{SECRET} token", digest=f"{n}" * 64)
        for n, user in enumerate([operator, verifier])
    ]
    return {
        "datasets": [d.pk for d in datasets],
        "resources": [r.pk for r in resources],
        "versions": list(
            ResourceVersion.objects.filter(resource__in=resources).values_list("pk", flat=True)
        ),
        "tokens": [t.pk for t in tokens],
        "topics": list(Topic.objects.values_list("pk", flat=True)),
    }


def _png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#225588").save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="rahasia.png")


def snapshot(portal) -> str:
    """Everything about OPD B that another OPD's user must not be able to change."""
    b = OPD.objects.get(pk=portal.b.pk)
    pages = Page.objects.filter(path__startswith=b.home_page.path)
    page_ids = list(pages.values_list("pk", flat=True))
    state = {
        "opd": list(OPD.objects.filter(pk=b.pk).values()),
        "pages": list(
            pages.order_by("path").values(
                "pk",
                "path",
                "title",
                "draft_title",
                "slug",
                "live",
                "has_unpublished_changes",
                "latest_revision_id",
                "locked",
                "locked_by_id",
                "owner_id",
                "url_path",
                "expire_at",
                "go_live_at",
            )
        ),
        "revisions": Revision.objects.filter(object_id__in=[str(p) for p in page_ids]).count(),
        "workflow_states": list(
            WorkflowState.objects.filter(object_id__in=[str(p) for p in page_ids]).values(
                "pk", "status"
            )
        ),
        "task_states": list(
            TaskState.objects.filter(
                workflow_state__object_id__in=[str(p) for p in page_ids]
            ).values("pk", "status")
        ),
        "images": list(
            PortalImage.objects.filter(collection__path__startswith=b.collection.path).values(
                "pk", "title", "file", "collection_id", "description", "focal_point_x"
            )
        ),
        "documents": list(
            Document.objects.filter(collection__path__startswith=b.collection.path).values(
                "pk", "title", "file", "collection_id"
            )
        ),
        "collections": list(
            Collection.objects.filter(path__startswith=b.collection.path).values(
                "pk", "name", "path"
            )
        ),
        "groups": list(
            Group.objects.filter(pk__in=[b.operator_group_id, b.verifier_group_id]).values(
                "pk", "name"
            )
        ),
        "group_members": sorted(
            Group.objects.filter(pk__in=[b.operator_group_id, b.verifier_group_id]).values_list(
                "user__pk", flat=True
            ),
            key=str,
        ),
        "page_perms": GroupPagePermission.objects.filter(page_id__in=page_ids).count(),
        "collection_perms": GroupCollectionPermission.objects.filter(
            collection__path__startswith=b.collection.path
        ).count(),
        "workflow": list(Workflow.objects.filter(pk=b.workflow_id).values()),
        "comments": list(Page.objects.none()),
        "reports": list(
            Submission.objects.filter(opd=b).values(
                "pk", "status", "data", "revision", "lock", "version_id", "news_page_id"
            )
        ),
        "report_events": SubmissionEvent.objects.filter(submission__opd=b).count(),
        "report_files": list(
            Attachment.objects.filter(submission__opd=b).values("pk", "file", "sha256")
        ),
        **_catalog_state(b),
    }
    return hashlib.sha256(json.dumps(state, default=str, sort_keys=True).encode()).hexdigest()


def _catalog_state(b):
    from satupintu.datacatalog.models import (
        ApiToken,
        Dataset,
        DatasetEvent,
        PublishedDataset,
        Resource,
        ResourceVersion,
        Topic,
    )

    datasets = Dataset.objects.filter(opd=b).order_by("pk")
    return {
        "topics": list(Topic.objects.order_by("pk").values()),
        "datasets": list(datasets.values()),
        "dataset_links": list(
            datasets.values_list("pk", "regions", "topics").order_by("pk", "regions", "topics")
        ),
        "resources": list(Resource.objects.filter(dataset__opd=b).order_by("pk").values()),
        "versions": list(
            ResourceVersion.objects.filter(resource__dataset__opd=b).order_by("pk").values()
        ),
        "dataset_events": DatasetEvent.objects.filter(dataset__opd=b).count(),
        "published": list(PublishedDataset.objects.filter(opd=b).order_by("pk").values()),
        "tokens": list(
            ApiToken.objects.filter(user__groups__in=[b.operator_group_id, b.verifier_group_id])
            .order_by("pk")
            .values("pk", "name", "digest")
        ),
    }


def candidates(arg, secrets, portal, url_name=""):
    """Values to try for one URL argument: always OPD B's objects."""
    if arg in MODEL_NAME_ARGS:
        return {
            "content_type_app_name": ["news", "wagtailcore"],
            "content_type_model_name": ["newspage", "page"],
            "app_label": ["opd", "regency", "wagtailcore", "news"],
            "app_name": ["regency"],
            "model_name": ["opd", "regencysettings", "page", "newspage"],
        }[arg]
    pages = [p.pk for p in secrets["pages"]]
    b = portal.b
    table = {
        "page_id": pages,
        "parent_page_id": pages,
        "page_to_move_id": pages,
        "destination_id": [b.home_page.pk],
        "page_pk": pages,
        "image_id": [secrets["image"].pk],
        "document_id": [secrets["document"].pk],
        "doc_id": [secrets["document"].pk],
        "collection_id": [secrets["collection"].pk, b.collection_id],
        "revision_id": list(
            Revision.objects.filter(object_id__in=[str(p) for p in pages]).values_list(
                "pk", flat=True
            )[:3]
        ),
        "task_state_id": [secrets["task_state"].pk],
        "workflow_state_id": [secrets["workflow_state"].pk],
        "workflow_pk": [b.workflow_id],
        "task_id": [b.workflow.tasks.first().pk],
        "action_name": ["approve", "reject"],
        "action": ["delete", "publish", "unpublish", "move", "approve", "copy"],
        "filter_spec": ["original"],
        "redirect_id": [],
        "uploaded_file_id": [],
        "session_id": [],
        "token": [],
        "uidb64": [],
        "type_slug": [secrets["report"].report_type.slug],
        "opd_slug": [b.slug],
        "period_key": [secrets["report"].period.key],
        "attachment_pk": list(secrets["report"].attachments.values_list("pk", flat=True)),
        "dataset_id": secrets["catalog"]["datasets"],
        "resource_id": secrets["catalog"]["resources"],
        "version_id": secrets["catalog"]["versions"],
        "token_id": secrets["catalog"]["tokens"],
    }
    if arg in ("pk", "object_id"):
        for prefix, values in [
            ("wagtailadmin_api:pages", pages),
            ("wagtailadmin_api:images", [secrets["image"].pk]),
            ("wagtailadmin_api:documents", [secrets["document"].pk]),
            ("wagtailimages", [secrets["image"].pk]),
            ("wagtaildocs", [secrets["document"].pk]),
            ("wagtailadmin_collections", [secrets["collection"].pk, b.collection_id]),
            ("wagtailusers_groups", [b.operator_group_id, b.verifier_group_id]),
            ("wagtailadmin_workflows", [b.workflow_id, b.workflow.tasks.first().pk]),
            ("opd", [b.pk]),
            ("reporting_", [secrets["report"].pk]),
            ("jenis_laporan", [secrets["report"].report_type_id]),
            ("topik_data", secrets["catalog"]["topics"]),
        ]:
            if url_name.startswith(prefix):
                return values
        return [
            b.pk,
            secrets["image"].pk,
            secrets["document"].pk,
            b.collection_id,
            b.operator_group_id,
            b.workflow_id,
            *pages,
        ]
    if arg not in table:
        raise AssertionError(f"The isolation matrix has no candidates for URL argument '{arg}'")
    return table[arg]


def build_urls(secrets, portal):
    urls = []
    for name, args in admin_url_names().items():
        if name.split(":")[-1] in SKIP_NAMES or name in SKIP_NAMES:
            continue
        if not args or set(args) <= MODEL_NAME_ARGS:
            # A listing (possibly of one model): searched, and must not show B's objects.
            for kwargs in _model_name_combos(args):
                try:
                    urls.append((name, reverse(name, kwargs=kwargs), False))
                except NoReverseMatch:
                    continue
            continue
        combos = [{}]
        for arg in args:
            combos = [{**c, arg: v} for c in combos for v in candidates(arg, secrets, portal, name)]
        for kwargs in combos:
            try:
                urls.append((name, reverse(name, kwargs=kwargs), True))
            except NoReverseMatch:
                continue
    return [u for u in urls if u[1]]


MODEL_NAME_ARGS = {
    "app_label",
    "model_name",
    "app_name",
    "content_type_app_name",
    "content_type_model_name",
}


def _model_name_combos(args):
    combos = [{}]
    for arg in args:
        combos = [{**c, arg: v} for c in combos for v in candidates(arg, {}, None)]
    return combos


@pytest.mark.parametrize("role", ["operator_a", "verifier_a"])
def test_other_opd_objects_are_out_of_reach_by_any_admin_url(portal, secrets_of_b, client, role):
    user = getattr(portal, role)
    client.force_login(user)
    urls = build_urls(secrets_of_b, portal)
    walked = {name for name, _url, _obj in urls}
    must_walk = {
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:delete",
        "wagtailadmin_pages:unpublish",
        "wagtailadmin_pages:history",
        "wagtailadmin_pages:revisions_revert",
        "wagtailadmin_pages:move",
        "wagtailadmin_pages:workflow_action",
        "wagtailadmin_pages:preview_on_edit",
        "wagtailimages:edit",
        "wagtailimages:delete",
        "wagtaildocs:edit",
        "wagtaildocs:delete",
        "wagtailadmin_collections:edit",
        "wagtailusers_groups:edit",
        "opd:edit",
        "opd:delete",
        "wagtailadmin_choose_page_child",
        "wagtailimages_chooser:chosen",
        "wagtaildocs_chooser:chosen",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_home",
        "reporting_fill",
        "reporting_submission",
        "reporting_decide",
        "reporting_correct",
        "reporting_move",
        "reporting_news",
        "reporting_attachment",
        "reporting_dashboard",
        "reporting_export_xlsx",
        "jenis_laporan:edit",
        "hari_libur_daerah:index",
        "datacatalog_admin_index",
        "datacatalog_admin_dataset",
        "datacatalog_admin_edit",
        "datacatalog_admin_delete",
        "datacatalog_admin_submit",
        "datacatalog_admin_verify",
        "datacatalog_admin_send_back",
        "datacatalog_admin_withdraw",
        "datacatalog_admin_add_resource",
        "datacatalog_admin_add_version",
        "datacatalog_admin_columns",
        "datacatalog_admin_download",
        "datacatalog_admin_review",
        "datacatalog_admin_tokens",
        "datacatalog_admin_revoke",
        "topik_data:edit",
    }
    assert must_walk <= walked, f"not walked: {must_walk - walked}"
    before = snapshot(portal)
    leaks, accepted, changed = [], [], []
    for name, url, is_object_url in urls:
        for method in ("get", "post"):
            if method == "post" and not is_object_url:
                continue
            target = url if method == "post" else f"{url}{'&' if '?' in url else '?'}q={QUERY}"
            response = getattr(client, method)(target, {} if method == "post" else None)
            body = b"".join(response) if response.streaming else response.content
            if SECRET.encode() in body:
                leaks.append(f"{method.upper()} {url} ({name})")
            if (
                is_object_url
                and response.status_code not in ALLOWED_STATUSES
                and not CHOOSER_BROWSE.match(name.split(":")[-1])
            ):
                accepted.append(f"{method.upper()} {url} ({name}) -> {response.status_code}")
            if method == "post" and snapshot(portal) != before:
                changed.append(f"POST {url} ({name})")
                before = snapshot(portal)
            client.force_login(user)
    assert not leaks, "OPD B's secrets visible to OPD A:\n" + "\n".join(leaks)
    assert not changed, "OPD B's objects changed by OPD A:\n" + "\n".join(changed)
    assert not accepted, "OPD B's object URLs not refused:\n" + "\n".join(accepted)


def test_audit_log_of_b_is_not_in_a_site_history(portal, secrets_of_b, client):
    assert PageLogEntry.objects.filter(label__contains=SECRET).exists()
    client.force_login(portal.operator_a)
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert SECRET not in response.content.decode()


def test_page_chooser_hides_other_opd_drafts_but_links_published_pages(
    portal, secrets_of_b, client
):
    client.force_login(portal.operator_a)
    response = client.get(reverse("wagtailadmin_choose_page_child", args=[portal.b.home_page.pk]))
    body = response.content.decode()
    assert SECRET not in body
    assert "Berita" in body  # B's published index pages can still be linked to


def test_snapshot_notices_a_change_to_b(portal, secrets_of_b):
    """The matrix relies on snapshot(); prove it sees a change an OPD B user could make."""
    before = snapshot(portal)
    page = secrets_of_b["pages"][0]
    page.title = "diubah"
    page.save()
    assert snapshot(portal) != before
    before = snapshot(portal)
    from satupintu.datacatalog.models import Dataset

    Dataset.objects.filter(pk=secrets_of_b["catalog"]["datasets"][0]).update(review_note="x")
    assert snapshot(portal) != before


def _b_pages_of_every_type(b, user):
    """One draft of every page type an OPD owns, in OPD B's section."""
    from datetime import timedelta

    from django.utils import timezone

    from satupintu.announcements.models import AnnouncementIndexPage, AnnouncementPage
    from satupintu.events.models import EventIndexPage, EventPage
    from satupintu.home.models import InfoPage
    from satupintu.news.models import NewsIndexPage, NewsPage
    from satupintu.ppid.models import PPIDDocumentPage, PPIDIndexPage
    from satupintu.services.models import ServiceIndexPage, ServicePage

    home = b.home_page
    drafts = [
        (NewsIndexPage, NewsPage(title=f"{SECRET} berita", intro="x", body="<p>x</p>")),
        (AnnouncementIndexPage, AnnouncementPage(title=f"{SECRET} pengumuman", body="<p>x</p>")),
        (
            EventIndexPage,
            EventPage(
                title=f"{SECRET} agenda", start=timezone.now() + timedelta(days=1), location="Aula"
            ),
        ),
        (
            ServiceIndexPage,
            ServicePage(
                title=f"{SECRET} layanan",
                summary="x",
                requirements="<p>x</p>",
                procedure="<p>x</p>",
                duration="1 hari",
                fee="Gratis",
                product="Surat",
                complaints="<p>x</p>",
            ),
        ),
        (
            PPIDIndexPage,
            PPIDDocumentPage(
                title=f"{SECRET} ppid",
                category="dikecualikan",
                year=2026,
                exemption_reason="Uji konsekuensi",
            ),
        ),
        (None, InfoPage(title=f"{SECRET} halaman", body="<p>x</p>")),
    ]
    pages = []
    for index_model, page in drafts:
        parent = index_model.objects.child_of(home).get() if index_model else home
        page.live = False
        parent.add_child(instance=page)
        page.save_revision(user=user)
        pages.append(page)
    # The section's own pages: the OPD home and its lists.
    pages += [home, *[p.specific for p in home.get_children().live()]]
    return pages


@pytest.mark.parametrize("role", ["operator_a", "verifier_a"])
def test_every_opd_page_type_refuses_another_opd(portal, client, role):
    pages = _b_pages_of_every_type(portal.b, portal.operator_b)
    client.force_login(getattr(portal, role))
    before = snapshot(portal)
    for page in pages:
        model = type(page).__name__
        for name in ("edit", "delete", "unpublish", "history", "copy", "move", "revisions_index"):
            url = reverse(f"wagtailadmin_pages:{name}", args=[page.pk])
            get = client.get(url)
            assert get.status_code in ALLOWED_STATUSES, f"GET {name} of {model}: {get.status_code}"
            assert SECRET.encode() not in get.content, f"GET {name} of {model} shows B's draft"
            client.post(url, {"title": "diubah", "action-publish": "1", "new_title": "x"})
        preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
        assert preview.status_code in ALLOWED_STATUSES and SECRET.encode() not in preview.content
        parent_add = reverse("wagtailadmin_pages:add_subpage", args=[page.pk])
        assert client.get(parent_add).status_code in ALLOWED_STATUSES
    assert snapshot(portal) == before


def test_own_opd_pages_stay_editable(portal, client):
    """The refusals above are about ownership: the same views open for the OPD's own people."""
    own = add_news(portal.a, "Berita milik dinkes", publish=False, user=portal.operator_a)
    for role in ("operator_a", "verifier_a"):
        client.force_login(getattr(portal, role))
        response = client.get(reverse("wagtailadmin_pages:edit", args=[own.pk]))
        assert response.status_code == 200
        assert b"Berita milik dinkes" in response.content
