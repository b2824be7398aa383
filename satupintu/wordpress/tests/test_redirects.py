"""Old WordPress links land on the new pages, on the old host or under the OPD section."""

import pytest
from django.test import override_settings

from satupintu.news.models import NewsPage
from satupintu.wordpress import sample
from satupintu.wordpress.importer import import_wordpress

OLD_HOST = "dinkes.lamongankab.go.id"


@pytest.fixture
def imported(portal, export):
    path, uploads = export
    import_wordpress(portal.a, path, uploads_dir=uploads, publish=True)
    return NewsPage.objects.get(opd=portal.a, title="Posyandu serentak di Babat")


@pytest.mark.parametrize(
    "old",
    ["/?p=10", "/2019/01/berita-1-babat/", "/2019/01/berita-1-babat", "/berita-1-babat/"],
)
def test_old_links_on_the_old_host_redirect_permanently(client, imported, old):
    with override_settings(ALLOWED_HOSTS=["testserver", OLD_HOST]):
        response = client.get(old, HTTP_HOST=OLD_HOST)
    assert response.status_code == 301
    assert response["Location"] == "http://testserver" + imported.url  # the portal's address


@pytest.mark.parametrize(
    "old", ["/dinkes/?p=10", "/dinkes/2019/01/berita-1-babat/", "/dinkes/berita-1-babat/"]
)
def test_old_links_mounted_under_the_opd_section_redirect(client, imported, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == imported.url


def test_old_page_and_attachment_links_redirect(client, portal, imported):
    page = client.get("/dinkes/?page_id=5000")
    assert page.status_code == 301 and page["Location"].endswith("/dinkes/profil/")
    upload = client.get("/dinkes/wp-content/uploads/2019/01/foto-1.jpg")
    assert upload.status_code == 301 and "/media/original_images/" in upload["Location"]


def test_other_opd_paths_and_unknown_ids_are_not_redirected(client, portal, imported):
    assert client.get("/dlh/2019/01/berita-1-babat/").status_code == 404
    assert client.get("/dinkes/?p=999999").status_code == 200  # just the OPD home
    assert client.get("/dinkes/tidak-pernah-ada/").status_code == 404


def test_a_draft_never_becomes_reachable_through_an_old_link(client, portal, export):
    path, uploads = export
    import_wordpress(portal.a, path, uploads_dir=uploads)  # waits for review, not live
    assert client.get("/dinkes/?p=10").status_code == 200
    assert client.get("/dinkes/2019/01/berita-1-babat/").status_code == 404


def test_sample_site_is_the_old_host():
    assert OLD_HOST in sample.SITE
