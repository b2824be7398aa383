"""DCAT-AP graphs of published packages, shaped as ckanext-dcat shapes CKAN's own (literal
media types and formats, Hydra page links as literals), so that a central CKAN harvesting us
with ckanext-dcat reads back the package it would have read from another CKAN.

URIs follow ckanext-dcat's conventions under SATUPINTU_BASE_URL: a dataset is
`/dataset/<id>`, a distribution `/dataset/<id>/resource/<resource id>`, a publisher
`/organization/<OPD uuid>`, a theme `/group/<name>`. They identify; they are stable because
the ids are.
"""

from django.conf import settings
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from . import metadata

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ACCESS_RIGHTS = "http://publications.europa.eu/resource/authority/access-right/"

PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "spdx": SPDX,
    "hydra": HYDRA,
    "skos": SKOS,
    "owl": OWL,
    "rdfs": RDFS,
    "xsd": XSD,
}
# Inline, so that a JSON-LD reader never has to fetch a context from the network.
JSONLD_CONTEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    # Plain RDF/XML: the same graph as ckanext-dcat's "pretty-xml", written three times faster.
    "rdf": ("xml", "application/rdf+xml"),
    "xml": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}


def base() -> str:
    return settings.SATUPINTU_BASE_URL


def dataset_uri(package_id: str) -> URIRef:
    return URIRef(f"{base()}/dataset/{package_id}")


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def serialize(graph: Graph, fmt: str) -> bytes:
    rdflib_format, _content_type = FORMATS[fmt]
    if rdflib_format == "json-ld":
        return graph.serialize(
            format="json-ld", context=JSONLD_CONTEXT, auto_compact=True, encoding="utf-8"
        )
    return graph.serialize(format=rdflib_format, encoding="utf-8")


def _time(value) -> Literal | None:
    value = metadata.utc(value)
    return Literal(value, datatype=XSD.dateTime) if value else None


def _uri(value) -> URIRef | None:
    url = metadata.http_url(value)
    return URIRef(url) if url else None


def _mailto(value) -> URIRef | None:
    email = metadata.valid_email(value)
    return URIRef(f"mailto:{email}") if email else None


def _add(graph, subject, predicate, value):
    """Add a node, or nothing when there is no value."""
    if value is not None and value != "":
        graph.add((subject, predicate, value))


def _text(graph, subject, predicate, value, datatype=None):
    """Add a literal, or nothing when the value is empty."""
    if value is not None and value != "":
        graph.add((subject, predicate, Literal(value, datatype=datatype)))


def add_dataset(graph: Graph, package: dict, *, regency, labels: dict[str, str]) -> URIRef:
    """One package as a dcat:Dataset; `labels` names its region codes."""
    ref = dataset_uri(package["id"])
    extras = metadata.extras(package)
    graph.add((ref, RDF.type, DCAT.Dataset))
    graph.add((ref, DCTERMS.identifier, Literal(package["id"])))
    graph.add((ref, DCTERMS.title, Literal(package["title"])))
    _text(graph, ref, DCTERMS.description, package.get("notes"))
    for tag in package.get("tags") or []:
        if tag.get("name"):
            graph.add((ref, DCAT.keyword, Literal(tag["name"])))
    for group in package.get("groups") or []:
        theme = URIRef(f"{base()}/group/{group['name']}")
        graph.add((ref, DCAT.theme, theme))
        graph.add((theme, RDF.type, SKOS.Concept))
        graph.add((theme, SKOS.prefLabel, Literal(group.get("title") or group["name"])))
    _add(graph, ref, DCTERMS.issued, _time(package.get("metadata_created")))
    _add(graph, ref, DCTERMS.modified, _time(package.get("metadata_modified")))
    _text(graph, ref, OWL.versionInfo, package.get("version"))

    frequency = metadata.FREQUENCIES.get(extras.get("frekuensi", ""))
    if frequency:
        node = URIRef(metadata.EU_FREQUENCY + frequency[0])
        graph.add((ref, DCTERMS.accrualPeriodicity, node))
        graph.add((node, RDF.type, DCTERMS.Frequency))

    for code in metadata.region_codes(package):
        place = BNode()
        graph.add((ref, DCTERMS.spatial, place))
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add((place, SKOS.notation, Literal(code)))
        _text(graph, place, SKOS.prefLabel, labels.get(code))

    start, end = metadata.period(extras.get("cakupan_waktu", ""))
    if start or end:
        span = BNode()
        graph.add((ref, DCTERMS.temporal, span))
        graph.add((span, RDF.type, DCTERMS.PeriodOfTime))
        _text(graph, span, DCAT.startDate, start, XSD.date)
        _text(graph, span, DCAT.endDate, end, XSD.date)

    organization = package.get("organization") or {}
    if organization.get("id"):
        publisher = URIRef(f"{base()}/organization/{organization['id']}")
        graph.add((ref, DCTERMS.publisher, publisher))
        graph.add((publisher, RDF.type, FOAF.Agent))
        graph.add((publisher, RDF.type, FOAF.Organization))
        graph.add((publisher, FOAF.name, Literal(metadata.organization_title(package))))
        _add(graph, publisher, FOAF.mbox, _mailto(package.get("author_email")))

    contact = metadata.contact(package, regency)
    if contact.name or contact.email:
        point = BNode()
        graph.add((ref, DCAT.contactPoint, point))
        graph.add((point, RDF.type, VCARD.Kind))
        _text(graph, point, VCARD.fn, contact.name)
        _add(graph, point, VCARD.hasEmail, _mailto(contact.email))

    license_ = _uri(package.get("license_url"))
    if license_:
        graph.add((ref, DCTERMS.license, license_))
        graph.add((license_, RDF.type, DCTERMS.LicenseDocument))
    landing = _uri(package.get("url"))
    if landing:
        graph.add((ref, DCAT.landingPage, landing))
        graph.add((landing, RDF.type, FOAF.Document))
    _code, eu_language = metadata.language()
    graph.add((ref, DCTERMS.language, URIRef(metadata.EU_LANGUAGE + eu_language)))
    graph.add((ref, DCTERMS.accessRights, URIRef(ACCESS_RIGHTS + "PUBLIC")))
    if extras.get("sumber"):
        statement = BNode()
        graph.add((ref, DCTERMS.provenance, statement))
        graph.add((statement, RDF.type, DCTERMS.ProvenanceStatement))
        graph.add((statement, RDFS.label, Literal(extras["sumber"])))
    _add(graph, ref, DCTERMS.source, _uri(extras.get("sumber_url")))

    for resource in package.get("resources") or []:
        graph.add((ref, DCAT.distribution, _add_distribution(graph, package, resource, license_)))
    return ref


def _add_distribution(graph, package, resource, license_) -> URIRef:
    ref = URIRef(f"{base()}/dataset/{package['id']}/resource/{resource['id']}")
    graph.add((ref, RDF.type, DCAT.Distribution))
    graph.add((ref, DCTERMS.title, Literal(resource.get("name") or package["title"])))
    _text(graph, ref, DCTERMS.description, resource.get("description"))
    url = _uri(resource.get("url"))
    if url:
        graph.add((ref, DCAT.accessURL, url))
        # A file kept here (it has a size or a checksum) downloads directly; a link may be a
        # page about the data, so it is only an access URL.
        if resource.get("size") is not None or resource.get("hash"):
            graph.add((ref, DCAT.downloadURL, url))
    media_type = metadata.media_type(resource)
    _text(graph, ref, DCAT.mediaType, media_type)
    _text(graph, ref, DCTERMS["format"], resource.get("format"))
    if isinstance(resource.get("size"), int):
        graph.add((ref, DCAT.byteSize, Literal(resource["size"], datatype=XSD.nonNegativeInteger)))
    algorithm, _, digest = (resource.get("hash") or "").partition(":")
    if algorithm == "sha256" and digest:
        checksum = BNode()
        graph.add((ref, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
    _add(graph, ref, DCTERMS.issued, _time(resource.get("created")))
    _add(graph, ref, DCTERMS.modified, _time(resource.get("last_modified")))
    _add(graph, ref, DCTERMS.license, license_)
    return ref


def add_catalog(graph: Graph, *, title: str, description: str, regency, modified, datasets):
    ref = URIRef(base())
    graph.add((ref, RDF.type, DCAT.Catalog))
    graph.add((ref, DCTERMS.title, Literal(title)))
    graph.add((ref, DCTERMS.description, Literal(description)))
    graph.add((ref, FOAF.homepage, URIRef(base())))
    _code, eu_language = metadata.language()
    graph.add((ref, DCTERMS.language, URIRef(metadata.EU_LANGUAGE + eu_language)))
    _add(graph, ref, DCTERMS.modified, _time(modified))
    if regency.name:
        publisher = BNode()
        graph.add((ref, DCTERMS.publisher, publisher))
        graph.add((publisher, RDF.type, FOAF.Agent))
        graph.add((publisher, FOAF.name, Literal(regency.name)))
        _add(graph, publisher, FOAF.mbox, _mailto(regency.email))
    for dataset in datasets:
        graph.add((ref, DCAT.dataset, dataset))
    return ref


def add_paging(graph: Graph, *, current: str, links: dict[str, str], total: int, per_page: int):
    """Hydra paging as ckanext-dcat writes it (and its harvester reads it): page addresses as
    literals, under both the older names (nextPage…) and the current ones (next…)."""
    ref = URIRef(current)
    graph.add((ref, RDF.type, HYDRA.PagedCollection))
    names = {
        "first": (HYDRA.firstPage, HYDRA.first),
        "last": (HYDRA.lastPage, HYDRA.last),
        "next": (HYDRA.nextPage, HYDRA.next),
        "previous": (HYDRA.previousPage, HYDRA.previous),
    }
    for key, predicates in names.items():
        if links.get(key):
            for predicate in predicates:
                graph.add((ref, predicate, Literal(links[key])))
    graph.add((ref, HYDRA.totalItems, Literal(total)))
    graph.add((ref, HYDRA.itemsPerPage, Literal(per_page)))
    return ref
