"""Share links: read-only results for steering-group members without an account."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from surveys.emails import absolute_url
from surveys.models import Event
from surveys.selectors import NetworkAccess
from surveys.services import event_record
from surveys.views.common import network_view

from ..access import SESSION_KEY, live_share_link, new_share_token, share_token_hash
from ..models import ShareLink


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=100,
        help_text=gettext_lazy("Who it is for, e.g. 'Steering group, March'."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Works for (days)"),
        min_value=1,
        max_value=90,
        initial=14,
        help_text=gettext_lazy(
            "The link stops working after this many days. You can revoke it sooner."
        ),
    )


@never_cache
@network_view(manage=True)
def share_links(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    form = ShareLinkForm(request.POST or None)
    new_url = None
    if request.method == "POST" and form.is_valid():
        token = new_share_token()
        with transaction.atomic():
            link = ShareLink.objects.create(
                network=access.network,
                label=form.cleaned_data["label"],
                token_hash=share_token_hash(token),
                created_by=request.user,
                expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
            )
            event_record(
                Event.SHARE_LINK_MADE,
                network=access.network,
                actor=request.user,
                detail=f"Share link {link.pk} ({link.label[:60]}), works "
                f"{form.cleaned_data['days']} days",
            )
        new_url = absolute_url(reverse("shared_open", args=[token]))
        form = ShareLinkForm()
    links = access.network.share_links.select_related("created_by")
    context = {
        "network": access.network,
        "access": access,
        "form": form,
        "links": links,
        "new_url": new_url,
        "now": timezone.now(),
    }
    response = render(request, "scorecards/share_links.html", context)
    # Not no-referrer: with it, Chrome and Edge post this page's forms (make, revoke,
    # sign out) with `Origin: null`, which Django's CSRF check refuses. This page's own
    # address holds no secret (the new link is in its body, never in a URL), so
    # same-origin is enough: nothing leaves the site, and our own forms still work.
    response["Referrer-Policy"] = "same-origin"
    return response


@network_view(manage=True, methods=("POST",))
def share_link_revoke(request: HttpRequest, access: NetworkAccess, link_id: int) -> HttpResponse:
    link = get_object_or_404(ShareLink, pk=link_id, network=access.network)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        with transaction.atomic():
            link.save(update_fields=["revoked_at"])
            event_record(
                Event.SHARE_LINK_REVOKED,
                network=access.network,
                actor=request.user,
                detail=f"Share link {link.pk} ({link.label[:60]})",
            )
    messages.success(request, _("The link for %(label)s no longer works.") % {"label": link.label})
    return redirect("share_links", access.network.pk)


@never_cache
@ratelimit(key="ip", rate="30/m", block=True)
def shared_open(request: HttpRequest, token: str) -> HttpResponse:
    """Swap the link's token for the session, then a token-free address."""
    link = live_share_link(token)
    if link is None:
        return render(request, "scorecards/share_invalid.html", status=404)
    shared = dict(request.session.get(SESSION_KEY, {}))
    shared[str(link.network_id)] = link.pk
    request.session[SESSION_KEY] = shared
    ShareLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    event_record(
        Event.SHARE_LINK_USED,
        network=link.network,
        detail=f"Share link {link.pk} ({link.label[:60]}) opened",
    )
    return redirect("results_overview", link.network_id)
