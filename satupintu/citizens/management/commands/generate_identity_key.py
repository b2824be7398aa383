"""`satupintu generate-identity-key`: print a new key for SATUPINTU_IDENTITY_KEYS (or a lookup
secret with --hash), for an operator setting up production or rotating keys."""

import secrets

from django.core.management.base import BaseCommand

from satupintu.identity.protection import generate_key


class Command(BaseCommand):
    help = "Print a new Fernet key for SATUPINTU_IDENTITY_KEYS (or --hash: a lookup secret)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hash", action="store_true", help="a SATUPINTU_IDENTITY_HASH_KEYS secret"
        )

    def handle(self, hash, **options):  # noqa: A002 (the option's name)
        self.stdout.write(secrets.token_urlsafe(48) if hash else generate_key())
