"""factory_boy factories: the people and things tests are about."""

import factory
from django.utils import timezone

from surveys import services
from surveys.models import Member, Network, NetworkRole, StakeholderGroup, User

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    is_active = True
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)


class NetworkFactory(factory.django.DjangoModelFactory):
    """A network made the way the product makes one: through the service, so it has
    its coordinator and default groups."""

    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Improvement Network {n}")
    purpose = "Better care through shared learning."
    coordinator = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, coordinator: User, **kwargs):
        return services.network_create(user=coordinator, **kwargs)


def add_role(network: Network, user: User, role: str = NetworkRole.LEADER) -> NetworkRole:
    return NetworkRole.objects.create(network=network, user=user, email=user.email, role=role)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    network = factory.SubFactory(NetworkFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    group = factory.LazyAttribute(lambda o: o.network.groups.order_by("position").first())
    organisation = "City Hospital"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderGroup

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
