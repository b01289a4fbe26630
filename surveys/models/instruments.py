from django.db import models


class Instrument(models.Model):
    """One version of an instrument, loaded from surveys/instruments/*.json. A loaded
    version never changes, so past rounds stay interpretable."""

    SCORECARD = "scorecard"
    MATRIX = "matrix"
    KIND_CHOICES = [(SCORECARD, "Network health scorecard"), (MATRIX, "Maturity matrix")]

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
