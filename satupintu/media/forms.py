"""Admin forms for images and documents, with the portal's upload checks.

Wired in through WAGTAILIMAGES_IMAGE_FORM_BASE / WAGTAILDOCS_DOCUMENT_FORM_BASE so that every
upload path (single, multiple, chooser) goes through them.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from satupintu.core.validators import reject_markup

from .checks import check_document, check_size


class PortalImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].required = True
            self.fields["description"].error_messages["required"] = _(
                "Teks alternatif wajib diisi agar gambar dapat dipahami pembaca layar."
            )

    def clean_title(self):
        title = self.cleaned_data.get("title", "")
        reject_markup(title)
        return title

    def clean_description(self):
        # The alt text is read aloud by screen readers: tags would be read out as well.
        description = self.cleaned_data.get("description", "")
        reject_markup(description)
        return description

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            check_size(uploaded, settings.SATUPINTU_MAX_IMAGE_BYTES)
        return uploaded


class PortalDocumentForm(BaseDocumentForm):
    def _post_clean(self):
        # Wagtail's Document.clean() checks the extension of the instance's file, which is
        # still empty when the upload was refused above: it would add "Ekstensi berkas “”
        # tidak diizinkan" under the real reason. Keep only the reason.
        refused = len(self._errors.get("file", []))
        super()._post_clean()
        if refused:
            del self._errors["file"][refused:]

    def clean_title(self):
        title = self.cleaned_data.get("title", "")
        reject_markup(title)
        return title

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            check_document(uploaded)
        return uploaded
