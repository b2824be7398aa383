"""check-links finds what points nowhere, per OPD, without leaving the machine."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from satupintu.core.testing import add_news
from satupintu.linkcheck.checks import LinkChecker


def _kinds(problems):
    return sorted((p.kind, p.target) for p in problems)


def test_broken_links_and_missing_images_are_listed(portal):
    target = add_news(portal.a, "Tujuan yang nanti dihapus")
    target_id = target.pk
    add_news(
        portal.a,
        "Berita dengan tautan",
        body=(
            f'<p><a linktype="page" id="{target_id}">lama</a> '
            '<a href="/dinkes/">ada</a> <a href="/dinkes/tidak-ada/">rusak</a> '
            '<a href="https://contoh.invalid/x">luar</a> <a href="mailto:a@b.id">surel</a></p>'
            '<embed embedtype="image" id="987654" format="fullwidth" alt="x"/>'
        ),
    )
    target.delete()
    problems = LinkChecker().run()
    assert _kinds(problems) == [
        ("gambar hilang", "image 987654"),
        ("halaman tujuan tidak ada/tidak terbit", f"page {target_id}"),
        ("tautan internal rusak", "/dinkes/tidak-ada/"),
    ]
    assert {p.opd for p in problems} == {"Dinas Kesehatan"}


def test_scope_to_one_opd_and_command_output(portal):
    add_news(portal.b, "Berita DLH", body='<p><a href="/dlh/hilang/">rusak</a></p>')
    out = StringIO()
    call_command("check_links", opd="dinkes", stdout=out)
    assert "0 masalah" in out.getvalue()
    out = StringIO()
    call_command("check_links", opd="dlh", stdout=out)
    assert "/dlh/hilang/" in out.getvalue() and "1 masalah" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("check_links", opd="tidak-ada")


def test_links_answered_by_a_redirect_are_not_broken(portal):
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.create(old_path="/lama", redirect_page=portal.a.home_page)
    add_news(portal.a, "Berita", body='<p><a href="/lama/">lama</a></p>')
    assert LinkChecker().run() == []
