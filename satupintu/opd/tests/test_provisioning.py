import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
)

from satupintu.news.models import NewsIndexPage
from satupintu.opd.models import OPD, OPDHomePage
from satupintu.opd.provisioning import provision_opd


def _counts():
    return (
        Page.objects.count(),
        Collection.objects.count(),
        Group.objects.count(),
        Workflow.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        WorkflowPage.objects.count(),
    )


def test_provisioning_creates_section_collection_groups_and_workflow(portal):
    opd = OPD(name="Dinas Sosial", acronym="Dinsos", slug="dinsos", type=OPD.Type.DINAS)
    report = provision_opd(opd)

    assert report.changed
    home = opd.home_page
    assert isinstance(home, OPDHomePage) and home.live and home.url_path.endswith("/dinsos/")
    assert home.get_parent().specific == portal.home
    assert NewsIndexPage.objects.child_of(home).get().slug == "berita"
    assert opd.collection.get_parent().is_root()
    operator_perms = set(
        GroupPagePermission.objects.filter(group=opd.operator_group, page=home).values_list(
            "permission__codename", flat=True
        )
    )
    assert operator_perms == {"add_page", "change_page"}
    verifier_perms = GroupPagePermission.objects.filter(group=opd.verifier_group)
    assert set(verifier_perms.values_list("page", flat=True)) == {home.pk}
    assert "publish_page" in set(verifier_perms.values_list("permission__codename", flat=True))
    # Media rights on the OPD's own collection only, never on the root collection.
    for group in (opd.operator_group, opd.verifier_group):
        collections = set(
            GroupCollectionPermission.objects.filter(group=group).values_list(
                "collection", flat=True
            )
        )
        assert collections == {opd.collection.pk}
    assert WorkflowPage.objects.get(page=home).workflow == opd.workflow
    task = opd.workflow.tasks.get().specific
    assert opd.verifier_group in task.groups.all()
    assert opd.is_provisioned


def test_reprovisioning_is_idempotent(portal):
    before = _counts()
    report = provision_opd(portal.a)
    assert not report.changed
    assert _counts() == before


def test_reprovisioning_repairs_what_is_missing(portal):
    portal.a.collection = None
    portal.a.save()
    report = provision_opd(portal.a)
    assert report.changed
    assert portal.a.collection is not None


def test_failed_provisioning_leaves_nothing(portal, monkeypatch):
    from satupintu.opd import provisioning

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(provisioning, "_ensure_workflow", broken)
    before = _counts()
    with pytest.raises(RuntimeError):
        provision_opd(OPD(name="Dinas Sosial", acronym="Dinsos", slug="dinsos", type="dinas"))
    assert _counts() == before
    assert not OPD.objects.filter(slug="dinsos").exists()


def test_add_opd_command_creates_and_is_idempotent(portal, capsys):
    call_command("add_opd", slug="dinsos", name="Dinas Sosial", acronym="Dinsos", type="dinas")
    assert OPD.objects.get(slug="dinsos").is_provisioned
    before = _counts()
    call_command("add_opd", slug="dinsos")
    assert _counts() == before
    assert "tidak ada yang diubah" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"slug": "Dinas Sosial!", "name": "Dinas Sosial", "acronym": "D", "type": "dinas"},
            "huruf kecil",
        ),
        (
            {"slug": "berita", "name": "Dinas Sosial", "acronym": "D", "type": "dinas"},
            "sudah dipakai oleh portal",
        ),
        (
            {"slug": "dinsos", "name": "Dinas Kesehatan", "acronym": "D", "type": "dinas"},
            "telah ada",
        ),
        ({"slug": "dinsos", "name": "<b>Dinas</b>", "acronym": "D", "type": "dinas"}, "kode HTML"),
        ({"slug": "dinsos"}, "--name"),
        (
            {"slug": "aksesibilitas", "name": "Dinas X", "acronym": "D", "type": "dinas"},
            "sudah dipakai",
        ),
    ],
)
def test_add_opd_refuses_bad_input_and_saves_nothing(portal, options, message):
    before = _counts()
    opds = OPD.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("add_opd", **options)
    assert _counts() == before and OPD.objects.count() == opds


def test_moving_a_page_to_another_section_changes_its_opd(portal):
    from satupintu.core.testing import add_news

    page = add_news(portal.a, "Berita salah tempat")
    assert page.opd == portal.a
    target = NewsIndexPage.objects.child_of(portal.b.home_page).get()
    page.move(target, pos="last-child")
    page.refresh_from_db()
    assert page.opd == portal.b
