"""The member list as files: a template to fill in, an export that imports again, and
values that start like a formula, kept, warned about and neutralised (quality S7, S9)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.member_import import check_member_csv
from surveys.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

HEADER = "name,email,stakeholder group,organisation\n"


def download(client, name, network) -> tuple[bytes, list[list[str]]]:
    response = client.get(reverse(name, args=[network.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def upload(client, network, text: str):
    return client.post(
        reverse("member_import", args=[network.pk]),
        {"file": SimpleUploadedFile("m.csv", text.encode(), content_type="text/csv")},
        follow=True,
    )


def test_template_has_the_columns_the_import_expects(client, owner, network):
    client.force_login(owner)

    body, rows = download(client, "member_import_template", network)

    assert body.startswith(b"\xef\xbb\xbf")
    assert rows == [["name", "email", "stakeholder group", "organisation", "language"]]
    filled = body.decode("utf-8-sig") + "Asha Patel,asha@example.org,Clinician,City Hospital,cy\n"
    check = check_member_csv(filled, group_names=["Clinician"], max_rows=10)
    assert check.is_clean and check.rows[0].organisation == "City Hospital"
    assert check.rows[0].language == "cy"


def test_import_page_links_to_the_template_and_the_export(client, owner, network):
    client.force_login(owner)

    body = client.get(reverse("member_import", args=[network.pk])).content.decode()

    assert reverse("member_import_template", args=[network.pk]) in body
    assert reverse("member_export", args=[network.pk]) in body


def test_member_export_lists_this_networks_members_and_imports_again(client, owner, network):
    clinician = network.groups.get(name="Clinician")
    MemberFactory(
        network=network,
        group=clinician,
        name="Asha Patel",
        email="asha@example.org",
        organisation="City Hospital",
        language="cy",
    )
    removed = MemberFactory(network=network, group=clinician, name="Gone", email="g@example.org")
    removed.removed_at = removed.created_at
    removed.save(update_fields=["removed_at"])
    other = MemberFactory(name="Someone Else", email="else@example.org")
    assert other.network_id != network.pk
    client.force_login(owner)

    body, rows = download(client, "member_export", network)

    assert body.startswith(b"\xef\xbb\xbf")
    assert rows == [
        ["name", "email", "stakeholder group", "organisation", "language"],
        ["Asha Patel", "asha@example.org", "Clinician", "City Hospital", "cy"],
    ]
    groups = [g.name for g in network.groups.all()]
    assert check_member_csv(body.decode("utf-8-sig"), group_names=groups, max_rows=10).is_clean


def test_leader_may_not_export_members_and_outsider_gets_404(client, leader, outsider, network):
    for user, status in ((leader, 403), (outsider, 404)):
        client.force_login(user)
        for name in ("member_export", "member_import_template"):
            assert client.get(reverse(name, args=[network.pk])).status_code == status


def test_formula_like_name_is_warned_about_kept_and_neutralised_on_export(client, owner, network):
    client.force_login(owner)
    text = HEADER + (
        '"=HYPERLINK(""http://x"",""y"")",eq@example.org,Clinician,\n'
        "Ann Lee,ann@example.org,Clinician,@Home Care\n"
        "Tom Reid,tom@example.org,Clinician,City\n"
    )

    preview = upload(client, network, text).content.decode()

    assert "2 values to check" in preview
    assert "Line 2: The name" in preview and "Line 3: The organisation" in preview
    assert "Line 4" not in preview
    client.post(reverse("member_import_confirm", args=[network.pk]))
    assert Member.objects.get(email="eq@example.org").name == '=HYPERLINK("http://x","y")'
    _, rows = download(client, "member_export", network)
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x","y")' in cells and "'@Home Care" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_a_clean_file_shows_no_warning(client, owner, network):
    client.force_login(owner)

    preview = upload(client, network, HEADER + "Tom Reid,tom@example.org,Clinician,\n")

    assert "to check" not in preview.content.decode()
