"""Kominfo's side of Pelaporan in Wagtail's admin: report types (with the form builder) and
the regency's own leave days. OPD roles hold no permission on either, and every URL of both
viewsets is Kominfo-only as well."""

from django import forms
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from satupintu.opd.admin_guards import KominfoOnlyViewSetMixin
from satupintu.opd.models import OPD

from .models import LeaveDay, ReportType


class ReportTypeForm(WagtailAdminModelForm):
    opd_types = forms.MultipleChoiceField(
        label=_("Wajib untuk jenis OPD"),
        choices=OPD.Type.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("opd_types") and not cleaned.get("opds"):
            self.add_error(
                "opd_types", _("Pilih jenis OPD atau OPD tertentu yang wajib mengirim laporan ini.")
            )
        return cleaned


PANELS = [
    MultiFieldPanel(
        [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("kind")],
        heading=_("Identitas"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("period"),
            FieldPanel("first_period_start"),
            FieldPanel("one_off_end"),
            FieldPanel("due_working_days"),
            FieldPanel("active"),
        ],
        heading=_("Periode dan tenggat"),
    ),
    MultiFieldPanel([FieldPanel("opd_types"), FieldPanel("opds")], heading=_("Wajib untuk")),
    FieldPanel("fields"),
]


class PublishFormMixin:
    """Every save that changes the form freezes it as a new version; submissions keep theirs."""

    def save_instance(self):
        instance = super().save_instance()
        instance.publish_form(user=self.request.user)
        return instance


class ReportTypeCreateView(PublishFormMixin, CreateView):
    pass


class ReportTypeEditView(PublishFormMixin, EditView):
    pass


class ReportTypeDeleteView(DeleteView):
    """A report type that has received reports is kept (they are the OPDs' record); it can be
    switched off instead."""

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        count = self.object.submissions.count()
        if count:
            messages.error(
                request,
                gettext(
                    "Jenis laporan ini sudah menerima %(n)s laporan dan tidak dapat dihapus. "
                    "Hapus centang “aktif” untuk menghentikannya."
                )
                % {"n": count},
            )
            return redirect(self.edit_url_name, self.object.pk)
        return super().post(request, *args, **kwargs)


class KominfoViewSet(KominfoOnlyViewSetMixin, ModelViewSet):
    search_backend_name = None
    copy_view_enabled = False
    add_to_admin_menu = False


class ReportTypeViewSet(KominfoViewSet):
    model = ReportType
    icon = "form"
    menu_label = _("Jenis laporan")
    list_display = ["name", "period", "due_working_days", "active"]
    list_filter = ["period", "kind", "active"]
    search_fields = ["name", "description"]
    add_view_class = ReportTypeCreateView
    edit_view_class = ReportTypeEditView
    delete_view_class = ReportTypeDeleteView
    edit_handler = ObjectList(PANELS, base_form_class=ReportTypeForm)


class LeaveDayViewSet(KominfoViewSet):
    model = LeaveDay
    icon = "date"
    menu_label = _("Hari libur daerah")
    list_display = ["date", "name"]
    form_fields = ["date", "name"]
    search_fields = ["name"]
