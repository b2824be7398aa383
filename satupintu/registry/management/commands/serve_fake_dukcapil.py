"""`satupintu serve-fake-dukcapil`: run the local fake of Disdukcapil's verification service
with the demo's invented people, so the web-service adapter can be tried without the
government network. For development and integration rehearsals only: it keeps every request
in memory and has a fixed test credential.

Then start the portal with (the command prints these):
    SATUPINTU_REGISTRY_BACKEND=dukcapil SATUPINTU_DUKCAPIL_URL=http://127.0.0.1:8765/verify \\
    SATUPINTU_DUKCAPIL_USER_ID=satupintu-uji SATUPINTU_DUKCAPIL_PASSWORD=kata-sandi-uji \\
    SATUPINTU_DUKCAPIL_IP_USER=127.0.0.1 .venv/bin/satupintu runserver
"""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from satupintu.registry.dukcapil import domicile_names
from satupintu.registry.synthetic import demo_people
from satupintu.registry.testing import FakeDukcapil, Person


class Command(BaseCommand):
    help = "Serve a local fake of Disdukcapil's verification web service (demo people only)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--regency", default=settings.SATUPINTU_REGENCY_CODE)

    def handle(self, port, regency, **options):
        province, kabupaten = domicile_names()
        people = [
            Person(
                nik=row["NIK"],
                full_name=row["NAMA_LGKP"],
                birth_date=datetime.datetime.strptime(row["TGL_LHR"], "%d-%m-%Y").date(),
                birth_place=row["TMPT_LHR"],
                mother_name=row["NAMA_LGKP_IBU"],
                prop_name=province,
                kab_name=kabupaten,
            )
            for row in demo_people(regency)
        ]
        with FakeDukcapil(people, port=port) as fake:
            self.stdout.write(f"Fake Disdukcapil service at {fake.url} ({len(people)} people):")
            for name, value in fake.settings().items():
                if name in ("URL", "USER_ID", "PASSWORD", "IP_USER"):
                    self.stdout.write(f"  SATUPINTU_DUKCAPIL_{name}={value}")
            self.stdout.write("  SATUPINTU_REGISTRY_BACKEND=dukcapil\nCtrl-C stops it.")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return
