from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from ..anonymity import MIN_THRESHOLD
from .instruments import Instrument
from .networks import Member, Network


class Assessment(models.Model):
    """One round: the scorecard and/or the matrix put to a network's members."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="assessments")
    title = models.CharField(max_length=200)
    health_scorecard = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Instrument.SCORECARD},
    )
    matrix = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Instrument.MATRIX},
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    meeting_on = models.DateField(null=True, blank=True)
    anonymity_threshold = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(MIN_THRESHOLD), MaxValueValidator(50)]
    )
    invitation_subject = models.CharField(max_length=200)
    invitation_message = models.TextField()
    # The same in Welsh, for members whose language is Welsh; left empty, they get the
    # standard Welsh invitation (services.invitation_texts).
    invitation_subject_cy = models.CharField(max_length=200, blank=True)
    invitation_message_cy = models.TextField(blank=True)
    # Days before closing on which members who have not finished are reminded.
    reminder_days = models.JSONField(default=list, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The roster question (docs/relationships.md): "who in this network have you worked
    # with?", answered from the member list. Chosen when the round is made.
    asks_roster = models.BooleanField(
        "Ask who works with whom",
        default=False,
        help_text=(
            "Members choose, from the member list, the people they have worked with in the "
            "last six months. Shows how the network is connected; nobody sees who named whom."
        ),
    )
    # Questions about the actions a network agreed before this round opened ("did it
    # make a difference?"): [{"code": "F<action id>", "text": ...}], written once, when
    # the first invitations are made (see `assessment_opening`), and never changed.
    follow_up_questions = models.JSONField(default=list, blank=True)
    follow_up_taken_at = models.DateTimeField(null=True, blank=True)
    # Retention (docs/retention.md): the raw answers, invitations and snapshots are
    # deleted a number of months after closing, unless a legal hold stops it; the
    # releases stay.
    raw_deleted_at = models.DateTimeField(null=True, blank=True)
    legal_hold_reason = models.CharField(max_length=300, blank=True)
    legal_hold_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="closes_after_opening"
            ),
            models.CheckConstraint(
                condition=models.Q(anonymity_threshold__gte=MIN_THRESHOLD),
                name="anonymity_threshold_at_least_3",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment_detail", args=[self.network_id, self.pk])

    # Each kind of instrument and the field that holds it.
    INSTRUMENT_FIELDS = {Instrument.SCORECARD: "health_scorecard", Instrument.MATRIX: "matrix"}

    def instrument_of(self, kind: str) -> Instrument | None:
        return getattr(self, self.INSTRUMENT_FIELDS[kind])

    @property
    def instruments(self) -> list[Instrument]:
        return [i for i in (self.health_scorecard, self.matrix) if i is not None]

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.closed_at is None and self.opens_on <= today <= self.closes_on

    @property
    def closed_on(self):
        """The day the round really closed: the day it was closed early (never later
        than its closing date), or the closing date once that has passed; None while
        it is scheduled or open."""
        return self.closed_on_as_of(timezone.localdate())

    def closed_on_as_of(self, today):
        if self.closed_at is not None:
            return min(timezone.localdate(self.closed_at), self.closes_on)
        return self.closes_on if today > self.closes_on else None

    @property
    def is_on_legal_hold(self) -> bool:
        return bool(self.legal_hold_reason)

    @property
    def raw_data_deleted(self) -> bool:
        return self.raw_deleted_at is not None

    @property
    def status(self) -> str:
        today = timezone.localdate()
        if self.closed_at is not None or today > self.closes_on:
            return "closed"
        if today < self.opens_on:
            return "scheduled"
        return "open"


class CustomQuestion(models.Model):
    """A coordinator's own question for one round, reported apart from the standard
    scores and never mixed into them."""

    AGREEMENT = "agreement"
    TEXT = "text"
    KIND_CHOICES = [
        (AGREEMENT, gettext_lazy("Agree or disagree (1 to 5)")),
        (TEXT, gettext_lazy("Free text")),
    ]
    MAX_PER_ASSESSMENT = 10

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="custom_questions"
    )
    code = models.CharField(max_length=10)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="one_custom_code"),
        ]

    def __str__(self) -> str:
        return self.text


class Invitation(models.Model):
    """A member's personal link to one assessment. The link's token is never stored:
    only a random salt (from which the token is derived with the server's secret key)
    and the token's SHA-256, which is what a visit is matched on."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    OPENED = "opened"
    STARTED = "started"
    COMPLETED = "completed"
    OPTED_OUT = "opted_out"
    REVOKED = "revoked"
    STATUS_CHOICES = [
        (QUEUED, pgettext_lazy("invitation status", "Queued")),
        (SENDING, pgettext_lazy("invitation status", "Sending")),
        (SENT, pgettext_lazy("invitation status", "Sent")),
        (FAILED, pgettext_lazy("invitation status", "Failed")),
        (OPENED, pgettext_lazy("invitation status", "Opened")),
        (STARTED, pgettext_lazy("invitation status", "Started")),
        (COMPLETED, pgettext_lazy("invitation status", "Completed")),
        (OPTED_OUT, pgettext_lazy("invitation status", "Opted out")),
        (REVOKED, pgettext_lazy("invitation status", "Revoked")),
    ]
    # A link works in these states; later states (completed, opted out, revoked) end it.
    LIVE = (SENT, OPENED, STARTED, FAILED, QUEUED, SENDING)
    # A coordinator may pass the link on by hand only before the member has started.
    COPYABLE = (QUEUED, SENT, FAILED, OPENED)

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=QUEUED)
    token_salt = models.CharField(max_length=32, blank=True)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.CharField(max_length=300, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    link_copied_at = models.DateTimeField(null=True, blank=True)
    # The working link was copied by a coordinator rather than emailed: it works once.
    link_is_copy = models.BooleanField(default=False)
    # A copied link was used: whoever answers may not be the member (docs/privacy.md).
    copied_link_used_at = models.DateTimeField(null=True, blank=True)
    own_link_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["member__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "member"], name="one_invitation_each"),
        ]
        indexes = [models.Index(fields=["assessment", "status"])]

    def __str__(self) -> str:
        return f"{self.member} for {self.assessment}"

    # What a coordinator may do with an invitation, and why not when they may not. The
    # invitation list offers an action only when its refusal is empty and the service
    # refuses with the same words, so the page and the rule cannot drift apart. Each
    # reads `assessment`: load it with the invitation.

    @property
    def resend_refusal(self) -> str:
        """A resend emails a new link (the old one stops working); it is also how a
        revoked invitation is restored. Never when it would undo an answer or an opt-out,
        or send twice."""
        if self.status == self.COMPLETED:
            return gettext("This member has already answered: there is nothing to resend.")
        if self.status == self.OPTED_OUT:
            return gettext("This member chose not to take part, so they are not emailed again.")
        if self.status == self.SENDING:
            return gettext("This invitation is being sent right now. Try again in a minute.")
        if self.assessment.status == "closed":
            return gettext("This round has closed: extend it first, then resend.")
        return ""

    @property
    def revoke_refusal(self) -> str:
        if self.status == self.COMPLETED:
            # Revoking would drop a finished response from the counts without removing it.
            return gettext("This member has already answered, so their link is used up.")
        if self.status == self.REVOKED:
            return gettext("This link was already revoked.")
        return ""

    @property
    def copy_link_refusal(self) -> str:
        """Once the member has started, their link would show their answers (quality T1):
        it is theirs alone, also after a resend puts the invitation back in the queue."""
        if self.status not in self.COPYABLE or self.started_at is not None:
            return (
                "This member has started or finished, so their link is private to them. "
                "Use Resend to email them a new one."
            )
        if self.assessment.status == "closed":
            return "This round has closed, so the link would not work. Extend it first."
        return ""

    @property
    def can_resend(self) -> bool:
        return not self.resend_refusal

    @property
    def can_revoke(self) -> bool:
        return not self.revoke_refusal

    @property
    def can_copy_link(self) -> bool:
        return not self.copy_link_refusal


class ReminderSent(models.Model):
    """Claimed before a reminder is sent, so one slot never sends twice."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "days_before"], name="one_reminder_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation} reminded {self.days_before} days before closing"
