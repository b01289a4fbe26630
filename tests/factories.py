"""factory_boy factories: the people and things tests are about."""

from datetime import timedelta

import factory
from django.utils import timezone

from surveys import services, tokens
from surveys.models import Member, Network, NetworkRole, StakeholderGroup, User

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    is_active = True
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def confirmed(user, create, extracted, **kwargs):
        """The address is confirmed (allauth's EmailAddress), unless `confirmed=False`."""
        if create and extracted is not False:
            services.user_address_confirm(user=user)


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


# ---- assessments: a round, its invitations and responses ---------------------------


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An open round (opened a week ago, closing in two weeks). Instruments are left
    empty unless given: pass the `instruments` fixture's rows when a test needs them."""

    class Meta:
        model = "surveys.Assessment"

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Round {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    anonymity_threshold = 5
    invitation_subject = "Your views on the network"
    invitation_message = "Hello {name},\n\nPlease tell us how the network is doing."
    reminder_days = factory.LazyFunction(lambda: [7, 2])


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation with a working link, as `services.invitations_create` makes one."""

    class Meta:
        model = "surveys.Invitation"
        skip_postgeneration_save = True

    assessment = factory.SubFactory(AssessmentFactory)
    member = factory.SubFactory(
        MemberFactory, network=factory.SelfAttribute("..assessment.network")
    )
    status = "sent"
    sent_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def link(invitation, create, extracted, **kwargs):
        if not create or invitation.token_hash or invitation.status == "revoked":
            return
        invitation.token_salt = tokens.new_salt()
        invitation.token_hash = tokens.token_hash(
            tokens.token_for(invitation.pk, invitation.token_salt)
        )
        invitation.save(update_fields=["token_salt", "token_hash"])


class ResponseFactory(factory.django.DjangoModelFactory):
    """A member's response; mark the invitation completed yourself if it was submitted."""

    class Meta:
        model = "surveys.Response"

    invitation = factory.SubFactory(InvitationFactory)
    assessment = factory.LazyAttribute(lambda o: o.invitation.assessment)
    stakeholder_group = factory.LazyAttribute(lambda o: o.invitation.member.group.name)


class CustomQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.CustomQuestion"

    assessment = factory.SubFactory(AssessmentFactory)
    code = factory.Sequence(lambda n: f"X{n + 1}")
    kind = "agreement"
    text = factory.Sequence(lambda n: f"Our network's question number {n + 1} matters.")
