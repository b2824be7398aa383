"""Which OPDs a user works for, the one question every isolation rule asks."""

from django.db.models import Q

from .models import OPD


def user_opds(user):
    if not user.is_authenticated:
        return OPD.objects.none()
    return OPD.objects.filter(
        Q(operator_group__user=user) | Q(verifier_group__user=user)
    ).distinct()


def is_platform_admin(user) -> bool:
    """Kominfo: superusers and members of the Kominfo group see every OPD."""
    from .provisioning import KOMINFO_GROUP

    return user.is_superuser or user.groups.filter(name=KOMINFO_GROUP).exists()


def own_section_paths(user) -> list[str]:
    return list(
        user_opds(user).filter(home_page__isnull=False).values_list("home_page__path", flat=True)
    )


def is_operator(user, opd) -> bool:
    return bool(opd.operator_group_id) and user.groups.filter(pk=opd.operator_group_id).exists()


def is_verifier(user, opd) -> bool:
    return bool(opd.verifier_group_id) and user.groups.filter(pk=opd.verifier_group_id).exists()
