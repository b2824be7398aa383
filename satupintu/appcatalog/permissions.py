"""Which groups may do what with the catalogue, granted without touching OPD provisioning.

Every OPD's Operator and Verifikator may add and edit apps (the admin limits them to their own
OPD's); only the Verifikator may delete one. Kominfo manages everything, categories included.
Granted after `migrate` for the groups that exist, and whenever an OPD is saved with its
groups (provisioning saves the OPD last), so a new OPD gets the rights in the same step.
"""

from django.contrib.auth.models import Group, Permission

OPERATOR = ["add_app", "change_app", "view_app"]
VERIFIER = ["add_app", "change_app", "delete_app", "view_app"]
KOMINFO = [
    *VERIFIER,
    "add_appcategory",
    "change_appcategory",
    "delete_appcategory",
    "view_appcategory",
]


def _permissions(codenames):
    return list(
        Permission.objects.filter(content_type__app_label="appcatalog", codename__in=codenames)
    )


def grant_opd(opd) -> None:
    if opd.operator_group_id:
        opd.operator_group.permissions.add(*_permissions(OPERATOR))
    if opd.verifier_group_id:
        opd.verifier_group.permissions.add(*_permissions(VERIFIER))


def grant_kominfo() -> None:
    from satupintu.opd.provisioning import KOMINFO_GROUP

    group = Group.objects.filter(name=KOMINFO_GROUP).first()
    if group is not None:
        group.permissions.add(*_permissions(KOMINFO))


def grant_all(**kwargs) -> None:
    from satupintu.opd.models import OPD

    if not Permission.objects.filter(content_type__app_label="appcatalog").exists():
        return
    grant_kominfo()
    for opd in OPD.objects.select_related("operator_group", "verifier_group"):
        grant_opd(opd)


def on_opd_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    grant_opd(instance)
    grant_kominfo()
