from django.urls import include, path

from .views import (
    audit,
    common,
    instruments,
    language,
    member,
    member_link,
    member_rights,
    members,
    networks,
    statements,
)

urlpatterns = [
    path("", common.home, name="home"),
    path("healthz", common.healthz, name="healthz"),
    path("accessibility/", statements.accessibility_statement, name="accessibility"),
    path("privacy/", statements.privacy_notice, name="privacy_notice"),
    path("privacy/impact-assessment/", statements.impact_assessment, name="impact_assessment"),
    # accounts: django-allauth's, under accounts/ (netassess/urls.py)
    path("accounts/language/", language.account_language, name="account_language"),
    # the strings member-facing scripts show, in the page's language
    path("jsi18n/", language.javascript_catalog, name="javascript_catalog"),
    # members: a personal link, then token-free survey pages in their session
    path("s/<str:token>/", member_link.survey_link, name="survey_link"),
    path("survey/", member.survey_welcome, name="survey_welcome"),
    path("survey/review/", member.survey_review, name="survey_review"),
    path("survey/submit/", member.survey_submit, name="survey_submit"),
    path("survey/thanks/", member.survey_thanks, name="survey_thanks"),
    path("survey/opt-out/", member.survey_opt_out, name="survey_opt_out"),
    path("survey/roster/", member.survey_roster_choice, name="survey_roster_choice"),
    path("survey/page/<slug:page_key>/", member.survey_page, name="survey_page"),
    path("survey/my-answers/", member_rights.survey_my_answers, name="survey_my_answers"),
    path("unsubscribe/<str:signed>/", member.unsubscribe, name="unsubscribe"),
    path("erase/<str:signed>/", member_rights.member_erase_by_link, name="member_erase_by_link"),
    # instruments, for any signed-in coordinator or leader
    path("instruments/", instruments.instrument_list, name="instrument_list"),
    path(
        "instruments/<slug:code>/v<int:version>/",
        instruments.instrument_detail,
        name="instrument_detail",
    ),
    path(
        "instruments/<slug:code>/v<int:version>/preview/",
        instruments.instrument_preview,
        name="instrument_preview",
    ),
    path(
        "instruments/<slug:code>/v<int:version>/preview/<slug:page_key>/",
        instruments.instrument_preview,
        name="instrument_preview_page",
    ),
    # coordinator's workspace
    path("networks/", networks.network_list, name="network_list"),
    path("networks/new/", networks.network_create, name="network_create"),
    path("networks/<int:network_id>/", networks.network_detail, name="network_detail"),
    path("networks/<int:network_id>/edit/", networks.network_edit, name="network_edit"),
    path("networks/<int:network_id>/team/", networks.team, name="team"),
    path("networks/<int:network_id>/audit/", audit.network_audit, name="network_audit"),
    path("networks/<int:network_id>/audit.csv", audit.network_audit_csv, name="network_audit_csv"),
    path(
        "networks/<int:network_id>/team/<int:role_id>/remove/",
        networks.role_remove,
        name="role_remove",
    ),
    path("networks/<int:network_id>/members/", members.member_list, name="member_list"),
    path("networks/<int:network_id>/members/add/", members.member_edit, name="member_add"),
    path(
        "networks/<int:network_id>/members/<int:member_id>/edit/",
        members.member_edit,
        name="member_edit",
    ),
    path(
        "networks/<int:network_id>/members/<int:member_id>/remove/",
        members.member_remove,
        name="member_remove",
    ),
    path(
        "networks/<int:network_id>/members/<int:member_id>/erase/",
        member_rights.member_erase,
        name="member_erase",
    ),
    path(
        "networks/<int:network_id>/members/<int:member_id>/data.json",
        member_rights.member_data,
        name="member_data",
    ),
    path("networks/<int:network_id>/members/import/", members.member_import, name="member_import"),
    path(
        "networks/<int:network_id>/members/import/template.csv",
        members.member_import_template,
        name="member_import_template",
    ),
    path(
        "networks/<int:network_id>/members/export.csv", members.member_export, name="member_export"
    ),
    path(
        "networks/<int:network_id>/members/import/confirm/",
        members.member_import_confirm,
        name="member_import_confirm",
    ),
    path("networks/<int:network_id>/assessments/", include("surveys.assessment_urls")),
    path("networks/<int:network_id>/groups/", members.group_list, name="group_list"),
    path(
        "networks/<int:network_id>/groups/<int:group_id>/",
        members.group_edit,
        name="group_edit",
    ),
]
