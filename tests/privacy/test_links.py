"""Links: nobody but the member holds a working link to a started invitation.

The coordinator can press "Copy link", "Resend" and edit a member's email. Each test
tries to use one of those to open a member's saved answers: the attacker's browser
must never show a member's answers, and a link the coordinator holds must not work
once the member has started."""

import pytest

from tests.privacy.scenario import MemberBrowser, emailed_link, ready_round

pytestmark = pytest.mark.django_db(transaction=True)


def start_and_save(browser: MemberBrowser, link: str, persona, pages: int = 3) -> dict:
    """The member opens a link, starts and saves a few pages; what the survey then shows
    them as saved (empty if the link did not work)."""
    if not browser.works(link):
        return {}
    browser.start()
    browser.answer(persona, pages=browser.pages[:pages])
    return browser.saved_answers()


def attacker_sees(link: str | None, assessment) -> tuple[bool, dict]:
    """Open a link in a fresh browser: whether it works, and what it shows as saved."""
    if not link:
        return False, {}
    browser = MemberBrowser(assessment)
    if not browser.works(link):
        return False, {}
    return True, browser.saved_answers()


def leaks(saved: dict, seen: dict) -> dict:
    return {k: v for k, v in seen.items() if saved.get(k) == v}


def problems_with(saved: dict, opened: bool, seen: dict) -> list[str]:
    out = []
    leaked = leaks(saved, seen)
    if leaked:
        out.append(f"the coordinator's browser shows {len(leaked)} of the member's saved answers")
    if saved and opened:
        out.append("a link the coordinator holds still opens an invitation the member started")
    return out


def test_coordinator_copying_a_link_at_sent_cannot_open_what_the_member_then_saves(
    network, owner, instruments
):
    r = ready_round(network, owner, instruments, count=2, seed=61, groups=["Clinician"])
    member = r.personas[0]

    copied = r.coordinator.copy_link(member.name)
    assert copied, "copy link was refused for a member who had not started"
    saved = start_and_save(MemberBrowser(r.assessment), emailed_link(member.email), member)
    opened, seen = attacker_sees(copied, r.assessment)

    problems = problems_with(saved, opened, seen)
    assert not problems, "; ".join(problems)


def test_coordinator_using_a_copied_link_again_after_the_member_used_it_opens_nothing(
    network, owner, instruments
):
    r = ready_round(network, owner, instruments, count=2, seed=62, groups=["Clinician"])
    member = r.personas[0]

    copied = r.coordinator.copy_link(member.name)
    assert copied, "copy link was refused for a member who had not started"
    saved = start_and_save(MemberBrowser(r.assessment), copied, member)
    assert saved, "the member could not use the copied link passed to them"
    opened, seen = attacker_sees(copied, r.assessment)

    problems = problems_with(saved, opened, seen)
    if opened:
        problems.append("a copied link works a second time, in another browser")
    assert not problems, "; ".join(problems)


def test_coordinator_copying_a_started_members_link_gets_nothing_that_opens_their_answers(
    network, owner, instruments
):
    """No button is shown for a started member; the attacker posts to its address
    anyway."""
    r = ready_round(network, owner, instruments, count=2, seed=63, groups=["Clinician"])
    member = r.personas[0]
    saved = start_and_save(MemberBrowser(r.assessment), emailed_link(member.email), member)
    assert saved

    copied = r.coordinator.copy_link(member.name)
    opened, seen = attacker_sees(copied, r.assessment)

    problems = problems_with(saved, opened, seen)
    assert not problems, "; ".join(problems)


def test_coordinator_changing_a_started_members_email_to_their_own_and_resending_sees_nothing(
    network, owner, instruments
):
    r = ready_round(network, owner, instruments, count=2, seed=64, groups=["Clinician"])
    member = r.personas[0]
    saved = start_and_save(MemberBrowser(r.assessment), emailed_link(member.email), member)
    assert saved

    r.coordinator.edit_member_email(member.name, owner.email)
    r.coordinator.resend(member.name)
    try:
        link = emailed_link(owner.email)
    except AssertionError:
        link = None
    opened, seen = attacker_sees(link, r.assessment)

    # A new invitation to the new address may work; it must start empty.
    leaked = leaks(saved, seen)
    assert not leaked, (
        f"the link sent to the coordinator's address shows {len(leaked)} of the member's "
        f"saved answers, e.g. {sorted(leaked.items())[:5]}"
    )
