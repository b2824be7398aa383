"""Who sees what through the API: the public sees the published layer only; a token's user
also sees the unpublished and private datasets of their own OPDs (Kominfo: every OPD), and
another OPD's unpublished dataset is answered exactly like a missing one.

Rule for a dataset with a published row: its frozen package is what everyone allowed to see it
gets (a private one only by its OPD). A dataset without one (draft, submitted, returned,
withdrawn) is shown live, as its OPD is preparing it, and only to its OPD.
"""

import json
import uuid
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from satupintu.opd.access import is_platform_admin, user_opds

from .. import publishing
from ..models import Dataset, PublishedDataset, Resource, ResourceVersion
from .errors import NotFound
from .raw import RawJSON


class Caller:
    """The API caller: anonymous, or a token's user with the OPDs it may read unpublished."""

    def __init__(self, user=None):
        self.user = user
        self._opd_ids = None

    @property
    def everything(self) -> bool:
        return self.user is not None and is_platform_admin(self.user)

    def opd_ids(self) -> set:
        if self._opd_ids is None:
            self._opd_ids = (
                set(user_opds(self.user).values_list("pk", flat=True)) if self.user else set()
            )
        return self._opd_ids

    def may_read(self, opd_id) -> bool:
        if self.user is None:
            return False
        return self.everything or opd_id in self.opd_ids()

    def private_filter(self) -> Q:
        """The private published datasets this caller may list (include_private)."""
        if self.user is None:
            return Q(pk__isnull=True)
        if self.everything:
            return Q(private=True)
        return Q(private=True, opd_id__in=self.opd_ids())


def as_uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _by_name_or_id(ident) -> Q:
    key = as_uuid(ident)
    return Q(name=str(ident)) | Q(pk=key) if key else Q(name=str(ident))


def package(caller: Caller, ident):
    """The package dict for package_show: stored text (RawJSON) or a live dict."""
    if not ident:
        raise NotFound(_("Dataset tidak ditemukan."))
    text = (
        PublishedDataset.objects.public()
        .filter(_by_name_or_id(ident))
        .values_list("package", flat=True)
        .first()
    )
    if text is not None:
        return RawJSON(text)
    if caller.user is not None:
        dataset = Dataset.objects.select_related("opd").filter(_by_name_or_id(ident)).first()
        if dataset is not None and caller.may_read(dataset.opd_id):
            frozen = (
                PublishedDataset.objects.filter(pk=dataset.pk)
                .values_list("package", flat=True)
                .first()
            )
            if frozen is not None:
                return RawJSON(frozen)
            return publishing.package_dict(dataset, published=False)
    raise NotFound(_("Dataset tidak ditemukan."))


@dataclass
class Found:
    resource: dict  # as in the package the caller may see
    version: ResourceVersion | None  # the version behind it (the table datastore reads)


def resource(caller: Caller, ident) -> Found:
    key = as_uuid(ident)
    row = (
        Resource.objects.select_related("dataset__opd", "public_version", "current")
        .filter(pk=key)
        .first()
        if key
        else None
    )
    if row is None:
        raise NotFound(_("Sumber data tidak ditemukan."))
    published = PublishedDataset.objects.filter(pk=row.dataset_id).values_list("package", "private")
    published = published.first()
    allowed = caller.may_read(row.dataset.opd_id)
    if published is not None and (not published[1] or allowed):
        for item in json.loads(published[0])["resources"]:
            if item["id"] == str(row.id):
                return Found(item, row.public_version)
    if allowed:
        return Found(publishing.resource_dict(row, row.current, row.dataset), row.current)
    raise NotFound(_("Sumber data tidak ditemukan."))


def table(caller: Caller, ident) -> ResourceVersion:
    """The loaded version datastore_search and dumps read for this resource id."""
    found = resource(caller, ident)
    version = found.version
    if (
        version is None
        or not found.resource.get("datastore_active")
        or version.state != ResourceVersion.State.LOADED
    ):
        raise NotFound(_("Sumber data “%(id)s” tidak ada di datastore.") % {"id": ident})
    return version
