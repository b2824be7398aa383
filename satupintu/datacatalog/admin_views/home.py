"""The Satu Data notice on the admin home page: Kominfo sees how many datasets wait for its
verification; an OPD's people see their datasets the Walidata returned or withdrew, with the
note saying why."""

from wagtail.admin.ui.components import Component

from satupintu.opd.access import is_platform_admin, user_opds

from ..models import Dataset

LISTED = 8


class SatuDataPanel(Component):
    name = "datacatalog_notice"
    order = 60
    template_name = "datacatalog/admin/home_panel.html"

    def __init__(self, request):
        self.request = request
        self._context = None

    def context(self):
        if self._context is None:
            user = self.request.user
            waiting = (
                Dataset.objects.filter(status=Dataset.Status.SUBMITTED).count()
                if is_platform_admin(user)
                else 0
            )
            returned = list(
                Dataset.objects.filter(
                    opd__in=user_opds(user),
                    status__in=[Dataset.Status.RETURNED, Dataset.Status.WITHDRAWN],
                )
                .select_related("opd")
                .order_by("-updated_at")[: LISTED + 1]
            )
            self._context = {
                "waiting": waiting,
                "returned": returned[:LISTED],
                "more_returned": len(returned) > LISTED,
            }
        return self._context

    def is_shown(self):
        context = self.context()
        return bool(context["waiting"] or context["returned"])

    def get_context_data(self, parent_context):
        return self.context()
