"""Kominfo's side of the site search in Wagtail's admin: synonyms, pinned results ("hasil
unggulan") and the report of what the public searches for.

All of it is Kominfo's: every URL answers 404 to the OPDs (KominfoOnlyViewSetMixin and
kominfo_only), and the viewsets ask `KominfoPolicy` rather than Django's model permissions,
so a member of the Kominfo group who is not a superuser can use them without a grant per
model, and nobody else can be granted them by mistake in the group editor.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Q, Sum
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BaseChooser
from wagtail.permission_policies.base import BasePermissionPolicy

from satupintu.core.spreadsheets import csv_bytes, download
from satupintu.opd.access import is_platform_admin
from satupintu.opd.admin_guards import KominfoOnlyViewSetMixin

from .analytics import REPORT_MINIMUM
from .forms import BestBetForm, EntrySearchForm, ReportPeriodForm
from .models import BestBet, Entry, QueryDay, SynonymGroup
from .synonyms import count_synonym_words

# Viewset names, which are also their URL namespaces (registered in wagtail_hooks.py).
SYNONYMS_NAME = "sinonim"
BEST_BETS_NAME = "hasil_unggulan"
REPORT_ROWS = 50
# A query "nobody opens" needs a few searches before its silence means anything.
NO_CLICK_MINIMUM = max(3, REPORT_MINIMUM)


class KominfoPolicy(BasePermissionPolicy):
    """Every action for Kominfo (superusers and the Kominfo group), none for anyone else."""

    def user_has_permission(self, user, action):
        if not (user.is_authenticated and user.is_active):
            return False
        # Asked once per row and button on a listing: remembered on the request's user.
        cached = getattr(user, "_search_admin_allowed", None)
        if cached is None:
            cached = is_platform_admin(user)
            user._search_admin_allowed = cached
        return cached

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, "any")

    def users_with_any_permission(self, actions):
        from satupintu.opd.provisioning import KOMINFO_GROUP

        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name=KOMINFO_GROUP))
            .distinct()
        )


def entry_label(entry: Entry) -> str:
    """How an entry is told apart from others with a similar title: its kind and its OPD."""
    parts = [entry.get_kind_display()]
    if entry.opd_id and entry.opd:
        parts.append(entry.opd.acronym or entry.opd.name)
    return f"{entry.title} ({' · '.join(str(p) for p in parts)})"


def _opd_of(entry: Entry) -> str:
    return (entry.opd.acronym or entry.opd.name) if entry.opd_id and entry.opd else "—"


class KominfoViewSet(KominfoOnlyViewSetMixin, ModelViewSet):
    add_to_admin_menu = False
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False

    @property
    def permission_policy(self):
        return KominfoPolicy(self.model)

    def get_permissions_to_register(self):
        # Nothing to grant in the group editor: KominfoPolicy decides.
        return []


# Sinonim ----------------------------------------------------------------------------------
# Synonym words join the "did you mean" vocabulary as soon as a group is saved; counted in
# the same transaction as the save, so a failed save leaves the vocabulary alone.


class SynonymCreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        count_synonym_words()
        return instance


class SynonymEditView(generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        count_synonym_words()
        return instance


class SynonymDeleteView(generic.DeleteView):
    def delete_action(self):
        super().delete_action()
        count_synonym_words()


class SynonymGroupViewSet(KominfoViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = _("Sinonim")
    add_view_class = SynonymCreateView
    edit_view_class = SynonymEditView
    delete_view_class = SynonymDeleteView
    list_display = [
        "terms",
        "note",
        DateColumn("updated_at", label=_("Diperbarui"), sort_key="updated_at"),
    ]
    search_fields = ["terms", "note"]
    form_fields = ["terms", "note"]


# The entry chooser ------------------------------------------------------------------------
# Up to a million entries: the form never lists them, it opens a modal that searches titles
# and shows one page of matches.


class EntryChooserWidget(BaseChooser):
    # Entries have no edit view (the indexer writes them), and a best bet needs one.
    show_edit_link = False
    show_clear_link = False

    def get_instance(self, value):
        if value is None or isinstance(value, Entry):
            return value
        # A value typed into a re-shown form may not even be a number.
        try:
            return Entry.objects.select_related("opd").get(pk=int(value))
        except (TypeError, ValueError, Entry.DoesNotExist):
            return None

    def get_display_title(self, instance):
        return entry_label(instance)


class EntryPolicy(KominfoPolicy):
    """Entries are written by the indexer only: the chooser offers no "create" tab."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


class _EntryColumns:
    per_page = 20
    # Newest first by id: an index scan, where ordering a million titles would sort them all.
    ordering = "-pk"
    filter_form_class = EntrySearchForm

    def get_object_list(self):
        return Entry.objects.select_related("opd").only(
            "id", "title", "kind", "opd__acronym", "opd__name"
        )

    @property
    def columns(self):
        return [
            self.title_column,
            Column("kind", label=_("Jenis"), accessor="get_kind_display"),
            Column("opd", label=_("OPD"), accessor=_opd_of),
        ]


class EntryChooseView(_EntryColumns, chooser_views.ChooseView):
    pass


class EntryChooseResultsView(_EntryColumns, chooser_views.ChooseResultsView):
    pass


class EntryChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        try:
            return Entry.objects.select_related("opd").get(pk=int(pk))
        except (TypeError, ValueError) as error:
            raise ObjectDoesNotExist from error

    def get_display_title(self, instance):
        return entry_label(instance)


class EntryChosenMultipleView(chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        ids = [int(pk) for pk in pks if str(pk).isdigit()]
        return Entry.objects.select_related("opd").filter(pk__in=ids)

    def get_display_title(self, instance):
        return entry_label(instance)


class EntryChooserViewSet(KominfoOnlyViewSetMixin, ChooserViewSet):
    model = Entry
    icon = "search"
    choose_one_text = _("Pilih entri")
    choose_another_text = _("Pilih entri lain")
    page_title = _("Pilih hasil yang disematkan")
    search_tab_label = _("Cari")
    base_widget_class = EntryChooserWidget
    choose_view_class = EntryChooseView
    choose_results_view_class = EntryChooseResultsView
    chosen_view_class = EntryChosenView
    chosen_multiple_view_class = EntryChosenMultipleView
    # The form below asks for this widget by name; a global override would change every
    # other form that ever points at an entry.
    register_widget = False
    permission_policy = EntryPolicy(Entry)


entry_chooser_viewset = EntryChooserViewSet(
    "pilih_entri_pencarian", url_prefix="pencarian/pilih-entri"
)


# Hasil unggulan ---------------------------------------------------------------------------


class BestBetCreateView(generic.CreateView):
    def get_initial(self):
        """The report's "Buat hasil unggulan" link: opened with the query filled in."""
        initial = super().get_initial()
        query = self.request.GET.get("q", "").strip()
        if query:
            initial["queries"] = query[:200]
        return initial


def _first_query(best_bet: BestBet) -> str:
    lines = best_bet.queries.splitlines()
    first = lines[0] if lines else ""
    return f"{first} (+{len(lines) - 1})" if len(lines) > 1 else first


class BestBetIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("entry", "entry__opd")

    @cached_property
    def columns(self):
        return [
            self._get_title_column("queries", accessor=_first_query),
            Column("entry", label=_("Hasil yang disematkan"), accessor="entry.title"),
            Column("kind", label=_("Jenis"), accessor="entry.get_kind_display"),
            Column("opd", label=_("OPD"), accessor=lambda bet: _opd_of(bet.entry)),
            DateColumn("updated_at", label=_("Diperbarui"), sort_key="updated_at"),
        ]


class BestBetViewSet(KominfoViewSet):
    model = BestBet
    icon = "pick"
    menu_label = _("Hasil unggulan")
    index_view_class = BestBetIndexView
    add_view_class = BestBetCreateView
    search_fields = ["queries", "note"]
    edit_handler = ObjectList(
        [
            FieldPanel("queries"),
            FieldPanel("entry", widget=entry_chooser_viewset.widget_class),
            FieldPanel("note"),
        ],
        base_form_class=BestBetForm,
    )


# Laporan pencarian ------------------------------------------------------------------------


def report_tables(days: int, today: datetime.date | None = None) -> dict:
    """The three tables of the report, each a list of dicts, summed over the last `days` days
    (today included). A query summed below REPORT_MINIMUM searches is left out of all of them:
    typed once or twice, it may be someone's name."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days - 1)
    base = (
        QueryDay.objects.filter(day__gte=since, day__lte=today)
        .values("query")
        .annotate(
            total_searches=Sum("searches"), total_empty=Sum("empty"), total_clicks=Sum("clicks")
        )
        .filter(total_searches__gte=REPORT_MINIMUM)
    )
    top = base.order_by("-total_searches", "query")
    no_results = base.filter(total_empty__gt=0).order_by("-total_empty", "-total_searches", "query")
    no_clicks = base.filter(
        total_searches__gte=NO_CLICK_MINIMUM,
        total_clicks=0,
        total_empty__lt=F("total_searches"),
    ).order_by("-total_searches", "query")
    return {
        "top": [_row(r) for r in top[:REPORT_ROWS]],
        "no_results": [_row(r) for r in no_results[:REPORT_ROWS]],
        "no_clicks": [_row(r) for r in no_clicks[:REPORT_ROWS]],
    }


def _row(row: dict) -> dict:
    searches = row["total_searches"]
    return {
        "query": row["query"],
        "searches": searches,
        "empty": row["total_empty"],
        "clicks": row["total_clicks"],
        # Clicks per search: above 100% when people open several results of one search.
        "click_rate": round(100 * row["total_clicks"] / searches, 1) if searches else 0.0,
        "search_url": f"{reverse('search')}?{urlencode({'q': row['query']})}",
        "best_bet_url": f"{reverse(BEST_BETS_NAME + ':add')}?{urlencode({'q': row['query']})}",
    }


@never_cache
def report(request):
    if not is_platform_admin(request.user):
        raise Http404
    form = ReportPeriodForm(request.GET or None)
    days = form.days()
    tables = report_tables(days)
    if request.GET.get("unduh") == "csv":
        header = [
            gettext("Kata kunci"),
            gettext("Pencarian"),
            gettext("Tanpa hasil"),
            gettext("Klik"),
            gettext("Rasio klik (%)"),
        ]
        rows = [
            [r["query"], r["searches"], r["empty"], r["clicks"], r["click_rate"]]
            for r in tables["top"]
        ]
        name = f"pencarian-teratas-{days}-hari-{timezone.localdate():%Y-%m-%d}.csv"
        return download(csv_bytes(header, rows), name)
    return render(
        request,
        "search/admin/report.html",
        {
            "form": form,
            "days": days,
            "minimum": REPORT_MINIMUM,
            "no_click_minimum": NO_CLICK_MINIMUM,
            "csv_query": urlencode({"hari": days, "unduh": "csv"}),
            **tables,
        },
    )
