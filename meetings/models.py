"""The maturity-matrix meeting (framework section 5): sessions, tables, live ratings
from participants' phones, agreed levels and the actions taken home."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from surveys.models import Assessment, Member, NetworkRole


def role_name(role: NetworkRole) -> str:
    """A team member as named in the meeting pages: their name, else their address."""
    return (role.user.full_name if role.user else "") or role.email


def _level_check(field: str, *, nullable: bool = False) -> models.Q:
    on_scale = models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5})
    if nullable:
        on_scale |= models.Q(**{f"{field}__isnull": True})
    return on_scale


class MatrixSession(models.Model):
    """A face-to-face maturity-matrix meeting about one assessment: tables of 4 to 8
    people take each dimension in turn and agree a level. Participants' phones join
    with `code`, a short code read off a projector: it only lets them rate the
    dimension on screen while the meeting runs, so it is stored as it is (unlike
    tokens, which open private data)."""

    PLANNED = "planned"
    RUNNING = "running"
    CLOSED = "closed"
    STATUS_CHOICES = [
        (PLANNED, gettext_lazy("Planned")),
        (RUNNING, gettext_lazy("Running")),
        (CLOSED, gettext_lazy("Closed")),
    ]

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="matrix_sessions"
    )
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    facilitator_notes = models.TextField(blank=True, max_length=5000)
    code = models.CharField(max_length=12, unique=True)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=PLANNED)
    # The dimension on the facilitator's screen: the one participants' phones rate.
    current_dimension = models.CharField(max_length=60, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_running(self) -> bool:
        return self.status == self.RUNNING

    @property
    def is_closed(self) -> bool:
        return self.status == self.CLOSED


class MeetingTable(models.Model):
    """A table or sub-group of 4 to 8 people that agrees its own levels."""

    session = models.ForeignKey(MatrixSession, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "name"], name="one_table_name_per_session"),
        ]

    def __str__(self) -> str:
        return self.name


class LiveRating(models.Model):
    """One participant's view of one dimension, sent from their phone during the
    meeting. `participant_key` is a random key kept in their browser session: it
    names nobody, it only lets them change their own rating."""

    session = models.ForeignKey(
        MatrixSession, on_delete=models.CASCADE, related_name="live_ratings"
    )
    table = models.ForeignKey(MeetingTable, on_delete=models.CASCADE, related_name="live_ratings")
    dimension = models.CharField(max_length=60)
    participant_key = models.CharField(max_length=64)
    level = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "dimension", "participant_key"],
                name="one_live_rating_per_participant",
            ),
            models.CheckConstraint(condition=_level_check("level"), name="live_level_1_to_5"),
        ]
        indexes = [models.Index(fields=["session", "dimension"])]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.level}"


class AgreedLevel(models.Model):
    """What a table agreed for one dimension; `table` empty is the merged picture of
    the whole meeting (the lowest of the tables' levels), kept up to date by the
    service that records a table's level."""

    session = models.ForeignKey(
        MatrixSession, on_delete=models.CASCADE, related_name="agreed_levels"
    )
    table = models.ForeignKey(
        MeetingTable,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agreed_levels",
    )
    dimension = models.CharField(max_length=60)
    level = models.PositiveSmallIntegerField()
    # The lowest view when it was recorded; a different `level` needs a reason.
    proposed_level = models.PositiveSmallIntegerField(null=True, blank=True)
    override_reason = models.TextField(blank=True, max_length=2000)
    range_low = models.PositiveSmallIntegerField(null=True, blank=True)
    range_high = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=4000)
    target = models.PositiveSmallIntegerField(null=True, blank=True)
    priority = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            # Two partial constraints, because NULLs never clash in a unique index: the
            # merged row (no table) needs its own.
            models.UniqueConstraint(
                fields=["session", "table", "dimension"],
                condition=models.Q(table__isnull=False),
                name="one_agreed_level_per_table",
            ),
            models.UniqueConstraint(
                fields=["session", "dimension"],
                condition=models.Q(table__isnull=True),
                name="one_merged_level_per_dimension",
            ),
            models.CheckConstraint(condition=_level_check("level"), name="agreed_level_1_to_5"),
            models.CheckConstraint(
                condition=_level_check("proposed_level", nullable=True),
                name="proposed_level_1_to_5",
            ),
            models.CheckConstraint(
                condition=_level_check("target", nullable=True), name="target_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=_level_check("range_low", nullable=True), name="range_low_1_to_5"
            ),
            models.CheckConstraint(
                condition=_level_check("range_high", nullable=True), name="range_high_1_to_5"
            ),
            models.CheckConstraint(
                condition=models.Q(range_low__isnull=True)
                | models.Q(range_high__isnull=True)
                | models.Q(range_low__lte=models.F("range_high")),
                name="range_low_not_above_high",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.level}"

    @property
    def range(self) -> tuple[int, int] | None:
        if self.range_low is None or self.range_high is None:
            return None
        return (self.range_low, self.range_high)


class Action(models.Model):
    """A take-home action from a meeting: what, who, by when."""

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"
    STATUS_CHOICES = [
        (OPEN, gettext_lazy("Open")),
        (DONE, gettext_lazy("Done")),
        (DROPPED, gettext_lazy("Dropped")),
    ]

    session = models.ForeignKey(MatrixSession, on_delete=models.CASCADE, related_name="actions")
    dimension = models.CharField(max_length=60, blank=True)
    what = models.CharField(max_length=300)
    # A name typed in for someone on neither list; empty when an owner is chosen, so
    # the owner's name is read from their own row (and goes when they do).
    who = models.CharField(max_length=100, blank=True)
    # The owner, when chosen from the network's team or its member list: reminders go
    # to their address. Neither set means `who` is free text and nobody is emailed.
    owner_role = models.ForeignKey(
        NetworkRole, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    # The due date the owner was reminded of: claimed before sending, so one due date
    # is reminded once; a new due date can be reminded again.
    reminded_for = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=OPEN)
    # Made by the facilitator's browser, so an entry re-sent after a dropped
    # connection is stored once.
    client_ref = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "client_ref"],
                condition=~models.Q(client_ref=""),
                name="one_action_per_client_ref",
            ),
            models.CheckConstraint(
                condition=models.Q(owner_role__isnull=True) | models.Q(owner_member__isnull=True),
                name="action_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def owner_name(self) -> str:
        """Who will do it, as pages show it: the chosen owner's name, else the typed one."""
        if self.owner_role_id and self.owner_role is not None:
            return role_name(self.owner_role)
        if self.owner_member_id and self.owner_member is not None:
            return self.owner_member.name
        return self.who
