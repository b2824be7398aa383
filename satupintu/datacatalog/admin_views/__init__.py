"""Satu Data in Wagtail's admin, split by flow: the dataset list and the Walidata's queue
(lists), preparing a dataset (edit), its files (resources), the workflow steps (actions),
API tokens and topics. Every lookup goes through `common`, which answers 404 for another
OPD's objects."""
