"""Checks on uploaded files: size, and that the content is what the extension claims.

Wagtail already opens images with Pillow (via Willow) and refuses what it cannot decode;
documents are only checked by extension upstream, so a `.pdf` that is really an HTML page
or an executable would be served from the government's domain. The magic-number sniffing is
done by the `filetype` package.
"""

import codecs
import re

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension -> MIME types that the sniffed content may have
_BINARY_KINDS = {
    "pdf": {"application/pdf"},
    "doc": {"application/msword", "application/x-ole-storage"},
    "xls": {"application/vnd.ms-excel", "application/x-ole-storage"},
    "ppt": {"application/vnd.ms-powerpoint", "application/x-ole-storage"},
    "docx": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip",
    },
    "xlsx": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
    },
    "pptx": {
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/zip",
    },
    "odt": {"application/vnd.oasis.opendocument.text", "application/zip"},
    "ods": {"application/vnd.oasis.opendocument.spreadsheet", "application/zip"},
    "zip": {"application/zip"},
}
_TEXT_KINDS = {"csv", "txt"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _head(uploaded, size: int = 8192) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(size)
    uploaded.seek(0)
    return head


def check_size(uploaded, limit: int) -> None:
    if uploaded.size > limit:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


def check_document(uploaded, limit: int | None = None) -> None:
    """Refuse a document whose bytes do not match its extension, or that is too large."""
    check_size(uploaded, limit or settings.SATUPINTU_MAX_DOCUMENT_BYTES)
    ext = _extension(uploaded.name)
    head = _head(uploaded)
    if not head:
        raise ValidationError(_("Berkas kosong."), code="empty")
    if ext in _TEXT_KINDS:
        if b"\x00" in head:
            raise ValidationError(
                _("Berkas .%(ext)s ini bukan teks biasa.") % {"ext": ext}, code="type_mismatch"
            )
        # Any leading tag or comment (<html, <svg, <?xml, <!-- ...), also after a byte-order
        # mark: a browser that sniffs would render it; plain text and CSV do not start so.
        lowered = head.lstrip().removeprefix(codecs.BOM_UTF8).lstrip().lower()
        if re.match(rb"<[a-z!?/]", lowered):
            raise ValidationError(
                _("Berkas .%(ext)s ini berisi HTML/XML, bukan teks biasa.") % {"ext": ext},
                code="type_mismatch",
            )
        return
    allowed = _BINARY_KINDS.get(ext)
    if allowed is None:
        raise ValidationError(
            _("Jenis berkas .%(ext)s tidak diizinkan.") % {"ext": ext or "?"}, code="extension"
        )
    kind = filetype.guess(head)
    if kind:
        mime = kind.mime
    else:
        mime = "application/x-ole-storage" if head.startswith(_OLE_MAGIC) else None
    if mime not in allowed:
        raise ValidationError(
            _(
                "Isi berkas tidak sesuai dengan ekstensinya (.%(ext)s). Simpan ulang dokumen "
                "dalam format yang benar lalu unggah lagi."
            )
            % {"ext": ext},
            code="type_mismatch",
        )
