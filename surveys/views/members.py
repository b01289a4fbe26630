from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import GroupForm, MemberForm, MemberImportForm
from ..member_import import (
    COLUMNS,
    MemberRow,
    check_member_csv,
    decode_upload,
    formula_warnings,
)
from ..models import Event, Member, StakeholderGroup
from ..selectors import NetworkAccess
from ..spreadsheets import csv_text
from .common import network_view

PAGE_SIZE = 50


def _import_key(network_id: int) -> str:
    return f"member_import:{network_id}"


@network_view(manage=True)
def member_list(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    group_id = request.GET.get("group", "")
    # ASCII digits only ("²" is a digit to str.isdigit), and short enough for a database id.
    valid = group_id.isascii() and group_id.isdigit() and len(group_id) <= 18
    group_id = int(group_id) if valid else None
    members = selectors.members_of(access.network, search=search, group_id=group_id)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "network": access.network,
        "access": access,
        "page": page,
        "groups": list(selectors.groups_with_counts(access.network)),
        "search": search,
        "group_id": group_id,
        "filtered": bool(search or group_id),
    }
    return render(request, "surveys/member_list.html", context)


@network_view(manage=True)
def member_edit(
    request: HttpRequest, access: NetworkAccess, member_id: int | None = None
) -> HttpResponse:
    member = None
    if member_id is not None:
        member = get_object_or_404(Member.objects.current(), pk=member_id, network=access.network)
    form = MemberForm(request.POST or None, instance=member, network=access.network)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.member_save(
                network=access.network, member=member, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            if "add_another" in request.POST:
                return redirect("member_add", access.network.pk)
            return redirect("member_list", access.network.pk)
    return render(
        request,
        "surveys/member_form.html",
        {"network": access.network, "access": access, "form": form, "member": member},
    )


@network_view(manage=True, methods=("POST",))
def member_remove(request: HttpRequest, access: NetworkAccess, member_id: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.current(), pk=member_id, network=access.network)
    services.member_remove(member=member, user=request.user)
    messages.success(
        request, _("%(name)s removed. Their personal links no longer work.") % {"name": member.name}
    )
    return redirect("member_list", access.network.pk)


@network_view(manage=True)
def member_import(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    """Upload, then check: a file with any bad row is reported in full and nothing is
    imported; a clean file is kept in the session for the confirm step."""
    form = MemberImportForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = decode_upload(
                upload.read(settings.MEMBER_IMPORT_MAX_BYTES + 1),
                max_bytes=settings.MEMBER_IMPORT_MAX_BYTES,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            groups = [g.name for g in access.network.groups.all()]
            check = check_member_csv(
                text, group_names=groups, max_rows=settings.MEMBER_IMPORT_MAX_ROWS
            )
            if check.is_clean:
                request.session[_import_key(access.network.pk)] = [
                    [r.line, r.name, r.email, r.group, r.organisation, r.language]
                    for r in check.rows
                ]
                return redirect("member_import_confirm", access.network.pk)
    return render(
        request,
        "surveys/member_import.html",
        {"network": access.network, "access": access, "form": form, "check": check},
    )


def _csv_download(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@network_view(manage=True)
def member_import_template(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    """An empty member list with the columns the import expects."""
    return _csv_download(csv_text(list(COLUMNS), []), "members-template.csv")


@network_view(manage=True)
def member_export(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    """The network's current members in the import's columns, so the file can be
    edited and imported again; cells neutralised (quality S7)."""
    rows = [
        [m.name, m.email, m.group.name, m.organisation, m.language]
        for m in selectors.members_of(access.network)
    ]
    name = f"{slugify(access.network.name) or 'network'}-members.csv"
    services.event_record(
        Event.MEMBERS_EXPORTED,
        network=access.network,
        actor=request.user,
        detail=f"{len(rows)} members",
    )
    return _csv_download(csv_text(list(COLUMNS), rows), name)


@network_view(manage=True)
def member_import_confirm(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    stored = request.session.get(_import_key(access.network.pk))
    if not stored:
        messages.info(request, _("Upload a file to import members."))
        return redirect("member_import", access.network.pk)
    rows = [MemberRow(*values) for values in stored]
    if request.method == "POST":
        counts = services.members_import(network=access.network, rows=rows, user=request.user)
        del request.session[_import_key(access.network.pk)]
        messages.success(
            request,
            _("Import complete: %(added)s added, %(updated)s updated, %(unchanged)s unchanged.")
            % counts,
        )
        return redirect("member_list", access.network.pk)
    context = {
        "network": access.network,
        "access": access,
        "counts": services.import_preview(network=access.network, rows=rows),
        "rows": rows[:100],
        "total": len(rows),
        "warnings": formula_warnings(rows),
    }
    return render(request, "surveys/member_import_confirm.html", context)


@network_view(manage=True)
def group_list(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(network=access.network, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("Group %(name)s added.") % {"name": group.name})
            return redirect("group_list", access.network.pk)
    context = {
        "network": access.network,
        "access": access,
        "form": form,
        "groups": selectors.groups_with_counts(access.network),
    }
    return render(request, "surveys/group_list.html", context)


@network_view(manage=True, methods=("POST",))
def group_edit(request: HttpRequest, access: NetworkAccess, group_id: int) -> HttpResponse:
    group = get_object_or_404(StakeholderGroup, pk=group_id, network=access.network)
    try:
        if "delete" in request.POST:
            services.group_delete(group=group)
            messages.success(request, _("Group %(name)s deleted.") % {"name": group.name})
        else:
            form = GroupForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the group a name of up to 100 characters."))
            services.group_rename(group=group, name=form.cleaned_data["name"])
            messages.success(request, _("Group renamed to %(name)s.") % {"name": group.name})
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("group_list", access.network.pk)
