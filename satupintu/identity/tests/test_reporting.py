"""A crash while a NIK is in hand must not put it in the error report."""

import sys

import pytest
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

# Built at run time, so the source lines the report quotes do not hold it.
NIK = "".join(["3524", "0150", "0890", "0003"])


def _crash_with_a_nik_in_hand(nik):
    digits = nik.replace(" ", "")
    details = {"looked_up": digits}  # noqa: F841 (a local the report would show)
    raise RuntimeError("registry exploded")


@pytest.mark.parametrize("debug", [False, True])
def test_the_error_report_masks_the_nik(settings, debug):
    settings.DEBUG = debug
    request = RequestFactory().post("/akun/daftar/identitas/", {"nik": NIK, "other": "x"})
    try:
        _crash_with_a_nik_in_hand(NIK)
    except RuntimeError:
        reporter = ExceptionReporter(request, *sys.exc_info())
    text = reporter.get_traceback_text()
    html = reporter.get_traceback_html()
    assert "registry exploded" in text  # the report is still useful
    assert NIK not in text and NIK not in html
    assert "********" in text
