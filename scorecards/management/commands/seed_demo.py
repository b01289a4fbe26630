"""Demo data for `make run` and benchmarks: a coordinator, a leader, and networks whose
past rounds put them clearly in each of the four stages. Safe to run again: what exists
is kept. `--members` and `--networks` make large data sets."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from meetings import room as meeting_room
from meetings import services as meeting_services
from scorecards.demo import demo_round_answers
from scorecards.models import Release
from scorecards.releases import release_make
from scorecards.selectors import latest_release
from surveys import services
from surveys.demo import NETWORKS, demo_people
from surveys.member_import import MemberRow
from surveys.models import (
    Instrument,
    Network,
    NetworkRole,
    User,
)

DEMO_EMAIL = "coordinator@demo.netassess.org"
DEMO_PASSWORD = "demo-coordinator-2026"
LEADER_EMAIL = "leader@demo.netassess.org"
LEADER_PASSWORD = "demo-leader-2026"
BATCH = 5000


class Command(BaseCommand):
    help = "Create the demo coordinator, leader, networks, members and past rounds (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=40, help="members per network")
        parser.add_argument("--networks", type=int, default=len(NETWORKS), help="how many networks")
        parser.add_argument("--no-rounds", action="store_true", help="members only, no answers")

    def handle(self, *args, members: int, networks: int, no_rounds: bool, **options):
        services.instruments_load()
        coordinator = self._user(DEMO_EMAIL, DEMO_PASSWORD, "Dana Coordinator")
        leader = self._user(LEADER_EMAIL, LEADER_PASSWORD, "Lee Leader")
        for index in range(networks):
            spec = dict(NETWORKS[index % len(NETWORKS)])
            if index >= len(NETWORKS):
                spec["name"] = f"{spec['name']} {index // len(NETWORKS) + 1}"
            network = self._network(spec, coordinator, leader)
            self._members(network, members, seed=index)
            if not no_rounds:
                self._rounds(network, spec, seed=index)
                if spec["story"] == "established" and index < len(NETWORKS):
                    self._meeting(network, coordinator)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {networks} networks."))
        self.stdout.write(f"  Coordinator: {DEMO_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write(f"  Leader:      {LEADER_EMAIL} / {LEADER_PASSWORD}")

    def _user(self, email: str, password: str, name: str) -> User:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": name, "is_active": True},
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        services.user_address_confirm(user=user)
        return user

    @transaction.atomic
    def _network(self, spec: dict, coordinator: User, leader: User) -> Network:
        network = Network.objects.filter(name=spec["name"]).first()
        if network is None:
            founded = timezone.localdate() - timedelta(days=round(spec["age_months"] * 30.44))
            network = services.network_create(
                user=coordinator,
                name=spec["name"],
                purpose=spec["purpose"],
                scope=spec["scope"],
                sponsor=spec["sponsor"],
                founded_on=founded,
            )
        NetworkRole.objects.get_or_create(
            network=network,
            email=leader.email,
            defaults={"user": leader, "role": NetworkRole.LEADER, "invited_by": coordinator},
        )
        return network

    def _members(self, network: Network, count: int, *, seed: int) -> None:
        people = demo_people(count, seed=seed)
        rows = [MemberRow(line=i + 2, **person) for i, person in enumerate(people)]
        services.members_import(network=network, rows=rows)

    def _rounds(self, network: Network, spec: dict, *, seed: int) -> None:
        scorecard = (
            Instrument.objects.filter(kind=Instrument.SCORECARD).order_by("-version").first()
        )
        matrix = Instrument.objects.filter(kind=Instrument.MATRIX).order_by("-version").first()
        today = timezone.localdate()
        for number, (months_ago, pct, level, rate, frequency) in enumerate(spec["rounds"]):
            closes_on = today - timedelta(days=round(months_ago * 30.44))
            title = f"{network.name}: {closes_on:%B %Y}"
            if network.assessments.filter(title=title).exists():
                continue
            with transaction.atomic():
                assessment = services.assessment_save(
                    network=network,
                    user=None,
                    **{
                        **services.assessment_defaults(network),
                        "title": title,
                        "health_scorecard": scorecard,
                        "matrix": matrix,
                        "opens_on": closes_on - timedelta(days=21),
                        "closes_on": closes_on,
                        "meeting_on": closes_on + timedelta(days=5),
                        "asks_roster": bool(spec.get("ties")),
                    },
                )
                demo_round_answers(
                    assessment,
                    pct,
                    level,
                    rate,
                    frequency,
                    seed=seed * 10 + number,
                    ties=spec.get("ties"),
                )
            release_make(assessment_id=assessment.pk, kind=Release.FINAL)
            self.stdout.write(f"  {title}: released")

    def _meeting(self, network: Network, coordinator: User) -> None:
        """A closed matrix meeting on the latest round: agreed levels (with the lowest
        view overridden, with a reason, where the group chose to) and actions."""
        assessment = network.assessments.order_by("-closes_on").first()
        if assessment is None or assessment.matrix is None or assessment.matrix_sessions.exists():
            return
        release = latest_release(assessment)
        medians = ((release.data.get("matrix") or {}).get("dimensions") or {}) if release else {}
        medians = {code: d for code, d in medians.items() if not d.get("withheld")}
        if not medians:  # too few answers (a small demo) to have a matrix picture
            return
        session = meeting_services.matrix_session_create(
            assessment=assessment,
            title="Steering-group matrix meeting",
            held_on=assessment.meeting_on or assessment.closes_on,
            tables=["Whole group"],
            user=coordinator,
        )
        meeting_services.matrix_session_start(session=session)
        table = session.tables.get()
        for number, (code, summary) in enumerate(medians.items()):
            level = int(summary["median_current"] or 1)
            proposal = meeting_room.table_proposal(session, table, code)
            reason = (
                "Most of the table recognised the higher level; the lowest view came from "
                "one member who joined this year."
                if proposal is not None and proposal.level != level
                else ""
            )
            meeting_services.agreed_level_record(
                session=session,
                table=table,
                dimension=code,
                level=level,
                target=min(5, level + 1),
                priority=number in (1, 6),
                override_reason=reason,
                user=coordinator,
            )
        due = (assessment.meeting_on or assessment.closes_on) + timedelta(days=60)
        for what, who, code in (
            ("Rotate the chair of the steering group each year", "Dana", "distributed_leadership"),
            ("Publish a one-page summary of outcomes for sponsors", "Sam", "outputs_impact"),
        ):
            meeting_services.action_add(
                session=session, what=what, who=who, due_on=due, dimension=code, user=coordinator
            )
        meeting_services.matrix_session_close(session=session)
        self.stdout.write(f"  {network.name}: matrix meeting recorded")
