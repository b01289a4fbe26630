"""Forms for the maturity-matrix meeting. They check and shape what was typed; the
services in services.py decide what may be recorded (the lowest-level rule,
closed meetings, a take-home action before closing)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys.models import Assessment

from .models import Action, MeetingTable

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def level_choices(labels: list[str], *, blank: str | None = None) -> list[tuple]:
    choices = [(i, f"{i}. {label}") for i, label in enumerate(labels, start=1)]
    return [("", blank), *choices] if blank is not None else choices


class MeetingForm(forms.Form):
    assessment = forms.ModelChoiceField(
        queryset=Assessment.objects.none(),
        label=_("Assessment"),
        help_text=_("The round whose maturity-matrix ratings the meeting discusses."),
        empty_label=None,
    )
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Maturity-matrix meeting"))
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DATE_WIDGET)
    tables = forms.CharField(
        label=_("Tables or sub-groups"),
        initial=_("Table A"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One name per line. Split into tables of 4 to 8 people from about 15; each "
            "table agrees its own levels and the meeting keeps the lowest."
        ),
    )
    facilitator_notes = forms.CharField(
        label=_("Facilitator notes (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only coordinators see these: timings, who is at which table, reminders."),
    )

    def __init__(self, *args, assessments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assessments is None:  # editing: the meeting stays with its round
            del self.fields["assessment"]
        else:
            self.fields["assessment"].queryset = assessments
        self.fields["held_on"].initial = timezone.localdate()

    def clean_tables(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["tables"].splitlines()]
        names = [n for n in names if n]
        folded = [n.casefold() for n in names]
        twice = sorted({n for n, f in zip(names, folded, strict=True) if folded.count(f) > 1})
        if twice:
            raise forms.ValidationError(
                gettext("Each table needs its own name: %(names)s.") % {"names": ", ".join(twice)}
            )
        too_long = [n for n in names if len(n) > 60]
        if too_long:
            raise forms.ValidationError(gettext("Keep each table name under 60 characters."))
        return names


class AgreedLevelForm(forms.Form):
    """One table's record of one dimension. The prefix (`t<table id>`) keeps several
    tables' forms apart on one page."""

    level = forms.TypedChoiceField(
        label=_("Agreed level now"), coerce=int, widget=forms.RadioSelect, choices=()
    )
    override_reason = forms.CharField(
        label=_("Why a level other than the proposed one?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when the group agrees a level other than the lowest view."),
    )
    range_low = forms.TypedChoiceField(
        label=_("Lowest view"), required=False, coerce=int, empty_value=None, choices=()
    )
    range_high = forms.TypedChoiceField(
        label=_("Highest view"), required=False, coerce=int, empty_value=None, choices=()
    )
    notes = forms.CharField(
        label=_("Notes on the disagreement"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target = forms.TypedChoiceField(
        label=_("Target level"), required=False, coerce=int, empty_value=None, choices=()
    )
    priority = forms.BooleanField(label=_("A priority for the network"), required=False)

    def __init__(self, *args, labels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices(labels)
        for name in ("range_low", "range_high"):
            self.fields[name].choices = level_choices(labels, blank=gettext("Not noted"))
        self.fields["target"].choices = level_choices(labels, blank=gettext("No target yet"))


class ActionForm(forms.Form):
    what = forms.CharField(
        label=_("What will be done"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    who = forms.CharField(label=_("Who will do it"), max_length=100)
    due_on = forms.DateField(label=_("By when"), widget=DATE_WIDGET)
    dimension = forms.ChoiceField(label=_("Dimension"), required=False, choices=())
    # Made by the browser so that a re-sent entry is stored once.
    client_ref = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, dimensions: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [("", gettext("The network as a whole"))] + [
            (d["code"], d["title"]) for d in dimensions
        ]


class ActionEditForm(forms.Form):
    """An action after the meeting: its owner from the network's team or member list,
    or a name typed in; its due date and status."""

    what = forms.CharField(
        label=_("What will be done"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ChoiceField(
        label=_("Who will do it"),
        required=False,
        help_text=_("Someone on the team or the member list gets an email before the due date."),
    )
    who = forms.CharField(
        label=_("Or type a name"),
        required=False,
        max_length=100,
        help_text=_("For someone who is on neither list (no reminder is sent)."),
    )
    due_on = forms.DateField(label=_("By when"), widget=DATE_WIDGET)
    status = forms.ChoiceField(label=_("Status"), choices=Action.STATUS_CHOICES)

    def __init__(self, *args, owners: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            ("", gettext("Nobody chosen: use the name typed below")),
            *owners,
        ]

    def clean(self):
        data = super().clean()
        if (
            not data.get("owner")
            and not (data.get("who") or "").strip()
            and "who" not in self.errors
        ):
            self.add_error("who", gettext("Choose who will do it, or type a name."))
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.STATUS_CHOICES)


class LiveRatingForm(forms.Form):
    """A participant's phone: their table and their level for the dimension on screen."""

    table = forms.ModelChoiceField(
        queryset=MeetingTable.objects.none(),
        label=_("Your table"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose your table."),
            "invalid_choice": _("Choose your table."),
        },
    )
    dimension = forms.CharField(widget=forms.HiddenInput, max_length=60)
    level = forms.TypedChoiceField(
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a level."), "invalid_choice": _("Choose a level.")},
    )

    def __init__(self, *args, tables, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].queryset = tables
