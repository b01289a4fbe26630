"""Parsing and checking a member list uploaded as CSV (quality S10).

Pure functions: the file is checked completely before anything is written, every bad
row is reported with its line number, and nothing is imported until the file is clean.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from . import languages
from .spreadsheets import DANGEROUS_START

# Accepted header spellings, lower-cased, mapped to our field names.
HEADERS = {
    "name": "name",
    "full name": "name",
    "email": "email",
    "email address": "email",
    "stakeholder group": "group",
    "group": "group",
    "organisation": "organisation",
    "organization": "organisation",
    "language": "language",
    "iaith": "language",
}
REQUIRED = ("name", "email", "group")
# The columns of the template coordinators download, and of the member list export, so
# that an exported list can be imported again.
COLUMNS = ("name", "email", "stakeholder group", "organisation", "language")


def columns_hint() -> str:
    """What the header line must say, in the active language."""
    return _("The first line must name the columns: %(columns)s.") % {"columns": ", ".join(COLUMNS)}


@dataclass(frozen=True)
class MemberRow:
    line: int
    name: str
    email: str
    group: str
    organisation: str
    # en or cy; "" when the file has no language column or leaves it empty, so an
    # existing member keeps theirs and a new one gets English.
    language: str = ""


@dataclass
class ImportCheck:
    rows: list[MemberRow] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.errors and bool(self.rows)


def decode_upload(raw: bytes, *, max_bytes: int) -> str:
    """The file's text, or a ValidationError a coordinator can act on."""
    if len(raw) > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": f"{len(raw) / 1_048_576:.1f}", "limit": f"{max_bytes / 1_048_576:.0f}"}
        )
    if not raw.strip():
        raise ValidationError(_("The file is empty."))
    try:
        text = raw.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _(
                "The file is not UTF-8 text. In Excel choose Save As > 'CSV UTF-8 (Comma "
                "delimited)' and upload it again (first bad byte at position %(position)s)."
            )
            % {"position": exc.start}
        ) from exc
    if "\x00" in text:  # UTF-16 or a binary file; PostgreSQL text cannot hold NUL
        raise ValidationError(
            _(
                "The file is not UTF-8 text (it holds NUL bytes). In Excel choose Save As > "
                "'CSV UTF-8 (Comma delimited)' and upload it again."
            )
        )
    return text


def check_member_csv(text: str, *, group_names: list[str], max_rows: int) -> ImportCheck:
    """Every row checked against the network's groups, for duplicates and for valid email
    addresses. Line numbers count the header as line 1, as a spreadsheet shows them."""
    check = ImportCheck()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        check.errors.append(
            (
                1,
                columns_hint(),
            )
        )
        return check
    columns = _columns(header, check)
    if check.errors:
        return check
    groups = {g.casefold(): g for g in group_names}
    first_line_of: dict[str, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(check.rows) + len(check.errors) >= max_rows:
                check.errors.append(
                    (line, _("Too many rows: the limit is %(limit)s.") % {"limit": f"{max_rows:,}"})
                )
                break
            row = _row(line, values, columns, groups, first_line_of, check)
            if row:
                check.rows.append(row)
    except csv.Error as exc:
        check.errors.append(
            (reader.line_num, _("The file is not valid CSV: %(error)s.") % {"error": exc})
        )
    if not check.rows and not check.errors:
        check.errors.append((None, _("The file has a header but no members.")))
    return check


def _columns(header: list[str], check: ImportCheck) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        name = HEADERS.get(title.strip().casefold())
        if name and name not in columns:
            columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        check.errors.append(
            (
                1,
                _("Missing column(s): %(missing)s.") % {"missing": ", ".join(missing)}
                + " "
                + columns_hint(),
            )
        )
    return columns


def _row(
    line: int,
    values: list[str],
    columns: dict[str, int],
    groups: dict[str, str],
    first_line_of: dict[str, int],
    check: ImportCheck,
) -> MemberRow | None:
    def value(name: str) -> str:
        index = columns.get(name)
        return values[index].strip() if index is not None and index < len(values) else ""

    name, email, group = value("name"), value("email").lower(), value("group")
    problems = []
    if not name:
        problems.append(_("the name is empty"))
    if not email:
        problems.append(_("the email address is empty"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("'%(email)s' is not a valid email address") % {"email": email})
    if not group:
        problems.append(_("the stakeholder group is empty"))
    elif group.casefold() not in groups:
        problems.append(
            _("'%(group)s' is not one of this network's groups (%(groups)s)")
            % {"group": group, "groups": ", ".join(groups.values())}
        )
    language = value("language")
    if language and languages.from_text(language) is None:
        problems.append(
            _(
                "'%(language)s' is not a language this site offers "
                "(en or cy: English, Cymraeg or Welsh)"
            )
            % {"language": language}
        )
    if email and email in first_line_of:
        problems.append(
            _("%(email)s is already on line %(line)s")
            % {"email": email, "line": first_line_of[email]}
        )
    if problems:
        message = "; ".join(problems)
        check.errors.append((line, message[0].upper() + message[1:] + "."))
        return None
    first_line_of[email] = line
    return MemberRow(
        line,
        name[:200],
        email,
        groups[group.casefold()],
        value("organisation")[:200],
        languages.from_text(language) if language else "",
    )


def formula_warnings(rows: list[MemberRow]) -> list[tuple[int, str]]:
    """Rows whose name or organisation starts like a spreadsheet formula (``=``, ``+``,
    ``-``, ``@``). They are imported as written (``-`` or ``@`` can start a real name),
    every export neutralises them, and the coordinator is asked to check them."""
    warnings = []
    for row in rows:
        for field_name, value in (("name", row.name), ("organisation", row.organisation)):
            if value.startswith(DANGEROUS_START):
                warnings.append(
                    (
                        row.line,
                        (
                            _(
                                "The name “%(value)s” starts with “%(first)s”, "
                                "which a spreadsheet would run as a formula. It will be imported "
                                "as written and every export shows it with a leading apostrophe "
                                "so it never runs; check it is what you meant."
                            )
                            if field_name == "name"
                            else _(
                                "The organisation “%(value)s” starts with "
                                "“%(first)s”, which a spreadsheet would run as a "
                                "formula. It will be imported as written and every export shows "
                                "it with a leading apostrophe so it never runs; check it is what "
                                "you meant."
                            )
                        )
                        % {"value": value[:60], "first": value[0]},
                    )
                )
    return warnings
