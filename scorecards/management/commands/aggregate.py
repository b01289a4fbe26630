from django.core.management.base import BaseCommand, CommandError

from scorecards import selectors, services
from surveys.models import Assessment


class Command(BaseCommand):
    help = "Compute scorecards now: one assessment by id, every one behind, or --all."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", nargs="?", type=int)
        parser.add_argument("--all", action="store_true", help="every assessment with answers")

    def handle(self, *args, assessment_id=None, all=False, **options):
        if assessment_id is not None:
            if not Assessment.objects.filter(pk=assessment_id).exists():
                raise CommandError(f"No assessment with id {assessment_id}.")
            ids = [assessment_id]
        elif all:
            ids = list(
                Assessment.objects.filter(responses__submitted_at__isnull=False)
                .distinct()
                .values_list("pk", flat=True)
            )
        else:
            ids = selectors.assessments_behind()
        for pk in ids:
            scorecard = services.snapshot_compute(assessment_id=pk)
            self.stdout.write(
                f"  assessment {pk}: {scorecard.n_respondents} respondents, "
                f"stage {scorecard.stage or 'not shown'}, {scorecard.seconds:.2f} s"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} assessment(s) scored."))
