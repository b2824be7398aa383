"""Project Open Data v1.1 (`data.json`): the whole public catalog in one document, as the
harvesters that read it (ckanext-datajson, ckanext-dcat's JSON harvester) expect.

Every dataset carries the fields POD marks required, even when the frozen package lacks one
(see metadata.py for the fallbacks); a field that is only "required if applicable"
(temporal, spatial, license, distribution) is left out rather than filled with a guess.
"""

from . import metadata

CONFORMS_TO = "https://project-open-data.cio.gov/v1.1/schema"
CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
DESCRIBED_BY = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"


def catalog(packages: list[dict], *, catalog_id: str, regency, labels: dict[str, str]) -> dict:
    return {
        "@context": CONTEXT,
        "@id": catalog_id,
        "@type": "dcat:Catalog",
        "conformsTo": CONFORMS_TO,
        "describedBy": DESCRIBED_BY,
        "dataset": [dataset(p, regency=regency, labels=labels) for p in packages],
    }


def dataset(package: dict, *, regency, labels: dict[str, str]) -> dict:
    extras = metadata.extras(package)
    contact = metadata.contact(package, regency)
    contact_point = {"@type": "vcard:Contact", "fn": contact.name}
    if contact.email:
        contact_point["hasEmail"] = f"mailto:{contact.email}"
    name = metadata.organization_title(package) or regency.name
    publisher = {"@type": "org:Organization", "name": name}
    if regency.name and name != regency.name:
        publisher["subOrganizationOf"] = {"@type": "org:Organization", "name": regency.name}
    language, _eu = metadata.language()

    entry = {
        "@type": "dcat:Dataset",
        "identifier": package["id"],
        "title": package["title"],
        # POD requires a description; a package frozen without notes repeats its title.
        "description": (package.get("notes") or "").strip() or package["title"],
        "keyword": metadata.keywords(package),
        "modified": metadata.utc(package.get("metadata_modified")),
        "issued": metadata.utc(package.get("metadata_created")),
        "publisher": publisher,
        "contactPoint": contact_point,
        "accessLevel": "public",
        "language": [language],
    }
    if metadata.http_url(package.get("url")):
        entry["landingPage"] = metadata.http_url(package.get("url"))
    if metadata.http_url(package.get("license_url")):
        entry["license"] = metadata.http_url(package.get("license_url"))
    start, end = metadata.period(extras.get("cakupan_waktu", ""))
    if start and end:  # POD takes a closed interval only
        entry["temporal"] = f"{start.isoformat()}/{end.isoformat()}"
    places = [labels.get(code) or code for code in metadata.region_codes(package)]
    if places:
        entry["spatial"] = ", ".join(places)
    frequency = metadata.FREQUENCIES.get(extras.get("frekuensi", ""))
    if frequency:
        entry["accrualPeriodicity"] = frequency[1]
    themes = [g.get("title") or g.get("name") for g in package.get("groups") or []]
    themes = list(dict.fromkeys(t for t in themes if t))
    if themes:
        entry["theme"] = themes
    distributions = [d for d in map(distribution, package.get("resources") or []) if d]
    if distributions:
        entry["distribution"] = distributions
    return entry


def distribution(resource: dict) -> dict | None:
    url = metadata.http_url(resource.get("url"))
    if not url:
        return None
    entry = {"@type": "dcat:Distribution"}
    media_type = metadata.media_type(resource)
    kept_here = resource.get("size") is not None or bool(resource.get("hash"))
    # POD: a downloadURL needs its mediaType; without one the file is only an access URL.
    if kept_here and media_type:
        entry["downloadURL"] = url
    else:
        entry["accessURL"] = url
    if media_type:
        entry["mediaType"] = media_type
    if resource.get("format"):
        entry["format"] = resource["format"]
    if resource.get("name"):
        entry["title"] = resource["name"]
    if resource.get("description"):
        entry["description"] = resource["description"]
    return entry
