"""What members answer: a response per invitation, and its answers, comments, matrix
ratings and roster ties. Read only by the member who gave them and, as frames, by the
worker."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .assessments import Assessment, Invitation
from .networks import Member


class Response(models.Model):
    """One member's answers to one assessment. Coordinators see that it exists, never
    what it holds. The stakeholder group is copied at the start so later changes to
    the member record do not move past answers between groups."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    stakeholder_group = models.CharField(max_length=100)
    profile = models.JSONField(default=dict, blank=True)
    current_page = models.CharField(max_length=60, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The roster page was answered (continued from, with or without people chosen).
    roster_answered_at = models.DateTimeField(null=True, blank=True)
    # The member agreed to be shown by name on the network map this round; a tie is
    # drawn by name only when both its ends agreed.
    named_on_map = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["assessment", "submitted_at"])]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.assessment}"


class Answer(models.Model):
    """A number on a 1 to 5 scale; no value means "don't know"."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(max_length=20)
    value = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=1, value__lte=5),
                name="answer_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}={self.value}"


class TextAnswer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="texts")
    question = models.CharField(max_length=20)
    text = models.TextField(max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_text_per_question"),
        ]

    def __str__(self) -> str:
        return self.question


class MatrixRating(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.CharField(max_length=60)
    current = models.PositiveSmallIntegerField()
    target = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "dimension"], name="one_rating_per_dimension"
            ),
            models.CheckConstraint(
                condition=models.Q(current__gte=1, current__lte=5), name="current_level_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.current} -> {self.target}"


class Tie(models.Model):
    """One person a member chose on the roster ("worked with in the last six months"),
    and how closely. Read only by the member and, as counts, by the worker."""

    KNOW_OF = 1
    SHARE_INFORMATION = 2
    WORK_ON_SOMETHING = 3
    WORK_CLOSELY = 4
    CLOSENESS_CHOICES = [
        (KNOW_OF, gettext_lazy("We know of each other")),
        (SHARE_INFORMATION, gettext_lazy("We share information")),
        (WORK_ON_SOMETHING, gettext_lazy("We work together on something")),
        (WORK_CLOSELY, gettext_lazy("We work together closely")),
    ]
    # A member's roster answer holds at most this many people (a guard, not a norm).
    MAX_PER_RESPONSE = 200

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ties")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    # None until the member says how closely.
    closeness = models.PositiveSmallIntegerField(null=True, blank=True, choices=CLOSENESS_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "member"], name="one_tie_per_person"),
            models.CheckConstraint(
                condition=models.Q(closeness__isnull=True)
                | models.Q(closeness__gte=1, closeness__lte=4),
                name="closeness_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"Tie {self.pk}"
