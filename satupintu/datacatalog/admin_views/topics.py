""" "Topik data": the themes (CKAN groups) the Walidata manages. Kominfo only: every URL of the
viewset answers 404 to the OPDs."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from satupintu.opd.admin_guards import KominfoOnlyViewSetMixin

from ..models import Topic


class TopicViewSet(KominfoOnlyViewSetMixin, ModelViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topik data")
    add_to_admin_menu = False
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["title", "name"]
    search_fields = ["title", "name", "description"]
    form_fields = ["title", "name", "description"]
