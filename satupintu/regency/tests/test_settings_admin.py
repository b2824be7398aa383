"""RegencySettings in the Wagtail admin: Kominfo edits it, OPD operators cannot."""

import pytest
from django.urls import reverse

from satupintu.regency.models import RegencySettings

CONTRAST_MESSAGE = "WCAG AA meminta minimal 4,5:1"


@pytest.fixture
def settings_url():
    return reverse("wagtailsettings:edit", args=["regency", "regencysettings"])


def edit_url():
    return reverse(
        "wagtailsettings:edit", args=["regency", "regencysettings", RegencySettings.load().pk]
    )


def form_data(**changes):
    """What the edit form posts, filled from the current row."""
    config = RegencySettings.load()
    data = {
        "name": config.name,
        "portal_title": config.portal_title,
        "bps_code": config.bps_code,
        "domain": config.domain,
        "logo": config.logo_id or "",
        "primary_colour": config.primary_colour,
        "accent_colour": config.accent_colour,
        "address": config.address,
        "phone": config.phone,
        "email": config.email,
    }
    data.update(changes)
    return data


def assert_refused(response):
    """Wagtail refuses either with 403 or by sending the user back to the dashboard."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


def snapshot():
    return list(RegencySettings.objects.values())


def test_kominfo_opens_the_settings(portal, client_for, settings_url):
    client = client_for(portal.kominfo)
    response = client.get(settings_url)
    assert response.status_code == 302
    assert response["Location"] == edit_url()

    response = client.get(edit_url())
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["name"] == "Kabupaten Lamongan"
    # Filled by init-regency from the dataset: shown, never edited by hand.
    for read_only in ("kemendagri_code", "province_name", "region_source", "region_loaded_at"):
        assert read_only not in form.fields
    assert {"name", "primary_colour", "accent_colour", "logo"} <= set(form.fields)


def test_kominfo_edits_the_settings(portal, client_for):
    client = client_for(portal.kominfo)
    response = client.post(
        edit_url(),
        form_data(
            portal_title="Portal Resmi Pemkab Lamongan",
            primary_colour="#004d40",
            phone="(0322) 321 123",
            email="kominfo@lamongankab.go.id",
            domain="lamongankab.go.id",
            kemendagri_code="35.78",  # read-only: ignored
        ),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    config = RegencySettings.load()
    assert config.portal_title == "Portal Resmi Pemkab Lamongan"
    assert config.primary_colour == "#004d40"
    assert config.phone == "(0322) 321 123"
    assert config.email == "kominfo@lamongankab.go.id"
    assert config.domain == "lamongankab.go.id"
    assert config.kemendagri_code == "35.24"
    assert config.display_title == "Portal Resmi Pemkab Lamongan"


@pytest.mark.parametrize(
    ("field", "colour"),
    [("primary_colour", "#ffff00"), ("accent_colour", "#ffff00"), ("primary_colour", "#777777")],
)
def test_colour_with_poor_contrast_is_refused(portal, client_for, field, colour):
    before = snapshot()
    response = client_for(portal.kominfo).post(
        edit_url(), form_data(**{field: colour, "phone": "0322 000"})
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert CONTRAST_MESSAGE in errors[field][0]
    assert CONTRAST_MESSAGE in response.content.decode()
    assert snapshot() == before


def test_colour_in_another_format_is_refused(portal, client_for):
    before = snapshot()
    response = client_for(portal.kominfo).post(edit_url(), form_data(primary_colour="navy"))
    assert response.status_code == 200
    assert "Tulis warna sebagai #rrggbb" in response.context["form"].errors["primary_colour"][0]
    assert snapshot() == before


def test_markup_in_the_name_is_refused(portal, client_for):
    before = snapshot()
    response = client_for(portal.kominfo).post(
        edit_url(), form_data(name="Kabupaten <script>alert(1)</script>Lamongan")
    )
    assert response.status_code == 200
    assert "tidak boleh berisi kode HTML" in response.context["form"].errors["name"][0]
    assert snapshot() == before


@pytest.mark.parametrize("who", ["operator_a", "verifier_a"])
def test_opd_people_cannot_open_the_settings(portal, client_for, settings_url, who):
    client = client_for(getattr(portal, who))
    response = client.get(edit_url())
    assert_refused(response)
    # The short URL redirects to the edit page, which refuses in turn.
    response = client.get(settings_url, follow=True)
    assert b'name="primary_colour"' not in response.content
    messages = [str(m) for m in response.context["messages"]]
    assert any("tidak memiliki izin" in m for m in messages), messages


def test_opd_operator_cannot_change_the_settings_by_post(portal, client_for):
    before = snapshot()
    response = client_for(portal.operator_a).post(
        edit_url(), form_data(name="Kabupaten Diretas", primary_colour="#000000")
    )
    assert_refused(response)
    assert snapshot() == before
    assert RegencySettings.load().name == "Kabupaten Lamongan"


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("wagtailsettings:edit", args=["regency", "regencysettings"]))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
