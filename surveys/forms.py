from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Member, Network, NetworkRole


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up (email and password twice), with the person's name first."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)

    field_order = ["full_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["password2"].label = _("Password (again)")
        self.order_fields(self.field_order)


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in, labelled as the rest of the site is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Email address")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        # A leader's invitation links here with their address filled in.
        if self.request is not None and not self.is_bound:
            self.initial.setdefault("login", self.request.GET.get("email", "")[:254])


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = [
            "name",
            "purpose",
            "founded_on",
            "scope",
            "sponsor",
            "retention_months",
            "require_two_factor",
        ]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "name": _("Name"),
            "purpose": _("Purpose statement"),
            "founded_on": _("Date founded"),
            "scope": _("Scope or geography"),
            "sponsor": _("Sponsor"),
            "retention_months": _("Keep raw answers for (months)"),
            "require_two_factor": _("Require two-factor sign-in"),
        }
        help_texts = {
            "purpose": _("What the network exists to achieve."),
            "founded_on": _("Used to judge the network's stage."),
            "scope": _("For example: North West England."),
            "sponsor": _("The organisation that hosts or funds the network."),
            "retention_months": _(
                "Counted from the day each round closed. After that the members' raw answers "
                "and invitations are deleted; the released results stay. 6 to 120 months."
            ),
            "require_two_factor": _(
                "Everyone with a role on this network (coordinators and leaders) must sign in "
                "with a second factor: an authenticator app or a passkey."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the network keeps its period (24 months for a new one).
        self.fields["retention_months"].required = False

    def clean_retention_months(self) -> int:
        months = self.cleaned_data.get("retention_months")
        if months is None:
            return self.instance.retention_months
        return months


class RoleInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (NetworkRole.COORDINATOR, _("Coordinator (runs assessments, keeps the member list)")),
            (NetworkRole.LEADER, _("Leader (reads results, read-only)")),
        ],
        widget=forms.RadioSelect,
    )


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "email", "group", "organisation", "language", "off_roster"]
        labels = {
            "name": _("Name"),
            "email": _("Email"),
            "group": _("Stakeholder group"),
            "organisation": _("Organisation"),
            "language": _("Language"),
            "off_roster": _("Leave off the roster"),
        }
        help_texts = {
            "language": _(
                "Their invitations, reminders and survey pages are in this language. "
                "They can change it themselves on any survey page."
            ),
            "off_roster": _("Not offered to others on the question of who works with whom."),
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = network.groups.all()
        self.fields["group"].empty_label = _("Choose a group")
        # Left out of a post (an older form, a script), the member keeps theirs.
        self.fields["language"].required = False

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language or "en"

    def validate_unique(self) -> None:
        # Uniqueness within the network is the service's job (it can restore a removed
        # member with the same address instead of refusing).
        pass


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, email, stakeholder group, organisation, and optionally language "
            "(en or cy). UTF-8, up to 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class GroupForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("Group name"))
