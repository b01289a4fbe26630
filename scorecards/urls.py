"""Results pages, under networks/<network_id>/results/."""

from django.urls import path

from .views import dashboard, exports, instrument, releases, share, summary

urlpatterns = [
    path("", dashboard.results_overview, name="results_overview"),
    path("share/", share.share_links, name="share_links"),
    path("share/<int:link_id>/revoke/", share.share_link_revoke, name="share_link_revoke"),
    path("<int:assessment_id>/", dashboard.assessment_dashboard, name="assessment_dashboard"),
    path(
        "<int:assessment_id>/comments/", dashboard.assessment_comments, name="assessment_comments"
    ),
    path("<int:assessment_id>/pack/", dashboard.steering_pack, name="steering_pack"),
    path("<int:assessment_id>/pack.pdf", dashboard.steering_pack_pdf, name="steering_pack_pdf"),
    path(
        "<int:assessment_id>/instrument/",
        instrument.instrument_report,
        name="instrument_report",
    ),
    path("<int:assessment_id>/release/", releases.release_interim, name="release_interim"),
    path("<int:assessment_id>/summary/publish/", summary.summary_publish, name="summary_publish"),
    path("<int:assessment_id>/summary/send/", summary.summary_send, name="summary_send"),
    path("<int:assessment_id>/summary/revoke/", summary.summary_revoke, name="summary_revoke"),
    path("<int:assessment_id>/results.csv", exports.export_csv, name="export_csv"),
    path("<int:assessment_id>/results.xlsx", exports.export_xlsx, name="export_xlsx"),
]
