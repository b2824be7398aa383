"""Single sign-on records go when they are no longer needed, and not before."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from oauth2_provider.models import Application

from satupintu.citizens.testing import PEOPLE, make_citizen
from satupintu.sso.management.commands.prune_sso_records import RELEASE_RETENTION, prune
from satupintu.sso.models import IssuedCode, Release

pytestmark = pytest.mark.django_db


def test_old_codes_and_releases_go_young_ones_stay(settings, portal):
    user = make_citizen(PEOPLE["siti"]).user
    app = Application.objects.create(
        name="SIMPEG",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    )
    now = timezone.now()
    family = datetime.timedelta(seconds=settings.SATUPINTU_OIDC_REFRESH_ABSOLUTE_SECONDS)
    old_code = now - family - datetime.timedelta(days=2)
    IssuedCode.objects.create(code_hash="old", application=app, user=user, created_at=old_code)
    IssuedCode.objects.create(code_hash="young", application=app, user=user)
    for age in (RELEASE_RETENTION + datetime.timedelta(days=1), datetime.timedelta(days=1)):
        Release.objects.create(
            user=user,
            application=app,
            client_name="SIMPEG",
            grant_type="authorization_code",
            at=now - age,
        )
    assert prune() == {"codes": 1, "logout_deliveries": 0, "releases": 1}
    assert list(IssuedCode.objects.values_list("code_hash", flat=True)) == ["young"]
    assert Release.objects.count() == 1


def test_the_command_reports(capsys, db):
    call_command("prune_sso_records")
    assert "codes: 0" in capsys.readouterr().out
