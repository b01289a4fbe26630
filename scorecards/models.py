from django.db import models

from surveys.models import Assessment


class SnapshotQuerySet(models.QuerySet["Snapshot"]):
    def latest_first(self) -> "SnapshotQuerySet":
        # Ordered by the data a snapshot was computed from, not by when it was saved, so
        # a slow run on older data can never replace a newer picture.
        return self.order_by("-source_count", "-source_updated_at", "-pk")


class Snapshot(models.Model):
    """What an assessment's answers mean, computed by a worker: internal, never shown.
    Readers see a `Release` made from it. Keyed on the data it was computed from, so
    recomputing the same data gives the same row."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="snapshots")
    data_key = models.CharField(max_length=64)
    source_count = models.PositiveIntegerField()
    source_updated_at = models.DateTimeField(null=True)
    computed_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)
    n_respondents = models.PositiveIntegerField()
    stage = models.CharField(max_length=20, blank=True)
    certainty = models.CharField(max_length=20, blank=True)  # clear, borderline, ...
    data = models.JSONField()
    # Every comment, apart from `data` (which holds the first few of each).
    comments = models.JSONField(default=dict, blank=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "data_key"], name="one_snapshot_per_data"
            ),
        ]
        indexes = [models.Index(fields=["assessment", "-source_count"])]

    def __str__(self) -> str:
        return f"Snapshot {self.pk} for {self.assessment} ({self.n_respondents} respondents)"


class ReleaseQuerySet(models.QuerySet["Release"]):
    def latest_first(self) -> "ReleaseQuerySet":
        return self.order_by("-number")

    def for_readers(self) -> "ReleaseQuerySet":
        """Without what only the audit reads, and without every comment."""
        return self.defer("respondents", "shown", "comments")


class Release(models.Model):
    """What coordinators, leaders, share-link holders and the meeting see of a round:
    an audited copy of a snapshot's results (docs/privacy.md). Made when the round
    closes, or earlier at the coordinator's request once enough new responses have
    come in; never changed afterwards except for its charts, which are drawn again
    when what they show beside it changes (the meeting's agreed levels, earlier
    rounds)."""

    FINAL = "final"
    INTERIM = "interim"
    KIND_CHOICES = [(FINAL, "At closing"), (INTERIM, "Interim")]

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    snapshot_key = models.CharField(max_length=64)
    n_respondents = models.PositiveIntegerField()
    stage = models.CharField(max_length=20, blank=True)
    certainty = models.CharField(max_length=20, blank=True)  # clear, borderline, ...
    # The published results (scorecards.scoring.shape.SnapshotData, with withheld cells).
    data = models.JSONField()
    comments = models.JSONField(default=dict, blank=True)
    # For the audit of later releases only, never shown: which responses this release
    # covered and which cells of each family it showed.
    respondents = models.JSONField(default=list)
    shown = models.JSONField(default=dict)
    # What readers should know about how the answers came in, and how much the audit
    # held back (counts only).
    integrity = models.JSONField(default=dict)
    audit = models.JSONField(default=dict)
    # The charts, drawn by the worker from `data` and what else they show (earlier
    # rounds, the meeting's agreed levels): by language (`{"en": [...], "cy": [...]}`),
    # each chart's figure, summary and table, in reading order
    # (scorecards.charts.StoredChart). Pages only read them, through
    # `selectors.charts_in`.
    charts = models.JSONField(default=dict, blank=True)
    # What the charts were drawn from, hashed: a redraw of the same inputs is skipped.
    charts_key = models.CharField(max_length=64, blank=True)
    charts_drawn_at = models.DateTimeField(null=True, blank=True)
    made_by = models.ForeignKey(
        "surveys.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_release_number"),
        ]

    def __str__(self) -> str:
        return f"Release {self.number} of {self.assessment}"


class ShareLink(models.Model):
    """Read-only access to one network's results for steering-group members without an
    account. Only a SHA-256 of the link's token is stored; the link is shown once when
    made. It stops working when it expires or is revoked."""

    network = models.ForeignKey(
        "surveys.Network", on_delete=models.CASCADE, related_name="share_links"
    )
    label = models.CharField(max_length=100, help_text="Who it is for, e.g. 'Steering group'.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        "surveys.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.network})"


class MemberSummary(models.Model):
    """A round's results for its members: a public page at an unguessable address,
    showing the headline of the round's latest release and the meeting's actions.
    Like a share link it is matched on a SHA-256 of its token and stops working when
    revoked; the token itself is derived from `token_salt` with the server's secret
    (surveys.tokens), so emails sent later can carry the link without storing it."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="member_summaries"
    )
    token_salt = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        "surveys.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Members' summary of {self.assessment}"


class SummaryEmail(models.Model):
    """One member told about one summary, at most once: the row is made when the
    coordinator sends, claimed just before the email leaves and marked after."""

    summary = models.ForeignKey(MemberSummary, on_delete=models.CASCADE, related_name="emails")
    member = models.ForeignKey("surveys.Member", on_delete=models.CASCADE, related_name="+")
    queued_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["summary", "member"], name="one_summary_email"),
        ]

    def __str__(self) -> str:
        return f"{self.summary} to member {self.member_id}"
