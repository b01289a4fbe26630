import pytest
from django.core import mail
from django.urls import reverse

from surveys.models import Network, NetworkRole
from tests.factories import NetworkFactory, UserFactory, add_role

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_network_with_default_groups(client, owner):
    client.force_login(owner)

    response = client.post(
        reverse("network_create"),
        {
            "name": "Paediatric Diabetes Collaborative",
            "purpose": "Share what works.",
            "founded_on": "2024-03-01",
            "scope": "Midlands",
            "sponsor": "ICB",
        },
    )

    network = Network.objects.get(name="Paediatric Diabetes Collaborative")
    assert response.url == reverse("member_list", args=[network.pk])
    assert network.roles.get().user == owner
    assert network.roles.get().role == NetworkRole.COORDINATOR
    assert [g.name for g in network.groups.all()] == [
        "Clinician",
        "Manager",
        "Patient or carer",
        "Commissioner",
        "Voluntary sector",
        "Other",
    ]


def test_network_form_keeps_input_and_names_the_missing_field(client, owner):
    client.force_login(owner)

    response = client.post(
        reverse("network_create"), {"purpose": "Kept text", "founded_on": "soon"}
    )

    body = response.content.decode()
    assert "There is a problem" in body
    assert "Kept text" in body
    assert Network.objects.count() == 0


def test_network_list_shows_only_my_networks(client, owner, network, outsider):
    client.force_login(owner)

    body = client.get(reverse("network_list")).content.decode()

    assert network.name in body
    assert "Someone Else&#x27;s Network" not in body


def test_new_coordinator_sees_an_empty_state(client):
    client.force_login(UserFactory())

    body = client.get(reverse("network_list")).content.decode()

    assert "You have no networks yet" in body


def test_coordinator_edits_network_details(client, owner, network):
    client.force_login(owner)

    client.post(
        reverse("network_edit", args=[network.pk]),
        {
            "name": "Renamed Network",
            "purpose": "New purpose",
            "founded_on": "",
            "scope": "",
            "sponsor": "",
        },
    )

    network.refresh_from_db()
    assert (network.name, network.purpose) == ("Renamed Network", "New purpose")


def test_leader_reads_network_but_cannot_edit_it(client, leader, network):
    client.force_login(leader)

    assert client.get(reverse("network_detail", args=[network.pk])).status_code == 200
    assert client.get(reverse("network_edit", args=[network.pk])).status_code == 403
    assert client.get(reverse("member_list", args=[network.pk])).status_code == 403


def test_coordinator_invites_an_existing_user_as_leader(
    client, owner, network, django_capture_on_commit_callbacks
):
    colleague = UserFactory(email="colleague@example.org")
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("team", args=[network.pk]), {"email": "Colleague@example.org", "role": "leader"}
        )

    role = network.roles.get(email="colleague@example.org")
    assert (role.user, role.role) == (colleague, NetworkRole.LEADER)
    assert mail.outbox[0].to == ["colleague@example.org"]
    assert network.name in mail.outbox[0].subject
    assert f"/networks/{network.pk}/" in mail.outbox[0].body
    assert f"/networks/{network.pk}/" in mail.outbox[0].alternatives[0][0]


def test_invite_to_unknown_address_waits_for_signup(
    client, owner, network, django_capture_on_commit_callbacks
):
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("team", args=[network.pk]), {"email": "new@example.org", "role": "coordinator"}
        )

    role = network.roles.get(email="new@example.org")
    assert role.user is None
    assert "/accounts/signup/?email=new@example.org" in mail.outbox[0].body


def test_inviting_the_same_address_twice_is_explained(client, owner, network):
    client.force_login(owner)

    response = client.post(
        reverse("team", args=[network.pk]), {"email": owner.email, "role": "leader"}
    )

    assert "already has a role" in response.content.decode()
    assert network.roles.count() == 1


def test_last_coordinator_cannot_be_removed(client, owner, network):
    client.force_login(owner)
    role = network.roles.get(user=owner)

    response = client.post(reverse("role_remove", args=[network.pk, role.pk]), follow=True)

    assert "needs at least one coordinator" in response.content.decode()
    assert network.roles.filter(pk=role.pk).exists()


def test_coordinator_removes_a_leader(client, owner, network, leader):
    client.force_login(owner)
    role = network.roles.get(user=leader)

    client.post(reverse("role_remove", args=[network.pk, role.pk]))

    assert not network.roles.filter(user=leader).exists()
    client.force_login(leader)
    assert client.get(reverse("network_detail", args=[network.pk])).status_code == 404


def test_second_coordinator_can_be_removed(client, owner, network):
    other = UserFactory()
    add_role(network, other, NetworkRole.COORDINATOR)
    client.force_login(owner)

    client.post(reverse("role_remove", args=[network.pk, network.roles.get(user=other).pk]))

    assert list(network.roles.values_list("user", flat=True)) == [owner.pk]


def test_network_list_query_count_does_not_grow(client, owner, django_assert_max_num_queries):
    client.force_login(owner)
    for _ in range(3):
        NetworkFactory(coordinator=owner)
    with django_assert_max_num_queries(4):
        client.get(reverse("network_list"))
    for _ in range(10):
        NetworkFactory(coordinator=owner)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("network_list")).status_code == 200
