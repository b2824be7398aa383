"""Which OPDs a user works for, the one question every isolation rule asks."""

from django.db.models import Q

from .models import OPD


def user_opds(user):
    if not user.is_authenticated:
        return OPD.objects.none()
    return OPD.objects.filter(
        Q(operator_group__user=user) | Q(verifier_group__user=user)
    ).distinct()


def _groups(user) -> dict[int, str]:
    """The user's groups (id -> name), read once per user object.

    The user object lives for one request (the auth middleware loads it afresh), and one admin
    page asks these questions once per menu item and panel: about twenty queries otherwise.
    """
    groups = getattr(user, "_satupintu_groups", None)
    if groups is None:
        groups = dict(user.groups.values_list("pk", "name")) if user.is_authenticated else {}
        user._satupintu_groups = groups
    return groups


def is_platform_admin(user) -> bool:
    """Kominfo: superusers and members of the Kominfo group see every OPD."""
    from .provisioning import KOMINFO_GROUP

    return user.is_superuser or KOMINFO_GROUP in _groups(user).values()


def works_for_an_opd(user) -> bool:
    """Operator or verifier of at least one OPD (asked by the admin menus)."""
    answer = getattr(user, "_satupintu_works_for_an_opd", None)
    if answer is None:
        ids = list(_groups(user))
        answer = bool(ids) and OPD.objects.filter(
            Q(operator_group_id__in=ids) | Q(verifier_group_id__in=ids)
        ).exists()
        user._satupintu_works_for_an_opd = answer
    return answer


def own_section_paths(user) -> list[str]:
    return list(
        user_opds(user).filter(home_page__isnull=False).values_list("home_page__path", flat=True)
    )


def is_operator(user, opd) -> bool:
    return bool(opd.operator_group_id) and opd.operator_group_id in _groups(user)


def is_verifier(user, opd) -> bool:
    return bool(opd.verifier_group_id) and opd.verifier_group_id in _groups(user)
