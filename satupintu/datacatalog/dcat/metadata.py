"""What DCAT and data.json both read out of a package dict, decided in one place so that the
two never disagree: the contact a harvester gets, the keywords, the period, the regions.

Published packages are frozen and may predate a rule (a dataset published without a tag or
contact, an OPD without an address), so every reader here falls back instead of emitting an
invalid value: a harvester rejects a whole catalog for one bad `mailto:`.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

# Project Open Data's own rule for vcard hasEmail (v1.1 vcard.json), applied to RDF too so
# that both outputs name the same contact.
EMAIL = re.compile(r"^[\w.-]+@[\w.-]+\.[\w.-]+$", re.ASCII)
MEDIA_TYPE = re.compile(r"^[-\w]+/[-\w]+(\.[-\w]+)*([+][-\w]+)?$", re.ASCII)

_NOT_IN_IRI = re.compile(r'[\s<>"{}|\\^`]')

EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"

# Satu Data `frekuensi` -> (EU frequency authority code, POD ISO 8601 repeating duration).
# Twice a year is ANNUAL_2 in the EU vocabulary (BIENNIAL means every two years).
FREQUENCIES = {
    "harian": ("DAILY", "R/P1D"),
    "mingguan": ("WEEKLY", "R/P1W"),
    "bulanan": ("MONTHLY", "R/P1M"),
    "triwulanan": ("QUARTERLY", "R/P3M"),
    "semesteran": ("ANNUAL_2", "R/P6M"),
    "tahunan": ("ANNUAL", "R/P1Y"),
    "tidak-tentu": ("IRREG", "irregular"),
}

# The catalog's language as ISO 639-1 (BCP 47, for data.json) and in the EU language
# authority (ISO 639-3 based, for DCAT-AP).
LANGUAGES = {"id": "IND", "en": "ENG"}


@dataclass(frozen=True)
class Regency:
    name: str
    email: str


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None


def regency(request=None) -> Regency:
    from satupintu.regency.models import RegencySettings

    config = RegencySettings.load(request_or_site=request)
    return Regency(name=config.name or "", email=config.email or "")


def language() -> tuple[str, str]:
    code = settings.LANGUAGE_CODE.split("-")[0]
    return code, LANGUAGES.get(code, code.upper())


def valid_email(value) -> str | None:
    value = (value or "").strip()
    return value if EMAIL.match(value) else None


def http_url(value) -> str | None:
    """An absolute http(s) address every serializer can write as an IRI, else nothing."""
    value = (value or "").strip()
    if not value.startswith(("http://", "https://")) or _NOT_IN_IRI.search(value):
        return None
    return value


def extras(package: dict) -> dict[str, str]:
    return {e["key"]: e["value"] for e in package.get("extras") or [] if e.get("value")}


def organization_title(package: dict) -> str:
    return (package.get("organization") or {}).get("title") or package.get("author") or ""


def contact(package: dict, regency: Regency) -> Contact:
    """The dataset's contact, else its OPD, else the regency: the first of them with an
    address a validator accepts, named as that one is."""
    organization = organization_title(package)
    candidates = [
        (package.get("maintainer"), package.get("maintainer_email")),
        (package.get("author") or organization, package.get("author_email")),
        (regency.name, regency.email),
    ]
    for name, email in candidates:
        if valid_email(email):
            return Contact(name or organization or regency.name, valid_email(email))
    return Contact(package.get("maintainer") or organization or regency.name, None)


def keywords(package: dict) -> list[str]:
    """Tags; a package frozen without any falls back to its topics, then its OPD, because
    data.json requires at least one keyword."""
    found = [(t.get("name") or "").strip() for t in package.get("tags") or []]
    if not any(found):
        found = [
            (g.get("title") or g.get("name") or "").strip() for g in package.get("groups") or []
        ]
    if not any(found):
        found = [organization_title(package)]
    return list(dict.fromkeys(k for k in found if k))


def period(value: str) -> tuple[datetime.date | None, datetime.date | None]:
    """`cakupan_waktu` is "YYYY-MM-DD/YYYY-MM-DD", the end may be empty (still running)."""
    start, _, end = (value or "").partition("/")
    return _date(start), _date(end)


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def region_codes(package: dict) -> list[str]:
    codes = extras(package).get("kode_wilayah", "")
    return [c.strip() for c in codes.split(",") if c.strip()]


def region_labels(packages: list[dict]) -> dict[str, str]:
    """Names for every region code on a page, in one query."""
    from satupintu.regency.models import Region

    codes = {code for package in packages for code in region_codes(package)}
    if not codes:
        return {}
    kinds = dict(Region.Kind.choices)
    rows = Region.objects.filter(kemendagri_code__in=codes).values_list(
        "kemendagri_code", "kind", "name"
    )
    with translation.override(settings.LANGUAGE_CODE):
        return {code: _label(str(kinds.get(kind, "")), name) for code, kind, name in rows}


def _label(kind: str, name: str) -> str:
    """ "Kecamatan Sukorame", but "Kabupaten Lamongan" (a regency is named with its kind)."""
    if not kind or name.lower().startswith(kind.lower()):
        return name
    return f"{kind} {name}"


def utc(value: str | None) -> str | None:
    """Package times are naive UTC (CKAN's habit); linked data says so explicitly. A value
    that is not a time is left out rather than written as an invalid xsd:dateTime."""
    try:
        moment = datetime.datetime.fromisoformat(value or "")
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def media_type(resource: dict) -> str | None:
    value = (resource.get("mimetype") or "").strip()
    return value if MEDIA_TYPE.match(value) else None
