"""age keys: the server holds only recipients (public keys), so whoever steals the server and
its backups still cannot read them; the identities (private keys) live off the server."""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from pyrage import IdentityError, RecipientError, x25519

from .errors import BackupError


def configured_recipients() -> list[x25519.Recipient]:
    raw = settings.SATUPINTU_BACKUP_RECIPIENTS  # a list; a string from an override is split
    if isinstance(raw, str):
        raw = raw.split(",")
    texts = [item.strip() for item in raw if item and item.strip()]
    if not texts:
        raise BackupError(
            _(
                "Tidak ada penerima cadangan: isi SATUPINTU_BACKUP_RECIPIENTS dengan kunci publik "
                "age (age1..., pisahkan dengan koma). Buat pasangan kunci dengan "
                "`satupintu backup-key` di komputer lain, bukan di server ini."
            )
        )
    recipients = []
    for text in texts:
        try:
            recipients.append(x25519.Recipient.from_str(text))
        except RecipientError:
            raise BackupError(
                _("Kunci publik age tidak sah di SATUPINTU_BACKUP_RECIPIENTS: %(key)s")
                % {"key": text[:12] + "..."}
            ) from None
    return recipients


def read_identities(path) -> list[x25519.Identity]:
    """An age identity file as age-keygen writes it: comments and AGE-SECRET-KEY-1... lines."""
    try:
        with open(path, encoding="ascii") as handle:
            lines = handle.read(64 * 1024).splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BackupError(
            _("Berkas identitas age tidak bisa dibaca: %(error)s") % {"error": error}
        ) from None
    identities = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(x25519.Identity.from_str(line))
        except IdentityError:
            raise BackupError(
                _("Berkas identitas age berisi baris yang bukan kunci age.")
            ) from None
    if not identities:
        raise BackupError(_("Berkas identitas age tidak berisi kunci (AGE-SECRET-KEY-1...)."))
    return identities


def identity_file_text(identity: x25519.Identity) -> str:
    """The same layout as age-keygen, so the `age` command reads it too."""
    created = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    return f"# created: {created}\n# public key: {identity.to_public()}\n{identity}\n"
