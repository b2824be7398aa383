"""`satupintu rotate-identity-keys`: re-encrypt every stored NIK under the first key of
SATUPINTU_IDENTITY_KEYS and re-hash it under the first SATUPINTU_IDENTITY_HASH_KEYS key.

Rotation: put the new key first, keep the old one after it, run this command, then remove the
old key. Citizen accounts are re-hashed from their decrypted NIK; the local registry holds
only hashes, so after a hash-key rotation it must be re-imported (`import-registry`) before the
old hash key is removed. The central data portals' API tokens (Satu Data) are encrypted with
the same keys and are re-encrypted too.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from satupintu.citizens.models import Citizen
from satupintu.identity import protection


class Command(BaseCommand):
    help = "Re-encrypt and re-hash stored NIKs under the current (first) identity keys."

    def handle(self, **options):
        done = 0
        ids = list(Citizen.objects.values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            with transaction.atomic():
                for citizen in Citizen.objects.select_for_update().filter(
                    pk__in=ids[start : start + 500]
                ):
                    digits = citizen.nik
                    citizen.nik_encrypted = protection.reencrypt(citizen.nik_encrypted)
                    citizen.nik_hash = protection.hash_nik(digits)
                    citizen.save(update_fields=["nik_encrypted", "nik_hash"])
                    done += 1
        self.stdout.write(f"{done} NIK dienkripsi ulang dengan kunci terbaru.")
        from satupintu.datacatalog.models import CentralPortal

        tokens = 0
        with transaction.atomic():
            for portal in CentralPortal.objects.select_for_update().exclude(token_encrypted=""):
                portal.token_encrypted = protection.reencrypt(portal.token_encrypted)
                portal.save(update_fields=["token_encrypted"])
                tokens += 1
        self.stdout.write(f"{tokens} token portal pusat dienkripsi ulang dengan kunci terbaru.")
