"""Forms of Kominfo's search admin: pinned results, the entry chooser's search, the report's
period."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm

from . import language
from .models import BestBet

MAX_QUERY_LINE = 200
# Words of the chooser's search, each of which the title must contain.
MAX_SEARCH_WORDS = 6


class BestBetForm(WagtailAdminModelForm):
    class Meta:
        model = BestBet
        fields = ["queries", "entry", "note"]

    def clean_queries(self):
        lines = [line.strip() for line in self.cleaned_data["queries"].splitlines()]
        lines = [line for line in lines if line]
        too_long = [line for line in lines if len(line) > MAX_QUERY_LINE]
        if too_long:
            raise forms.ValidationError(
                _("Setiap kata kunci paling panjang %(n)d karakter: “%(line)s…” terlalu panjang.")
                % {"n": MAX_QUERY_LINE, "line": too_long[0][:40]}
            )
        # Punctuation alone is no query anybody types: at least one line must have a word.
        if not any(language.words(line) for line in lines):
            raise forms.ValidationError(_("Tulis paling sedikit satu kata kunci."))
        return "\n".join(lines)

    def save(self, commit=True):
        # Who pinned it first; an edit by someone else keeps the original author.
        user = getattr(self, "for_user", None)
        if self.instance.created_by_id is None and user is not None and user.is_authenticated:
            self.instance.created_by = user
        return super().save(commit=commit)


class EntrySearchForm(BaseFilterForm):
    """The chooser's search over entry titles. Plain `icontains` per word rather than the
    public search: Kominfo looks for a title it has in mind, and the chooser must find it
    even where the ranking would bury it (an expired announcement, a minor page)."""

    q = forms.CharField(
        label=_("Cari judul"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Cari judul")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q", "").strip()
        if query:
            for word in query.split()[:MAX_SEARCH_WORDS]:
                objects = objects.filter(title__icontains=word)
            self.is_searching = True
            self.search_query = query
        return objects


PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30


class ReportPeriodForm(forms.Form):
    hari = forms.TypedChoiceField(
        label=_("Periode"), coerce=int, initial=str(DEFAULT_PERIOD), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, so the labels follow the language of the request.
        self.fields["hari"].choices = [
            (str(days), _("%(n)d hari terakhir") % {"n": days}) for days in PERIODS
        ]

    def days(self) -> int:
        """The chosen period; an unknown value (an old or edited link) gives the default."""
        if self.is_valid() and self.cleaned_data.get("hari"):
            return self.cleaned_data["hari"]
        return DEFAULT_PERIOD
