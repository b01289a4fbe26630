from django.core.management.base import BaseCommand, CommandError

from scorecards import drawing, selectors, services
from scorecards.models import Release
from surveys.models import Assessment


class Command(BaseCommand):
    help = (
        "Compute snapshots now: one assessment by id, every one behind, or --all. With "
        "--charts, draw the charts of the latest releases again instead (after the chart "
        "code changed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", nargs="?", type=int)
        parser.add_argument("--all", action="store_true", help="every assessment with answers")
        parser.add_argument(
            "--charts", action="store_true", help="redraw charts only, whatever their key says"
        )

    def handle(self, *args, assessment_id=None, all=False, charts=False, **options):
        ids = self._ids(assessment_id, all, charts)
        if charts:
            for pk in ids:
                drawing.release_charts_redraw(assessment_id=pk, force=True)
            self.stdout.write(self.style.SUCCESS(f"Charts of {len(ids)} assessment(s) drawn."))
            return
        for pk in ids:
            snapshot = services.snapshot_compute(assessment_id=pk)
            if snapshot is None:
                self.stdout.write(f"  assessment {pk}: raw answers deleted (retention), skipped")
                continue
            self.stdout.write(
                f"  assessment {pk}: {snapshot.n_respondents} respondents, "
                f"stage {snapshot.stage or 'not shown'}, {snapshot.seconds:.2f} s"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} assessment(s) scored."))

    def _ids(self, assessment_id: int | None, every: bool, charts: bool) -> list[int]:
        if assessment_id is not None:
            if not Assessment.objects.filter(pk=assessment_id).exists():
                raise CommandError(f"No assessment with id {assessment_id}.")
            return [assessment_id]
        if charts:
            return list(Release.objects.values_list("assessment_id", flat=True).distinct())
        if every:
            return list(
                Assessment.objects.filter(responses__submitted_at__isnull=False)
                .distinct()
                .values_list("pk", flat=True)
            )
        return selectors.assessments_behind()
