"""age keys: the server holds only recipients (public keys), so whoever steals the server and
its backups still cannot read them; the identities (private keys) live off the server."""

import datetime
import sys

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


# The identity read from standard input: `--identity - < key.txt`. The restore runs as the
# site's user (sudo -u satupintu) while the key stays a root-only file: the root shell opens it
# and hands over the open stream, which sudo passes on (a path such as /dev/stdin it reopens).
STDIN = "-"
MAX_IDENTITY_BYTES = 64 * 1024


def read_identities(path, stdin=None) -> list[x25519.Identity]:
    """An age identity file as age-keygen writes it: comments and AGE-SECRET-KEY-1... lines.
    `path` "-" reads the same text from `stdin` (sys.stdin unless given)."""
    try:
        if str(path) == STDIN:
            text = _read_stdin(sys.stdin if stdin is None else stdin)
        else:
            with open(path, encoding="ascii") as handle:
                text = handle.read(MAX_IDENTITY_BYTES)
    except (OSError, UnicodeDecodeError) as error:
        raise BackupError(
            _("Berkas identitas age tidak bisa dibaca: %(error)s") % {"error": error}
        ) from None
    if str(path) == STDIN and not text.strip():
        raise BackupError(
            _(
                "Tidak ada kunci di masukan standar: berikan berkasnya dengan "
                "`--identity - < berkas-identitas.txt`."
            )
        )
    lines = text.splitlines()
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


def _read_stdin(stream) -> str:
    """Piped or redirected: read it. A terminal: the operator may paste the key (from the
    password manager or typed from the sealed paper), so say what is awaited."""
    interactive = hasattr(stream, "isatty") and stream.isatty()
    if interactive:
        sys.stderr.write(
            _(
                "Tempelkan kunci privat age (baris AGE-SECRET-KEY-1...), lalu tekan Enter dan "
                "Ctrl-D:"
            )
            + "\n"
        )
        sys.stderr.flush()
    text = stream.read(MAX_IDENTITY_BYTES)
    if isinstance(text, bytes):
        text = text.decode("ascii")
    return text  # a non-ASCII line is refused below, like any line that is not a key


def identity_file_text(identity: x25519.Identity) -> str:
    """The same layout as age-keygen, so the `age` command reads it too."""
    created = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    return f"# created: {created}\n# public key: {identity.to_public()}\n{identity}\n"
