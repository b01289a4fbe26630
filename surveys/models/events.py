from django.conf import settings
from django.db import models

from .assessments import Assessment
from .networks import Member, Network


class Event(models.Model):
    """An append-only record of something done in a network: who, what, when. It never
    holds answers, tokens or addresses; what it is about is named by id."""

    MEMBER_ADDED = "member_added"
    MEMBER_EMAIL_CHANGED = "member_email_changed"
    LINK_COPIED = "link_copied"
    COPIED_LINK_USED = "copied_link_used"
    RELEASE_MADE = "release_made"
    KIND_CHOICES = [
        (MEMBER_ADDED, "Member added"),
        (MEMBER_EMAIL_CHANGED, "Member's address changed"),
        (LINK_COPIED, "Invitation link copied"),
        (COPIED_LINK_USED, "Copied link used"),
        (RELEASE_MADE, "Results released"),
    ]

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="events")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=KIND_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["network", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.network}"
