"""Kominfo manages report types and leave days; OPD roles need no model permission (the
reporting views check the OPD role themselves). Granted after `migrate` and whenever an OPD
is saved (the Kominfo group may be created after the first migration)."""

from django.contrib.auth.models import Group, Permission

KOMINFO = [
    f"{action}_{model}"
    for model in ("reporttype", "leaveday")
    for action in ("add", "change", "delete", "view")
]


def grant_kominfo(**kwargs) -> None:
    from satupintu.opd.provisioning import KOMINFO_GROUP

    group = Group.objects.filter(name=KOMINFO_GROUP).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="reporting", codename__in=KOMINFO)
        )


def on_opd_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        grant_kominfo()
