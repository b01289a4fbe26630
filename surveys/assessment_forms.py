"""Forms for the coordinator's assessment pages. They check and shape what was typed;
the services decide what may change (locked instruments, question limits)."""

import re
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from . import services
from .anonymity import MIN_THRESHOLD
from .models import Assessment, CustomQuestion, Instrument, Member, Network
from .services.assessments import DAYS_BEFORE_MEETING

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The dates a round can sensibly have. A slip such as 9999 or 0202 for the year is
# refused with a message, rather than stored for the pages that count days to trip on.
OPENS_AT_MOST_DAYS_AGO = 365
AT_MOST_DAYS_AHEAD = 2 * 365
REMINDER_MIN, REMINDER_MAX = 1, 60
KINDS = (Instrument.SCORECARD, Instrument.MATRIX)


def parse_reminder_days(text: str) -> list[int]:
    """ "7, 2" -> [7, 2]: whole days before closing, each from 1 to 60, latest first."""
    parts = [part for part in re.split(r"[,;\s]+", text.strip()) if part]
    days = set()
    for part in parts:
        if not part.isdigit() or not REMINDER_MIN <= int(part) <= REMINDER_MAX:
            raise ValidationError(
                gettext(
                    "“%(part)s” is not a number of days from %(min)s to %(max)s. "
                    "Write whole days before closing, separated by commas, such as 7, 2."
                )
                % {"part": part, "min": REMINDER_MIN, "max": REMINDER_MAX}
            )
        days.add(int(part))
    return sorted(days, reverse=True)


def date_window(today: date) -> tuple[date, date]:
    """The earliest opening date and the latest date of any kind a round may be given."""
    return today - timedelta(days=OPENS_AT_MOST_DAYS_AGO), today + timedelta(
        days=AT_MOST_DAYS_AHEAD
    )


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def too_far_ahead(what: str, latest: date) -> str:
    """`what` is one of the keys below; each sentence is whole, for translating."""
    messages = {
        "opening date": gettext(
            "The opening date must be within two years from today: %(day)s at the latest."
        ),
        "closing date": gettext(
            "The closing date must be within two years from today: %(day)s at the latest."
        ),
        "meeting": gettext(
            "The meeting must be within two years from today: %(day)s at the latest."
        ),
        "new closing date": gettext(
            "The new closing date must be within two years from today: %(day)s at the latest."
        ),
    }
    return messages[what] % {"day": _day(latest)}


def instruments_on_offer(assessment: Assessment | None) -> dict[str, Instrument]:
    """Per kind, the round's own instrument if it has one (a later version must not
    slip in on edit), else the latest version loaded. One query."""
    latest: dict[str, Instrument] = {}
    for instrument in Instrument.objects.defer("definition").order_by("kind", "-version", "-pk"):
        latest.setdefault(instrument.kind, instrument)
    for kind in KINDS:
        current = assessment.instrument_of(kind) if assessment else None
        if current is not None:
            latest[kind] = current
    return {kind: latest[kind] for kind in KINDS if kind in latest}


class AssessmentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    instruments = forms.MultipleChoiceField(
        label=gettext_lazy("Instruments"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy(
                "Choose at least one instrument: the scorecard, the matrix or both."
            )
        },
    )
    asks_roster = forms.BooleanField(
        label=gettext_lazy("Also ask who works with whom"),
        required=False,
        help_text=gettext_lazy(
            "Members choose, from the member list, the people they have worked with in the "
            "last six months. The results show how the network is connected, by group; "
            "nobody sees who named whom. Members can take their name off the roster."
        ),
    )
    opens_on = forms.DateField(label=gettext_lazy("Opens on"), widget=DATE_WIDGET)
    meeting_on = forms.DateField(
        label=gettext_lazy("Steering-group meeting (optional)"),
        required=False,
        widget=DATE_WIDGET,
        help_text=gettext_lazy("The meeting where the results will be discussed."),
    )
    closes_on = forms.DateField(
        label=gettext_lazy("Closes on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=format_lazy(
            gettext_lazy(
                "Leave empty to close {days} days before the meeting, "
                "which leaves time to read the results."
            ),
            days=DAYS_BEFORE_MEETING,
        ),
    )
    anonymity_threshold = forms.IntegerField(
        label=gettext_lazy("Anonymity threshold"),
        min_value=MIN_THRESHOLD,
        max_value=50,
        help_text=format_lazy(
            gettext_lazy(
                "Results for a stakeholder group are only shown once at least this many of "
                "its members have answered, so nobody can be singled out. It cannot be below "
                "{minimum}: with fewer, people could guess who said what."
            ),
            minimum=MIN_THRESHOLD,
        ),
    )
    invitation_subject = forms.CharField(label=gettext_lazy("Invitation subject"), max_length=200)
    invitation_message = forms.CharField(
        label=gettext_lazy("Invitation message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Write {name} where the member's first name should go. Each member's personal "
            "link, the closing date and an unsubscribe link are added below your message."
        ),
    )
    # For members whose language is Welsh (README: Languages).
    invitation_subject_cy = forms.CharField(
        label=gettext_lazy("Invitation subject in Welsh"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"lang": "cy"}),
    )
    invitation_message_cy = forms.CharField(
        label=gettext_lazy("Invitation message in Welsh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "cy"}),
        help_text=gettext_lazy(
            "Sent to members whose language is Welsh, with {name} for their first name. "
            "Left empty, they get the standard Welsh invitation."
        ),
    )
    reminder_days = forms.CharField(
        label=gettext_lazy("Reminders (days before closing)"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Members who have not finished are reminded this many days before closing, "
            "for example 7, 2. Leave empty for no reminders."
        ),
    )

    def __init__(self, *args, network: Network, assessment: Assessment | None = None, **kwargs):
        self.offered = instruments_on_offer(assessment)
        self.assessment = assessment
        self.locked = assessment is not None and assessment.invitations.exists()
        kwargs.setdefault("initial", self._initial(network, assessment))
        super().__init__(*args, **kwargs)
        self.closing_proposed = False
        field = self.fields["instruments"]
        field.choices = [(kind, self._label(i)) for kind, i in self.offered.items()]
        if self.locked:
            field.disabled = True
            field.help_text = gettext_lazy(
                "Invitations have been sent, so the instruments can no longer change."
            )
            self.fields["asks_roster"].disabled = True
        else:
            field.help_text = gettext_lazy(
                "Choose one or both. Members answer them in one sitting."
            )

    def _initial(self, network: Network, assessment: Assessment | None) -> dict:
        if assessment is None:
            initial = services.assessment_defaults(network)
            initial["instruments"] = [kind for kind in KINDS if kind in self.offered]
        else:
            names = [name for name in self.base_fields if name != "instruments"]
            initial = {name: getattr(assessment, name) for name in names}
            initial["instruments"] = [kind for kind in KINDS if assessment.instrument_of(kind)]
        initial["reminder_days"] = ", ".join(str(d) for d in initial["reminder_days"])
        return initial

    @staticmethod
    def _label(instrument: Instrument) -> str:
        values = {"title": instrument.title, "version": instrument.version}
        if instrument.minutes:
            values["minutes"] = instrument.minutes
            return gettext("%(title)s (version %(version)s, about %(minutes)s minutes)") % values
        return gettext("%(title)s (version %(version)s)") % values

    def clean_reminder_days(self) -> list[int]:
        return parse_reminder_days(self.cleaned_data["reminder_days"])

    def clean(self) -> dict:
        data = super().clean()
        self._check_date_window(data)  # a date refused here leaves cleaned_data
        opens, closes, meeting = (data.get(k) for k in ("opens_on", "closes_on", "meeting_on"))
        if opens and meeting and meeting < opens:
            self.add_error(
                "meeting_on",
                gettext(
                    "The meeting must be on or after the opening date: there would be no "
                    "answers to discuss."
                ),
            )
            meeting = None
        if closes is None and meeting is not None and opens and "closes_on" not in self.errors:
            closes = self._propose_closing(meeting)
        dates_refused = any(name in self.errors for name in ("opens_on", "closes_on", "meeting_on"))
        if closes is None:
            if not dates_refused:  # else the message already there says what to fix
                self.add_error(
                    "closes_on", gettext("Give a closing date, or a meeting date to work it out.")
                )
        elif opens and closes < opens:
            self.add_error("closes_on", self._closing_too_early(opens))
        return data

    def _check_date_window(self, data: dict) -> None:
        """Opening at most a year ago (a round being edited may keep an older opening
        date), and nothing more than two years ahead. Each message names the limit;
        everything else typed is kept."""
        earliest, latest = date_window(timezone.localdate())
        opens = data.get("opens_on")
        if opens and opens < earliest and not self._unchanged("opens_on", opens):
            self.add_error(
                "opens_on",
                gettext("The opening date can be at most a year ago: %(day)s or later.")
                % {"day": _day(earliest)},
            )
        for name, what in (
            ("opens_on", "opening date"),
            ("closes_on", "closing date"),
            ("meeting_on", "meeting"),
        ):
            value = data.get(name)
            if value and value > latest:
                self.add_error(name, too_far_ahead(what, latest))

    def _unchanged(self, name: str, value: date) -> bool:
        return self.assessment is not None and getattr(self.assessment, name) == value

    def _propose_closing(self, meeting: date) -> date:
        """Fill in the closing date on the server too, so this works without script; the
        bound data is updated so a form shown again with other errors shows it."""
        closes = services.proposed_closing(meeting)
        self.cleaned_data["closes_on"] = closes
        self.closing_proposed = True
        self.data = self.data.copy()
        self.data[self.add_prefix("closes_on")] = closes.isoformat()
        return closes

    def _closing_too_early(self, opens: date) -> str:
        if self.closing_proposed:
            return gettext(
                "%(days)s days before the meeting is before the opening date "
                "(%(day)s): choose a closing date yourself."
            ) % {"days": DAYS_BEFORE_MEETING, "day": date_format(opens, "j F Y")}
        return gettext("The closing date must be on or after the opening date.")

    def service_fields(self) -> dict:
        """What `services.assessment_save` takes, instruments as model instances."""
        data = dict(self.cleaned_data)
        kinds = data.pop("instruments")
        for kind in KINDS:
            data[Assessment.INSTRUMENT_FIELDS[kind]] = (
                self.offered.get(kind) if kind in kinds else None
            )
        return data


class CustomQuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of question"),
        choices=CustomQuestion.KIND_CHOICES,
        widget=forms.RadioSelect,
        initial=CustomQuestion.AGREEMENT,
    )
    text = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Up to 300 characters. For agree or disagree, write a statement, for example "
            "“Our meetings lead to action.”"
        ),
    )


class InviteForm(forms.Form):
    EVERYONE, GROUPS, MEMBERS = "everyone", "groups", "members"

    who = forms.ChoiceField(
        label=gettext_lazy("Who to invite"),
        choices=[
            (EVERYONE, gettext_lazy("Everyone not invited yet")),
            (GROUPS, gettext_lazy("Chosen stakeholder groups")),
            (MEMBERS, gettext_lazy("Chosen members")),
        ],
        widget=forms.RadioSelect,
        initial=EVERYONE,
    )
    groups = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Stakeholder groups"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["groups"].queryset = network.groups.all()
        self.fields["members"].queryset = Member.objects.current().filter(network=network)

    def clean(self) -> dict:
        data = super().clean()
        who = data.get("who")
        if who == self.GROUPS and not data.get("groups"):
            self.add_error("groups", gettext("Choose at least one stakeholder group."))
        if who == self.MEMBERS and not data.get("members"):
            self.add_error("members", gettext("Choose at least one member."))
        return data

    def chosen(self) -> QuerySet[Member]:
        """The members chosen; the service skips those already invited or not emailable."""
        members = Member.objects.filter(network=self.network)
        who = self.cleaned_data["who"]
        if who == self.GROUPS:
            return members.filter(group__in=self.cleaned_data["groups"])
        if who == self.MEMBERS:
            return members.filter(pk__in=[m.pk for m in self.cleaned_data["members"]])
        return members

    def selected_member_ids(self) -> set[str]:
        """Ticked boxes to keep ticked when the page is shown again."""
        return {str(v) for v in (self["members"].value() or [])}


class ExtendForm(forms.Form):
    closes_on = forms.DateField(label=gettext_lazy("New closing date"), widget=DATE_WIDGET)

    def clean_closes_on(self) -> date:
        closes = self.cleaned_data["closes_on"]
        _, latest = date_window(timezone.localdate())
        if closes > latest:
            raise ValidationError(too_far_ahead("new closing date", latest))
        return closes
