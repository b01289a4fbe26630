"""Languages: the strings scripts show, in the page's language, and the language a
signed-in coordinator or leader chooses for themself."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

from .. import languages
from ..models import User

# Strings in a script change only with a release; a day's caching spares a request per
# page (the address names the language, so a switch fetches the other one).
CATALOG_MAX_AGE = 24 * 3600


@require_GET
def javascript_catalog(request: HttpRequest) -> HttpResponse:
    """Django's JavaScript catalog (window.gettext) for `?lang=`, else the active
    language: served from this site as a script file, as the policy requires."""
    language = languages.asked_for(request) or languages.current()
    with languages.override(language):
        response = JavaScriptCatalog.as_view(domain="djangojs")(request)
    response["Cache-Control"] = f"public, max-age={CATALOG_MAX_AGE}"
    return response


class LanguageForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language"]
        labels = {"language": _("Language")}
        help_texts = {
            "language": _(
                "Pages and emails that are translated use this language; the rest are in English."
            )
        }
        widgets = {"language": forms.RadioSelect}


@login_required
def account_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        languages.activate(form.instance.language)
        messages.success(request, _("Your language is saved."))
        return redirect("account_language")
    return render(request, "surveys/account_language.html", {"form": form})
