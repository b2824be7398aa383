"""Provisioning: everything an OPD needs to publish on its own, created in one transaction.

Its section (/<slug>/ with the lists of news, announcements, agenda, services and PPID), its
image and document collection, its Operator and Verifikator groups with rights limited to
those two, and its review workflow (operator submits, the OPD's verifikator or Kominfo
approves, approval publishes). Running it again repairs what is missing and changes nothing
else, so it is safe after any manual change.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from satupintu.announcements.models import AnnouncementIndexPage
from satupintu.events.models import EventIndexPage
from satupintu.home.models import RegencyHomePage
from satupintu.home.setup import ensure_site
from satupintu.news.models import NewsIndexPage
from satupintu.ppid.models import PPIDIndexPage
from satupintu.services.models import ServiceIndexPage

from .models import OPD, OPDHomePage

KOMINFO_GROUP = "Kominfo"

# (model, slug, title): the lists every OPD section has.
SECTION_INDEXES = [
    (NewsIndexPage, "berita", gettext_noop("Berita")),
    (AnnouncementIndexPage, "pengumuman", gettext_noop("Pengumuman")),
    (EventIndexPage, "agenda", gettext_noop("Agenda")),
    (ServiceIndexPage, "layanan", gettext_noop("Layanan")),
    (PPIDIndexPage, "ppid", gettext_noop("Informasi Publik (PPID)")),
]

# Operators write and submit, and cannot publish. Verifikators review; Wagtail 7.4 publishes a
# final approval as the approving user and checks that user's publish permission, so the
# verifikator holds it on the OPD's own section (and nowhere else).
OPERATOR_PAGE_PERMISSIONS = ["add", "change"]
VERIFIER_PAGE_PERMISSIONS = ["add", "change", "publish", "lock", "unlock"]
KOMINFO_PAGE_PERMISSIONS = ["add", "change", "publish", "bulk_delete", "lock", "unlock"]
COLLECTION_PERMISSIONS = ["add", "change", "choose"]
# Wagtail checks image rights against wagtailimages.Image even with a custom image model.
MEDIA_MODELS = [("wagtailimages", "image"), ("wagtaildocs", "document")]


@dataclass
class ProvisionReport:
    opd: OPD
    created: list = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(
        content_type__app_label="wagtailcore", codename=f"{codename}_page"
    )


def _grant_pages(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(codename)
        )


def _grant_collection(group, collection, actions):
    for app_label, model in MEDIA_MODELS:
        for action in actions:
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=f"{action}_{model}"
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


@transaction.atomic
def ensure_kominfo_group() -> Group:
    """Kominfo runs the platform: it may act on every section, collection and OPD record."""
    group, _created = Group.objects.get_or_create(name=KOMINFO_GROUP)
    group.permissions.add(_admin_access())
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="opd", codename__in=["add_opd", "change_opd", "view_opd"]
        ),
        *Permission.objects.filter(
            content_type__app_label="regency", codename="change_regencysettings"
        ),
        *Permission.objects.filter(content_type__app_label="wagtailredirects"),
        # Putting people in OPD groups, and keeping the review workflows.
        *Permission.objects.filter(
            content_type__app_label="auth",
            codename__in=["add_user", "change_user", "view_user", "view_group"],
        ),
        *Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in=["add_workflow", "change_workflow", "add_task", "change_task"],
        ),
    )
    home = RegencyHomePage.objects.first() or ensure_site()
    _grant_pages(group, home, KOMINFO_PAGE_PERMISSIONS)
    _grant_collection(
        group, Collection.get_first_root_node(), ["add", "change", "choose", "delete"]
    )
    return group


def _ensure_group(report, opd, current, role_label, page_perms):
    name = f"{opd.acronym} ({opd.slug}) · {role_label}"[:150]
    group = current
    if group is None:
        group, created = Group.objects.get_or_create(name=name)
        if created:
            report.created.append(_("grup %(name)s") % {"name": name})
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    group.permissions.add(_admin_access())
    _grant_pages(group, opd.home_page, page_perms)
    _grant_collection(group, opd.collection, COLLECTION_PERMISSIONS)
    return group


def _ensure_home(report, opd, regency_home) -> OPDHomePage:
    home = opd.home_page
    if home is None:
        home = OPDHomePage.objects.filter(opd=opd).first()
    if home is None:
        clash = Page.objects.child_of(regency_home).filter(slug=opd.slug).first()
        if clash is not None:
            raise ValueError(
                _('Alamat /%(slug)s/ sudah dipakai halaman "%(title)s".')
                % {"slug": opd.slug, "title": clash.title}
            )
        home = OPDHomePage(title=opd.name, slug=opd.slug, opd=opd)
        regency_home.add_child(instance=home)
        home.save_revision().publish()
        report.created.append(_("bagian /%(slug)s/") % {"slug": opd.slug})
    elif home.title != opd.name or home.slug != opd.slug:
        home.title, home.slug = opd.name, opd.slug
        home.save_revision().publish()
    for model, slug, title in SECTION_INDEXES:
        if not model.objects.child_of(home).exists():
            # Stored in the portal's language, whatever language the admin runs in.
            index_page = model(title=title, slug=slug)
            home.add_child(instance=index_page)
            index_page.save_revision().publish()
            report.created.append(_("daftar %(title)s") % {"title": _(title)})
    return home


def _ensure_collection(report, opd) -> Collection:
    collection = opd.collection
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=opd.name)
        report.created.append(_("koleksi %(name)s") % {"name": opd.name})
    elif collection.name != opd.name:
        collection.name = opd.name
        collection.save(update_fields=["name"])
    return collection


def _ensure_workflow(report, opd, kominfo) -> Workflow:
    workflow = opd.workflow
    if workflow is None:
        workflow = Workflow.objects.create(
            name=_("Review %(acronym)s (%(slug)s)") % {"acronym": opd.acronym, "slug": opd.slug}
        )
        report.created.append(_("alur review"))
    task = workflow.workflow_tasks.select_related("task").first()
    if task is None:
        approval = GroupApprovalTask.objects.create(
            name=_("Verifikasi %(acronym)s") % {"acronym": opd.acronym}
        )
        WorkflowTask.objects.create(workflow=workflow, task=approval, sort_order=0)
    else:
        approval = task.task.specific
    approval.groups.add(opd.verifier_group, kominfo)
    WorkflowPage.objects.update_or_create(page=opd.home_page, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def provision_opd(opd: OPD) -> ProvisionReport:
    report = ProvisionReport(opd=opd)
    regency_home = RegencyHomePage.objects.first() or ensure_site()
    kominfo = ensure_kominfo_group()
    if opd.pk is None:
        opd.full_clean()
        opd.save()
        report.created.append(_("OPD %(name)s") % {"name": opd.name})
    opd.home_page = _ensure_home(report, opd, regency_home)
    opd.collection = _ensure_collection(report, opd)
    opd.operator_group = _ensure_group(
        report, opd, opd.operator_group, "Operator", OPERATOR_PAGE_PERMISSIONS
    )
    opd.verifier_group = _ensure_group(
        report, opd, opd.verifier_group, "Verifikator", VERIFIER_PAGE_PERMISSIONS
    )
    opd.workflow = _ensure_workflow(report, opd, kominfo)
    if opd.home_page.opd_id != opd.pk:
        opd.home_page.opd = opd
        opd.home_page.save(update_fields=["opd"])
    if report.changed or opd.provisioned_at is None:
        opd.provisioned_at = timezone.now()
    opd.save()
    return report
