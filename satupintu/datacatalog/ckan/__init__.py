"""The CKAN-compatible API of the data catalog: the Action API (`/api/3/action/<name>`), datastore
dumps and API tokens, read by central CKAN portals (ckanext-harvest), ckanapi and scripts.

Public calls read only the published layer (PublishedDataset), so what is unverified, private or
withdrawn can never reach a harvester; a token widens that to the caller's own OPDs and nothing
else. See /work/shared/reference/ckan-compat.md for what each client expects.
"""
