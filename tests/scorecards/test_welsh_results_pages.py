"""Leaders and coordinators read a round's results in Welsh (README: Languages): the
dashboard, the steering-group pack, the comments, the results overview, the share-link
page, a share link's view and the instrument report, each rendered for a reader whose
language is English and for one whose language is Welsh, share no English of ours,
say lang="cy", and show the same numbers. What the pages show from the release (its
sentences, the charts) and the instruments' own texts are data here: others translate
them."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from scorecards.access import share_token_hash
from scorecards.models import ShareLink
from surveys.languages import localised
from surveys.models import Instrument, NetworkRole, User
from tests.factories import UserFactory, add_role
from tests.scorecards.helpers import released_round
from tests.surveys.survey_helpers import open_assessment
from tests.welsh import english_left, pieces, strings_in

pytestmark = pytest.mark.django_db

TOKEN = "share-token-for-welsh-tests-0123456789"
# The chart partial (templates/scorecards/_chart.html) is the charts' own work.
CHART_CHROME = ["Download PNG", "Download SVG", "Data table"]
FORMATS = ["CSV", "Excel", "PDF"]  # names of file formats, the same in Welsh
# The dashboard links to the pack in the other language, in that language.
OTHER_PACK = ["Steering-group pack", "Pecyn y grŵp llywio"]
PERCENT = re.compile(r"\d+(?:\.\d+)?%")


@pytest.fixture
def readers(network, owner, leader):
    """An English and a Welsh coordinator and leader of the same network."""
    welsh_coordinator = UserFactory(full_name="Bethan Jones", language="cy")
    add_role(network, welsh_coordinator, NetworkRole.COORDINATOR)
    welsh_leader = UserFactory(full_name="Dafydd Morgan", language="cy")
    add_role(network, welsh_leader)
    return {
        "coordinator": {"en": owner, "cy": welsh_coordinator},
        "leader": {"en": leader, "cy": welsh_leader},
    }


@pytest.fixture
def assessment(network, instruments, owner):
    """A released round that asked who works with whom, with a meeting's action."""
    assessment = released_round(network, instruments, rate=0.8, ties="dense", seed=6)
    meeting = meeting_services.matrix_session_create(
        assessment=assessment, title="Spring meeting", held_on=assessment.closes_on, tables=["A"]
    )
    meeting_services.action_add(
        session=meeting, what="Agree a purpose", who="Sam Price", due_on=assessment.closes_on
    )
    ShareLink.objects.create(
        network=network,
        label="Steering group, March",
        token_hash=share_token_hash(TOKEN),
        expires_at=timezone.now() + timedelta(days=7),
    )
    return assessment


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def data_of(network, assessment, *responses) -> list[str]:
    """Names, titles, free text and the instruments' texts in both languages."""
    texts = [network.name, assessment.title, "Spring meeting", "Agree a purpose", "Sam Price"]
    texts += ["Steering group, March", *CHART_CHROME, *FORMATS, *OTHER_PACK]
    texts += [u.full_name for u in User.objects.all()] + [str(u) for u in User.objects.all()]
    texts += [g.name for g in network.groups.all()]
    texts += [m.name for m in network.members.all()]  # on the named map, as typed
    texts += ["Band"]  # Welsh writes it as English does
    for instrument in Instrument.objects.all():
        texts += strings_in(instrument.definition)
        texts += strings_in(localised(instrument.definition, "cy"))
    for release in assessment.releases.all():
        # What people typed, as the release keeps it; every sentence of ours, the
        # release's and the charts' included, must be in Welsh.
        texts += strings_in(release.comments) + strings_in(release.data.get("comments"))
        texts += [q["text"] for q in release.data.get("custom") or []]
        texts += strings_in([q.get("answers") for q in release.data.get("custom") or []])
    return texts + [t[:1].upper() + t[1:] for t in texts]  # as pages start a sentence


def results_pages(client, network, assessment, coordinator: bool) -> dict:
    args = [network.pk, assessment.pk]
    pages = {
        "dashboard": client.get(reverse("assessment_dashboard", args=args)),
        "pack": client.get(reverse("steering_pack", args=args)),
        "comments": client.get(reverse("assessment_comments", args=args)),
        "results overview": client.get(reverse("results_overview", args=[network.pk])),
    }
    if coordinator:
        pages["share links"] = client.get(reverse("share_links", args=[network.pk]))
        pages["instrument report"] = client.get(reverse("instrument_report", args=args))
    return pages


def assert_welsh(english, welsh, network, assessment, page: str = ""):
    """The Welsh render shares no English of ours with the English one, says so in
    `lang`, and shows the same numbers: the respondents and every percentage."""
    en, cy = english.content.decode(), welsh.content.decode()
    assert english.status_code == welsh.status_code == 200, page
    assert english_left(en, cy, data_of(network, assessment, english, welsh)) == [], page
    assert '<html lang="cy">' in cy and '<html lang="en-GB">' in en, page
    en_text, cy_text = " ".join(pieces(en)), " ".join(pieces(cy))
    assert sorted(PERCENT.findall(en_text)) == sorted(PERCENT.findall(cy_text)), page
    if page not in ("comments", "share links"):  # pages that do not count who answered
        n = str(assessment.releases.latest_first().first().n_respondents)
        assert re.search(rf"\b{n}\b", en_text) and re.search(rf"\b{n}\b", cy_text), page


@pytest.mark.parametrize("role", ["coordinator", "leader"])
def test_welsh_reader_reads_every_results_page_in_welsh(readers, network, assessment, role):
    english = results_pages(
        client_for(readers[role]["en"]), network, assessment, role == "coordinator"
    )
    welsh = results_pages(
        client_for(readers[role]["cy"]), network, assessment, role == "coordinator"
    )

    for page, response in english.items():
        assert_welsh(response, welsh[page], network, assessment, page)
    dashboard = welsh["dashboard"].content.decode()
    assert "Ble mae'r rhwydwaith arni" in dashboard
    assert '">Pecyn y grŵp llywio</a>' in dashboard and 'lang="en">Steering-group pack' in dashboard
    assert "Pecyn y grŵp llywio" in welsh["pack"].content.decode()


def test_share_link_holder_reads_the_results_in_welsh(network, assessment):
    english, welsh = Client(), Client()
    english.get(f"/shared/{TOKEN}/")
    welsh.get(f"/shared/{TOKEN}/?lang=cy")
    args = [network.pk, assessment.pk]

    for name in ("results_overview", "assessment_dashboard", "steering_pack"):
        url = reverse(name, args=args if name != "results_overview" else args[:1])
        assert_welsh(english.get(url), welsh.get(url), network, assessment, name)
    dashboard = welsh.get(reverse("assessment_dashboard", args=args)).content.decode()
    assert "Wedi'i rannu, darllen yn unig" in dashboard


def test_share_link_that_stopped_working_says_so_in_welsh(network):
    english = Client().get("/shared/no-such-link-0123456789/")
    welsh = Client().get("/shared/no-such-link-0123456789/?lang=cy")

    assert english.status_code == welsh.status_code == 404
    assert english_left(english.content.decode(), welsh.content.decode(), [network.name]) == []


def test_english_leader_opens_the_pack_in_welsh_and_back(readers, network, assessment):
    """The dashboard offers the pack in the other language; only the pack (and the
    exports) follow `?lang=`, and the reader's own pages stay in their language."""
    leader = client_for(readers["leader"]["en"])
    args = [network.pk, assessment.pk]
    pack = reverse("steering_pack", args=args)

    dashboard = leader.get(reverse("assessment_dashboard", args=args)).content.decode()
    welsh_pack = leader.get(pack + "?lang=cy")
    english_pack = client_for(readers["leader"]["cy"]).get(pack + "?lang=en")

    assert f'href="{pack}?lang=cy"' in dashboard
    assert "The pack and the exports in Welsh:" in dashboard
    assert welsh_pack["Content-Language"] == "cy"
    assert_welsh(english_pack, welsh_pack, network, assessment)
    pdf = reverse("steering_pack_pdf", args=args)
    if 'class="btn btn-outline-primary"' in welsh_pack.content.decode():
        assert f'href="{pdf}?lang=cy"' in welsh_pack.content.decode()
    # Everything else stays in the leader's own language.
    again = leader.get(reverse("assessment_dashboard", args=args) + "?lang=cy")
    assert '<html lang="en-GB">' in again.content.decode()


def test_pack_of_a_round_still_open_is_in_welsh(readers, network, instruments):
    assessment = open_assessment(network, instruments, members=3)
    args = [network.pk, assessment.pk]
    for name in ("steering_pack", "assessment_dashboard", "instrument_report"):
        url = reverse(name, args=args)
        english = client_for(readers["coordinator"]["en"]).get(url)
        welsh = client_for(readers["coordinator"]["cy"]).get(url)
        en, cy = english.content.decode(), welsh.content.decode()
        assert english_left(en, cy, data_of(network, assessment)) == [], name
        assert '<html lang="cy">' in cy
