"""The licences a dataset may carry, with the ids CKAN portals already know.

Central portals match `license_id` against their own list (CKAN's default one), so the ids
are CKAN's; Satu Data Indonesia publishes under CC BY 4.0 unless a law says otherwise.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class License:
    id: str
    title: str
    url: str
    open: bool


LICENSES = [
    License(
        "cc-by",
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        True,
    ),
    License(
        "cc-by-sa",
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        True,
    ),
    License(
        "cc-zero",
        "Creative Commons CCZero",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        True,
    ),
    License(
        "odc-odbl",
        "Open Data Commons Open Database License (ODbL)",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        True,
    ),
    License("other-open", "Other (Open)", "", True),
    License("notspecified", "License not specified", "", False),
]
BY_ID = {license.id: license for license in LICENSES}
DEFAULT = "cc-by"
CHOICES = [(license.id, license.title) for license in LICENSES]
HELP = _(
    "Lisensi terbuka yang dikenal portal pusat; Satu Data memakai CC BY 4.0 bila tidak ada "
    "aturan lain."
)


def get(license_id: str) -> License:
    return BY_ID.get(license_id) or License(license_id, license_id, "", False)
