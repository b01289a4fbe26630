import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.member_import import check_member_csv, decode_upload
from surveys.models import Member
from tests.factories import MemberFactory

GROUPS = ["Clinician", "Manager", "Patient or carer"]
HEADER = "name,email,stakeholder group,organisation\n"


def check(text, max_rows=100):
    return check_member_csv(text, group_names=GROUPS, max_rows=max_rows)


# ---- checking the file (no database) ----------------------------------------------


def test_clean_file_gives_rows_with_canonical_group_names():
    result = check(HEADER + "Asha Patel,Asha@Example.org,clinician,City Hospital\n")

    assert result.is_clean
    row = result.rows[0]
    assert (row.line, row.email, row.group) == (2, "asha@example.org", "Clinician")


def test_every_bad_row_is_reported_with_its_line_number():
    text = HEADER + (
        "Asha Patel,asha@example.org,Clinician,\n"
        "Bad Email,not-an-email,Clinician,\n"
        "Unknown Group,u@example.org,Astronaut,\n"
        "Asha Again,ASHA@example.org,Manager,\n"
        ",,,\n"
        "No Name,,Manager,\n"
    )

    result = check(text)

    assert not result.is_clean
    lines = dict(result.errors)
    assert set(lines) == {3, 4, 5, 7}
    assert "'not-an-email' is not a valid email address" in lines[3]
    assert "'Astronaut' is not one of this network's groups" in lines[4]
    assert "already on line 2" in lines[5]
    assert "email address is empty" in lines[7]


def test_missing_columns_are_named():
    result = check("name,organisation\nAsha,City\n")

    assert result.errors[0][0] == 1
    assert "Missing column(s): email, group" in result.errors[0][1]


def test_header_only_file_is_refused():
    assert check(HEADER).errors == [(None, "The file has a header but no members.")]


def test_too_many_rows_is_reported():
    text = HEADER + "".join(f"P{i},p{i}@example.org,Clinician,\n" for i in range(5))

    result = check(text, max_rows=3)

    assert result.errors == [(5, "Too many rows: the limit is 3.")]


def test_non_utf8_file_gets_a_clear_error():
    with pytest.raises(ValidationError, match="not UTF-8 text"):
        decode_upload("name\nJos\xe9".encode("cp1252"), max_bytes=1000)


def test_oversized_file_gets_a_clear_error():
    with pytest.raises(ValidationError, match="the limit is"):
        decode_upload(b"x" * 3_000_000, max_bytes=2 * 1024 * 1024)


def test_excel_bom_is_accepted():
    assert decode_upload("\ufeffname".encode(), max_bytes=100) == "name"


# ---- the import pages -------------------------------------------------------------


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def upload(client, network, text: str | bytes, name="members.csv"):
    content = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("member_import", args=[network.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
        follow=True,
    )


@pytest.mark.django_db
def test_file_with_a_bad_row_imports_nothing(signed_in, network):
    response = upload(
        signed_in, network, HEADER + "Good One,good@example.org,Clinician,\nBad,bad,Clinician,\n"
    )

    body = response.content.decode()
    assert "Nothing was imported: 1 problem to fix" in body
    assert "<td>3</td>" in body
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_clean_file_is_previewed_then_imported(signed_in, network):
    response = upload(
        signed_in,
        network,
        HEADER + "Asha Patel,asha@example.org,Clinician,City\nTom Reid,tom@example.org,Manager,\n",
    )
    assert "<strong>2</strong> new" in response.content.decode()
    assert not Member.objects.exists()

    response = signed_in.post(reverse("member_import_confirm", args=[network.pk]), follow=True)

    assert "2 added, 0 updated, 0 unchanged" in response.content.decode()
    assert sorted(Member.objects.values_list("email", flat=True)) == [
        "asha@example.org",
        "tom@example.org",
    ]


@pytest.mark.django_db
def test_reimport_updates_rather_than_duplicates(signed_in, network):
    MemberFactory(network=network, name="Old Name", email="asha@example.org")
    keeper = MemberFactory(
        network=network, name="Tom Reid", email="tom@example.org", organisation=""
    )
    keeper.group = network.groups.get(name="Manager")
    keeper.save()

    upload(
        signed_in,
        network,
        HEADER + "Asha Patel,asha@example.org,Clinician,City\nTom Reid,tom@example.org,Manager,\n",
    )
    response = signed_in.post(reverse("member_import_confirm", args=[network.pk]), follow=True)

    assert "0 added, 1 updated, 1 unchanged" in response.content.decode()
    assert Member.objects.count() == 2
    assert Member.objects.get(email="asha@example.org").name == "Asha Patel"


@pytest.mark.django_db
def test_unsubscribed_member_stays_unsubscribed_after_reimport(signed_in, network):
    from django.utils import timezone

    member = MemberFactory(
        network=network, email="asha@example.org", unsubscribed_at=timezone.now()
    )

    upload(signed_in, network, HEADER + "Asha Patel,asha@example.org,Clinician,\n")
    signed_in.post(reverse("member_import_confirm", args=[network.pk]))

    member.refresh_from_db()
    assert member.unsubscribed_at is not None


@pytest.mark.django_db
def test_non_utf8_upload_is_explained_on_the_page(signed_in, network):
    response = upload(
        signed_in, network, (HEADER + "José,jose@example.org,Clinician,\n").encode("cp1252")
    )

    assert "not UTF-8 text" in response.content.decode()
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_confirm_without_an_upload_goes_back_to_the_upload_page(signed_in, network):
    response = signed_in.post(reverse("member_import_confirm", args=[network.pk]))

    assert response.url == reverse("member_import", args=[network.pk])


@pytest.mark.django_db
def test_hostile_text_in_a_file_is_shown_as_text(signed_in, network):
    response = upload(
        signed_in, network, HEADER + "<script>alert(1)</script>,x@example.org,Clinician,\n"
    )

    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
