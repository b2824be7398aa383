"""The published catalog as linked data: DCAT-AP (Turtle, RDF/XML, JSON-LD) with Hydra paging,
and Project Open Data v1.1 (`/data.json`).

Both are read from the frozen package dicts of `PublishedDataset.objects.public()` only, so
what a DCAT harvester sees is exactly what the CKAN API and the public pages show. The DCAT
harvester deletes what disappears from the catalog, which is why paging is by a key that an
edit never moves (see views.py).
"""
