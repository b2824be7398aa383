"""The NIK in clear appears nowhere it must not: logs, URLs, pages, messages, the database.

Walks the citizen flows with every logger captured, then scans everything produced, including
a full `dumpdata` of the database, for any test NIK. The only place a NIK may be shown is the
NIK input a person is typing into, on the response to their own POST.
"""

import io
import logging
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command

from satupintu.citizens import codes

from .conftest import PEOPLE, STRANGER_NIK, last_code, sign_in, sign_up

pytestmark = pytest.mark.django_db
ALL_NIKS = [p.nik for p in PEOPLE.values()] + [STRANGER_NIK]
_OWN_INPUT = re.compile(r'<input[^>]*name="(?:[a-z]+-)?nik"[^>]*>')


def _leaks(text):
    compact = re.sub(r"[\s.\-]", "", text)
    return [nik for nik in ALL_NIKS if nik in text or nik in compact]


def test_no_nik_in_clear_anywhere(client, registry, caplog, django_user_model):
    caplog.set_level(logging.DEBUG)
    seen = []  # (where, text)

    def keep(response, where):
        if response.has_header("Location"):
            seen.append((f"Location of {where}", response["Location"]))
        if response.get("Content-Type", "").startswith("text/html"):
            seen.append((where, _OWN_INPUT.sub("", response.content.decode())))
        return response

    siti, budi = PEOPLE["siti"], PEOPLE["budi"]
    keep(client.get("/akun/daftar/"), "signup")
    keep(sign_up(client, siti, "siti@example.org"), "signup post")
    keep(client.get("/akun/daftar/selesai/"), "signup done")
    keep(sign_up(client.__class__(), PEOPLE["dewi"], "dewi@example.org"), "minor")
    keep(sign_in(client, budi.nik, "salah sekali"), "failed sign-in")
    keep(sign_in(client, STRANGER_NIK, "salah sekali"), "unknown sign-in")
    keep(sign_in(client, siti.nik), "sign-in")
    for path in ("/akun/", "/en/akun/", "/akun/dua-langkah/", "/akun/kontak/", "/", "/cari/?q=x"):
        keep(client.get(path), path)
    keep(client.get(f"/cari/?q={siti.nik}"), "search for a NIK")  # never echoed back
    client.post("/akun/keluar/")
    keep(client.post("/akun/lupa-sandi/", {"nik": siti.nik}), "reset")
    keep(client.get("/akun/lupa-sandi/kode/"), "reset code page")
    keep(
        client.post(
            "/akun/lupa-sandi/kode/",
            {"code": last_code("siti@example.org"), "password1": "x" * 12, "password2": "x" * 12},
        ),
        "reset done",
    )

    officer = django_user_model.objects.create(username="petugas")
    group = Group.objects.create(name="Loket")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="confirm_identity"),
    )
    officer.groups.add(group)
    client.force_login(officer)
    keep(client.post("/admin/identitas-warga/", {"nik": siti.nik, "lookup": "1"}), "counter")

    for message in mail.outbox:
        seen.append((f"mail {message.subject}", f"{message.subject}\n{message.body}"))
    for sms in codes.sms_outbox:
        seen.append(("sms", sms["body"]))
    for record in caplog.records:
        seen.append((f"log {record.name}", f"{record.getMessage()} {record.exc_text or ''}"))
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    seen.append(("database dump", dump.getvalue()))

    leaks = [(where, _leaks(text)) for where, text in seen if _leaks(text)]
    assert not leaks, leaks
    assert len(seen) > 20
