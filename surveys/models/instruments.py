from django.db import models
from django.utils.translation import gettext_lazy as _


class Instrument(models.Model):
    """One version of an instrument, loaded from surveys/instruments/*.json. A loaded
    version never changes, so past rounds stay interpretable."""

    SCORECARD = "scorecard"
    MATRIX = "matrix"
    KIND_CHOICES = [(SCORECARD, _("Network health scorecard")), (MATRIX, _("Maturity matrix"))]

    code = models.SlugField(max_length=60)
    version = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    title = models.CharField(max_length=200)
    definition = models.JSONField()
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="one_instrument_version"),
        ]
        ordering = ["kind", "code", "-version"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def minutes(self) -> int | None:
        return self.definition.get("minutes")

    @property
    def answering_minutes(self) -> int | None:
        """How long a member spends answering it. The scorecard's `minutes` is that;
        the matrix's is the length of the group meeting (90 to 120), not the time a
        member takes to rate its dimensions in the survey, so it has none to offer."""
        return self.minutes if self.kind == "scorecard" else None

    @property
    def dimension_count(self) -> int:
        return len(self.definition.get("dimensions", []))
