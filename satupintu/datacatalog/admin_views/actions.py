"""The workflow steps, each a POST from the dataset page: submit (the OPD's verifikator),
verify, return with a note, withdraw with a note (Kominfo). The workflow function checks the
role and the state inside its transaction; when the dataset has moved on meanwhile the step
is refused with a message and nothing changes."""

from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .. import workflow
from .common import dataset_for, run_step

NOTE_MAX = 4000


def _back(dataset):
    return redirect("datacatalog_admin_dataset", dataset.pk)


def _posted_dataset(request, dataset_id):
    """The dataset (404 for another OPD's, whatever the method), or a 405 answer."""
    dataset = dataset_for(request.user, dataset_id)
    if request.method != "POST":
        return dataset, HttpResponseNotAllowed(["POST"])
    return dataset, None


def submit(request, dataset_id):
    dataset, refused = _posted_dataset(request, dataset_id)
    if refused:
        return refused
    if run_step(request, lambda: workflow.submit(request.user, dataset)):
        messages.success(request, _("Dataset diajukan ke Walidata untuk diverifikasi."))
    return _back(dataset)


def verify(request, dataset_id):
    dataset, refused = _posted_dataset(request, dataset_id)
    if refused:
        return refused
    if run_step(request, lambda: workflow.verify(request.user, dataset)):
        messages.success(request, _("Dataset diverifikasi dan terbit."))
    return _back(dataset)


def _with_note(request, dataset_id, step, done_message):
    """The step checks the role first, then that the note is not empty."""
    dataset, refused = _posted_dataset(request, dataset_id)
    if refused:
        return refused
    note = request.POST.get("note", "")[:NOTE_MAX]
    if run_step(request, lambda: step(request.user, dataset, note)):
        messages.success(request, done_message)
    return _back(dataset)


def send_back(request, dataset_id):
    return _with_note(
        request, dataset_id, workflow.send_back, _("Dataset dikembalikan ke OPD dengan catatan.")
    )


def withdraw(request, dataset_id):
    return _with_note(request, dataset_id, workflow.withdraw, _("Dataset ditarik dari publik."))
