import pytest
from django.urls import reverse

from surveys.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def member_data(network, **overrides):
    data = {
        "name": "Asha Patel",
        "email": "asha.patel@example.org",
        "group": network.groups.get(name="Clinician").pk,
        "organisation": "City Hospital",
    }
    return {**data, **overrides}


def test_coordinator_adds_a_member(signed_in, network):
    response = signed_in.post(reverse("member_add", args=[network.pk]), member_data(network))

    assert response.url == reverse("member_list", args=[network.pk])
    member = Member.objects.get()
    assert (member.name, member.email, member.group.name) == (
        "Asha Patel",
        "asha.patel@example.org",
        "Clinician",
    )


def test_email_is_stored_lower_case_and_duplicates_are_explained(signed_in, network):
    signed_in.post(
        reverse("member_add", args=[network.pk]),
        member_data(network, email="Asha.Patel@Example.org"),
    )

    response = signed_in.post(
        reverse("member_add", args=[network.pk]), member_data(network, name="Second Asha")
    )

    assert "already a member of this network" in response.content.decode()
    assert 'value="Second Asha"' in response.content.decode()
    assert Member.objects.count() == 1


def test_member_form_reports_a_bad_email_and_keeps_the_rest(signed_in, network):
    response = signed_in.post(
        reverse("member_add", args=[network.pk]), member_data(network, email="not-an-email")
    )

    body = response.content.decode()
    assert "There is a problem" in body and "Enter a valid email address" in body
    assert 'value="Asha Patel"' in body


def test_group_of_another_network_is_refused(signed_in, network, outsider):
    foreign_group = outsider.network_roles.get().network.groups.first()

    response = signed_in.post(
        reverse("member_add", args=[network.pk]), member_data(network, group=foreign_group.pk)
    )

    assert "Select a valid choice" in response.content.decode()
    assert not Member.objects.exists()


def test_coordinator_edits_a_member(signed_in, network):
    member = MemberFactory(network=network)

    signed_in.post(
        reverse("member_edit", args=[network.pk, member.pk]), member_data(network, name="New Name")
    )

    member.refresh_from_db()
    assert member.name == "New Name"


def test_removed_member_leaves_the_list_but_is_kept(signed_in, network):
    member = MemberFactory(network=network, name="Gone Person")

    signed_in.post(reverse("member_remove", args=[network.pk, member.pk]))

    member.refresh_from_db()
    assert member.removed_at is not None
    page = signed_in.get(reverse("member_list", args=[network.pk])).content.decode()
    assert "<td>Gone Person" not in page
    assert "No members yet" in page


def test_adding_a_removed_address_brings_the_member_back(signed_in, network):
    member = MemberFactory(network=network, email="asha.patel@example.org")
    signed_in.post(reverse("member_remove", args=[network.pk, member.pk]))

    signed_in.post(reverse("member_add", args=[network.pk]), member_data(network))

    member.refresh_from_db()
    assert member.removed_at is None
    assert Member.objects.count() == 1


def test_member_list_searches_and_filters_by_group(signed_in, network):
    clinician = network.groups.get(name="Clinician")
    carer = network.groups.get(name="Patient or carer")
    MemberFactory(network=network, name="Asha Patel", group=clinician)
    MemberFactory(network=network, name="Tom Reid", group=carer)

    by_name = signed_in.get(
        reverse("member_list", args=[network.pk]), {"q": "asha"}
    ).content.decode()
    by_group = signed_in.get(
        reverse("member_list", args=[network.pk]), {"group": carer.pk}
    ).content.decode()

    assert "Asha Patel" in by_name and "Tom Reid" not in by_name
    assert "Tom Reid" in by_group and "Asha Patel" not in by_group


def test_member_list_pages_keep_the_search(signed_in, network):
    MemberFactory.create_batch(55, network=network, organisation="Carers Trust Wales")
    page = signed_in.get(reverse("member_list", args=[network.pk]), {"q": "carers"})
    body = page.content.decode()
    assert "Page 1 of 2" in body
    assert '?q=carers&amp;page=2"' in body


def test_member_list_shows_an_empty_state(signed_in, network):
    assert (
        "No members yet"
        in signed_in.get(reverse("member_list", args=[network.pk])).content.decode()
    )


def test_member_list_query_count_is_pinned(signed_in, network, django_assert_num_queries):
    MemberFactory.create_batch(5, network=network)
    url = reverse("member_list", args=[network.pk])
    signed_in.get(url)  # warm the session
    with django_assert_num_queries(5) as few:
        signed_in.get(url)
    MemberFactory.create_batch(60, network=network)
    with django_assert_num_queries(len(few.captured_queries)):
        assert signed_in.get(url).status_code == 200


def test_coordinator_adds_renames_and_deletes_a_group(signed_in, network):
    signed_in.post(reverse("group_list", args=[network.pk]), {"name": "Pharmacist"})
    group = network.groups.get(name="Pharmacist")

    signed_in.post(reverse("group_edit", args=[network.pk, group.pk]), {"name": "Pharmacy"})
    group.refresh_from_db()
    assert group.name == "Pharmacy"

    signed_in.post(reverse("group_edit", args=[network.pk, group.pk]), {"delete": "1", "name": "x"})
    assert not network.groups.filter(pk=group.pk).exists()


def test_group_with_members_cannot_be_deleted(signed_in, network):
    member = MemberFactory(network=network)

    response = signed_in.post(
        reverse("group_edit", args=[network.pk, member.group.pk]), {"delete": "1"}, follow=True
    )

    assert "still has members" in response.content.decode()
    assert network.groups.filter(pk=member.group.pk).exists()


def test_duplicate_group_name_is_explained(signed_in, network):
    response = signed_in.post(reverse("group_list", args=[network.pk]), {"name": "clinician"})

    assert "already a group called" in response.content.decode()
