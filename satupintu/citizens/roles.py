"""The staff role of this app: the counter officer (Disdukcapil or Mal Pelayanan Publik)."""

from django.contrib.auth.models import Group, Permission

COUNTER_GROUP = "Disdukcapil · Petugas loket"


def ensure_counter_group() -> Group:
    """Admin access (for the counter page) and the one permission it needs, nothing else:
    an officer sees no OPD's pages, images or documents."""
    group, _created = Group.objects.get_or_create(name=COUNTER_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="citizens", codename="confirm_identity"),
    )
    return group
