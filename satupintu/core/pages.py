"""The page class every portal page type derives from."""

from django.core.exceptions import ValidationError
from wagtail.models import Page

from .validators import reject_markup


class PortalPage(Page):
    """Refuses markup in titles and meta text with a message in the form.

    Rich text is already reduced to Wagtail's whitelist by the editor's converter; plain text
    fields are the remaining place where pasted `<script>` would end up in a headline.
    """

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        for field in ("title", "seo_title", "search_description"):
            try:
                reject_markup(getattr(self, field, ""))
            except ValidationError as exc:
                errors[field] = exc.messages
        if errors:
            raise ValidationError(errors)
