"""The in-app reminder: on the admin home page, an operator or verifikator sees what their OPD
must send in the next days, what is overdue, and (verifikator) what waits for a decision."""

import datetime

from django.utils import timezone
from wagtail.admin.ui.components import Component

from satupintu.opd.access import user_opds

from . import obligations
from .workflow import is_verifier

SOON_DAYS = 7


class DueReportsPanel(Component):
    name = "reporting_due"
    order = 50
    template_name = "reporting/admin/home_panel.html"

    def __init__(self, request):
        self.request = request
        self._rows = None

    def rows(self):
        if self._rows is None:
            today = timezone.localdate()
            opds = user_opds(self.request.user)
            items = obligations.compute(opds=opds, today=today) if opds.exists() else []
            soon = today + datetime.timedelta(days=SOON_DAYS)
            verifier = {o.pk for o in opds if is_verifier(self.request.user, o)}
            self._rows = {
                "overdue": [o for o in items if o.overdue],
                "soon": [
                    o
                    for o in items
                    if not o.overdue and o.state not in obligations.DONE and o.due_date <= soon
                ],
                "review": [o for o in items if o.state == "dikirim" and o.opd.pk in verifier],
            }
        return self._rows

    def is_shown(self):
        rows = self.rows()
        return any(rows.values())

    def get_context_data(self, parent_context):
        return {**self.rows(), "today": timezone.localdate()}
