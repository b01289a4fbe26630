"""What the accessibility statement says was checked, and by which browser test: the
statement is filled from this list, and a test fails when a named test is gone, so the
statement cannot claim a check nobody runs (tests/surveys/test_statements.py)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Check:
    promise: str  # what a person can rely on, in plain words (shown in the reader's language)
    test: str  # "file.py::test_name" under tests/e2e/


CHECKS = (
    Check(
        _(
            "A member can answer the whole survey with the keyboard alone on a phone, with no "
            "accessibility failures found by axe (WCAG 2.2 A and AA rules)."
        ),
        "test_member_journey.py::test_member_completes_the_survey_on_a_phone_with_the_keyboard_alone",
    ),
    Check(
        _(
            "The question of who works with whom can be answered by keyboard on a 320 px wide "
            "screen, with the focus kept where the member was."
        ),
        "test_roster.py::test_member_answers_the_roster_by_keyboard_on_a_320px_phone",
    ),
    Check(
        _(
            "Answers given while offline are kept on the device and saved when the "
            "connection returns."
        ),
        "test_member_journey.py::test_member_answers_offline_and_the_answer_is_saved_on_coming_back",
    ),
    Check(
        _("Answer buttons and cards have edges with at least 3:1 contrast."),
        "test_contrast.py::test_survey_radios_and_answer_cards_have_3_to_1_edges",
    ),
    Check(
        _("Every page of both instruments passes axe and fits a phone without sideways scrolling."),
        "test_instrument_preview.py::test_every_preview_page_passes_axe_and_fits_a_phone",
    ),
    Check(
        _("Coordinators' pages pass axe and fit a 375 px wide phone."),
        "test_phone_layout.py::test_coordinator_pages_fit_a_375px_phone",
    ),
    Check(
        _("Leaders' dashboards pass axe; every chart has a text summary and a data table."),
        "test_leader_journey.py::test_leader_reads_the_dashboard_compares_groups_and_prints_the_pack",
    ),
    Check(
        _("The map of who works with whom has a data table and passes axe."),
        "test_roster.py::test_leader_sees_the_map_and_its_table",
    ),
    Check(
        _(
            "The steering-group pack prints with page numbers and every section, and its PDF "
            "holds real text."
        ),
        "test_pack_pdf.py::test_leader_prints_a_pack_with_a_cover_page_numbers_and_every_section",
    ),
    Check(
        _("The matrix meeting can be run and rated from a phone, including offline."),
        "test_meeting.py::test_participant_rates_offline_and_the_rating_arrives_when_back_online",
    ),
)
