from django.db import models
from django.utils import timezone

from .assessments import Assessment


class RetentionWarning(models.Model):
    """One warning to a network's coordinators that a round's raw answers are due for
    deletion: claimed before it is sent, so each warning for a deletion date goes once.
    A new deletion date (the retention period changed, a legal hold lifted) is warned
    about afresh."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="retention_warnings"
    )
    due_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    # The day it was sent: the raw answers are deleted no sooner than a week after the
    # last warning, whatever the due date.
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "due_on", "days_before"], name="one_retention_warning"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: deletion on {self.due_on} warned {self.days_before} days before"
