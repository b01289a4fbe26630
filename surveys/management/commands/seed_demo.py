"""Demo data for `make run` and benchmarks. Safe to run again: what exists is kept."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from surveys import services
from surveys.demo import NETWORKS, demo_people
from surveys.member_import import MemberRow
from surveys.models import Network, NetworkRole, User

DEMO_EMAIL = "coordinator@demo.netassess.org"
DEMO_PASSWORD = "demo-coordinator-2026"
LEADER_EMAIL = "leader@demo.netassess.org"
LEADER_PASSWORD = "demo-leader-2026"


class Command(BaseCommand):
    help = "Create the demo coordinator, leader and networks with members (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=40, help="members per network")
        parser.add_argument("--networks", type=int, default=len(NETWORKS), help="how many networks")

    def handle(self, *args, members: int, networks: int, **options):
        coordinator = self._user(DEMO_EMAIL, DEMO_PASSWORD, "Dana Coordinator")
        leader = self._user(LEADER_EMAIL, LEADER_PASSWORD, "Lee Leader")
        for index in range(networks):
            spec = dict(NETWORKS[index % len(NETWORKS)])
            if index >= len(NETWORKS):
                spec["name"] = f"{spec['name']} {index // len(NETWORKS) + 1}"
            network = self._network(spec, coordinator, leader)
            self._members(network, members, seed=index)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {networks} networks."))
        self.stdout.write(f"  Coordinator: {DEMO_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write(f"  Leader:      {LEADER_EMAIL} / {LEADER_PASSWORD}")

    def _user(self, email: str, password: str, name: str) -> User:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": name, "email_confirmed_at": timezone.now(), "is_active": True},
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
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
