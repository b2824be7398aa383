"""Client secrets are hashed fast (they are long and random), passwords never are."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher
from oauth2_provider.models import Application

pytestmark = pytest.mark.django_db


def test_client_secrets_use_the_fast_salted_hash():
    app = Application.objects.create(
        name="SIMPEG",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        client_secret="a-long-random-secret-for-the-test-0123456789abcdef",
    )
    app.refresh_from_db()
    assert app.client_secret.startswith("sha256_secret$")
    assert "a-long-random" not in app.client_secret
    assert check_password("a-long-random-secret-for-the-test-0123456789abcdef", app.client_secret)
    assert not check_password("wrong", app.client_secret)


def test_user_passwords_never_get_it(django_user_model):
    user = django_user_model(username="x")
    user.set_password("kalimat sandi yang panjang")
    assert identify_hasher(user.password).algorithm != "sha256_secret"
