"""Admin URLs of Satu Data (mounted under /admin/ by wagtail_hooks.py). Resources and
versions are addressed by their own ids; each view checks that their dataset's OPD is one
the user works for (404 otherwise)."""

from django.urls import path

from .admin_views import actions, detail, edit, lists, resources, tokens

urlpatterns = [
    path("satudata/dataset/", lists.index, name="datacatalog_admin_index"),
    path("satudata/dataset/baru/", edit.create, name="datacatalog_admin_create"),
    path("satudata/dataset/<uuid:dataset_id>/", detail.detail, name="datacatalog_admin_dataset"),
    path("satudata/dataset/<uuid:dataset_id>/ubah/", edit.edit, name="datacatalog_admin_edit"),
    path("satudata/dataset/<uuid:dataset_id>/hapus/", edit.delete, name="datacatalog_admin_delete"),
    path(
        "satudata/dataset/<uuid:dataset_id>/ajukan/",
        actions.submit,
        name="datacatalog_admin_submit",
    ),
    path(
        "satudata/dataset/<uuid:dataset_id>/verifikasi/",
        actions.verify,
        name="datacatalog_admin_verify",
    ),
    path(
        "satudata/dataset/<uuid:dataset_id>/kembalikan/",
        actions.send_back,
        name="datacatalog_admin_send_back",
    ),
    path(
        "satudata/dataset/<uuid:dataset_id>/tarik/",
        actions.withdraw,
        name="datacatalog_admin_withdraw",
    ),
    path(
        "satudata/dataset/<uuid:dataset_id>/sumber/baru/",
        resources.add_resource,
        name="datacatalog_admin_add_resource",
    ),
    path(
        "satudata/sumber/<uuid:resource_id>/ubah/",
        resources.edit_resource,
        name="datacatalog_admin_edit_resource",
    ),
    path(
        "satudata/sumber/<uuid:resource_id>/hapus/",
        resources.delete_resource,
        name="datacatalog_admin_delete_resource",
    ),
    path(
        "satudata/sumber/<uuid:resource_id>/unggah/",
        resources.add_version,
        name="datacatalog_admin_add_version",
    ),
    path(
        "satudata/versi/<uuid:version_id>/kolom/",
        resources.columns,
        name="datacatalog_admin_columns",
    ),
    path(
        "satudata/versi/<uuid:version_id>/unduh/",
        resources.download,
        name="datacatalog_admin_download",
    ),
    path("satudata/verifikasi/", lists.review_queue, name="datacatalog_admin_review"),
    path("satudata/token/", tokens.index, name="datacatalog_admin_tokens"),
    path("satudata/token/<int:token_id>/cabut/", tokens.revoke, name="datacatalog_admin_revoke"),
]
