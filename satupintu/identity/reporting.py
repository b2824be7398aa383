"""Error reports that never carry a NIK.

Django's error e-mails and debug pages list each stack frame's local variables and the POST
data. The citizen views mark their fields sensitive (`sensitive_post_parameters`), but a NIK can
also sit in a local variable (`digits`), a dict or a string several frames deep. This filter
replaces any value whose text holds sixteen digits in a row, wherever it is, so a crash during
sign-up cannot mail a NIK to the administrators.
"""

import re

from django.views.debug import SafeExceptionReporterFilter

# Also what the logs mask (satupintu/operations/logs.py).
NIK_RUN = re.compile(r"(?<!\d)\d{16}(?!\d)")


def holds_nik(value) -> bool:
    try:
        text = value if isinstance(value, str) else repr(value)
    except Exception:  # noqa: BLE001 (a broken __repr__ must not break the error report)
        return False
    return bool(NIK_RUN.search(text))


class NIKSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if not params:
            return params
        params = params.copy()
        for name, values in params.lists():
            if any(holds_nik(v) for v in values):
                params[name] = self.cleansed_substitute
        return params

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self.cleansed_substitute if holds_nik(value) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]
