"""Admin URLs of Pelaporan (mounted under /admin/ by wagtail_hooks.py)."""

from django.urls import path

from .views import dashboard, detail, fill, own, summaries

urlpatterns = [
    path("pelaporan/", own.index, name="reporting_index"),
    path(
        "pelaporan/isi/<slug:type_slug>/<slug:opd_slug>/<str:period_key>/",
        fill.fill,
        name="reporting_fill",
    ),
    path("pelaporan/laporan/<int:pk>/", detail.submission_detail, name="reporting_submission"),
    path("pelaporan/laporan/<int:pk>/keputusan/", detail.decide, name="reporting_decide"),
    path("pelaporan/laporan/<int:pk>/koreksi/", detail.correct, name="reporting_correct"),
    path("pelaporan/laporan/<int:pk>/versi/", detail.move_to_current_form, name="reporting_move"),
    path("pelaporan/laporan/<int:pk>/berita/", detail.to_news, name="reporting_news"),
    path(
        "pelaporan/laporan/<int:pk>/lampiran/<int:attachment_pk>/",
        detail.attachment,
        name="reporting_attachment",
    ),
    path("pelaporan/dasbor/", dashboard.dashboard, name="reporting_dashboard"),
    path("pelaporan/dasbor/ekspor.xlsx", dashboard.export_xlsx, name="reporting_export_xlsx"),
    path("pelaporan/dasbor/ekspor.csv", dashboard.export_csv, name="reporting_export_csv"),
    path("pelaporan/rekap/", summaries.summaries, name="reporting_summaries"),
    path("pelaporan/rekap/terbitkan/", summaries.publish, name="reporting_publish"),
    path("pelaporan/rekap/<int:pk>/status/", summaries.unpublish, name="reporting_unpublish"),
    path(
        "pelaporan/rekap/<int:pk>/satu-data/",
        summaries.publish_dataset,
        name="reporting_publish_dataset",
    ),
]
