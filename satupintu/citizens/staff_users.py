"""Wagtail's "Users" admin is for staff (Kominfo, OPD operators and verifikators, counter
officers). Citizens' accounts are Django users too, but they are managed only through their
own flows (Akun saya, the Disdukcapil counter): listing up to a regency's population there
would show names and e-mail addresses to every user administrator, and editing one there
could give a citizen staff rights or bypass the account-deletion flow. So citizens are left
out of the listing and search, and every URL that names one answers 404.
"""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_list_or_404
from wagtail.users.views import users
from wagtail.users.views.bulk_actions import (
    AssignRoleBulkAction,
    DeleteBulkAction,
    SetActiveStateBulkAction,
)


def is_citizen_user(pk) -> bool:
    from .models import Citizen

    return str(pk).isdigit() and Citizen.objects.filter(user_id=pk).exists()


class IndexView(users.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(citizen__isnull=True)


def staff_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and is_citizen_user(pk):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class UserViewSet(users.UserViewSet):
    index_view_class = IndexView

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = staff_only(pattern.callback)
        return patterns


class _StaffOnly:
    """Bulk actions (delete, activate, assign role) only ever reach staff, including when
    "select all" sends `id=all`."""

    @classmethod
    def get_queryset(cls, model, object_ids):
        return get_list_or_404(
            model._default_manager.filter(citizen__isnull=True), pk__in=object_ids
        )


class StaffDeleteBulkAction(_StaffOnly, DeleteBulkAction):
    pass


class StaffAssignRoleBulkAction(_StaffOnly, AssignRoleBulkAction):
    pass


class StaffSetActiveStateBulkAction(_StaffOnly, SetActiveStateBulkAction):
    pass


BULK_ACTIONS = [StaffDeleteBulkAction, StaffAssignRoleBulkAction, StaffSetActiveStateBulkAction]
