from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm

from .models import Member, Network, NetworkRole, User


class SignupForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["full_name", "email"]
        labels = {"full_name": "Your name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        """Never say here that an address has an account (account enumeration): the
        sign-up service tells the address's owner by email instead. The email column
        is the only unique one a sign-up fills in."""


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "inactive": "Confirm your email address first: we sent you a link when you signed up.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "email"

    def clean(self):
        """The backend refuses inactive accounts before the form can say why, so
        someone who signed up and has not confirmed yet was told their password was
        wrong. With the right password (and only then) they are told to confirm."""
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login" and self._unconfirmed_with_this_password():
                raise forms.ValidationError(
                    self.error_messages["inactive"], code="inactive"
                ) from error
            raise

    def _unconfirmed_with_this_password(self) -> bool:
        email = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        user = User.objects.filter(email__iexact=email, is_active=False).first()
        return user is not None and user.check_password(password)


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "purpose", "founded_on", "scope", "sponsor", "retention_months"]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "purpose": forms.Textarea(attrs={"rows": 3}),
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
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(choices=NetworkRole.ROLE_CHOICES, widget=forms.RadioSelect)


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "email", "group", "organisation", "language", "off_roster"]
        help_texts = {
            "language": "Their invitations, reminders and survey pages are in this language. "
            "They can change it themselves on any survey page."
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = network.groups.all()
        self.fields["group"].empty_label = "Choose a group"
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
        label="CSV file",
        help_text=(
            "Columns: name, email, stakeholder group, organisation, and optionally language "
            "(en or cy). UTF-8, up to 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class GroupForm(forms.Form):
    name = forms.CharField(max_length=100, label="Group name")
