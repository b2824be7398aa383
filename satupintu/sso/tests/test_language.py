"""The provider's pages follow the citizen's language: `ui_locales` from the app, and the
connected-apps page inside the language-prefixed account pages."""

import pytest

pytestmark = pytest.mark.django_db


def test_ui_locales_en_sends_the_citizen_to_the_english_sign_in(client):
    response = client.get("/sso/authorize/?ui_locales=en&client_id=x&response_type=code")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/akun/masuk/")


def test_without_ui_locales_the_sign_in_is_indonesian(client):
    response = client.get("/sso/authorize/?client_id=x&response_type=code")
    assert response["Location"].startswith("/akun/masuk/")


def test_connected_apps_page_in_both_languages(client, portal):
    from satupintu.citizens.testing import PEOPLE, make_citizen

    citizen = make_citizen(PEOPLE["siti"])
    client.force_login(citizen.user, backend="satupintu.citizens.backends.NIKBackend")
    indonesian = client.get("/akun/aplikasi-terhubung/")
    english = client.get("/en/akun/aplikasi-terhubung/")
    assert indonesian.status_code == english.status_code == 200
    assert "Aplikasi terhubung" in indonesian.content.decode()
    assert "Connected apps" in english.content.decode()
