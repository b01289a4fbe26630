from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

RETENTION_MONTHS = (6, 120)


def default_retention_months() -> int:
    """A new network's retention period: DEFAULT_RETENTION_MONTHS, within 6 to 120."""
    low, high = RETENTION_MONTHS
    return min(max(settings.DEFAULT_RETENTION_MONTHS, low), high)


class Network(models.Model):
    name = models.CharField(max_length=200)
    purpose = models.TextField(
        "purpose statement", blank=True, help_text="What the network exists to achieve."
    )
    founded_on = models.DateField(
        "date founded", null=True, blank=True, help_text="Used to judge the network's stage."
    )
    scope = models.CharField(
        "scope or geography",
        max_length=200,
        blank=True,
        help_text="For example: North West England.",
    )
    sponsor = models.CharField(
        max_length=200, blank=True, help_text="The organisation that hosts or funds the network."
    )
    retention_months = models.PositiveSmallIntegerField(
        "keep raw answers for (months)",
        default=default_retention_months,
        validators=[MinValueValidator(RETENTION_MONTHS[0]), MaxValueValidator(RETENTION_MONTHS[1])],
        help_text=(
            "Counted from the day each round closed. After that the members' raw answers and "
            "invitations are deleted; the released results stay. 6 to 120 months."
        ),
    )
    require_two_factor = models.BooleanField(
        "require two-factor sign-in",
        default=False,
        help_text="Everyone with a role on this network (coordinators and leaders) must "
        "sign in with a second factor: an authenticator app or a passkey.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retention_months__gte=6, retention_months__lte=120),
                name="retention_6_to_120_months",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network_detail", args=[self.pk])


class NetworkRole(models.Model):
    """A person's role on one network. Invited people have an email and no user until
    they sign in with that address, when the role is claimed."""

    COORDINATOR = "coordinator"
    LEADER = "leader"
    ROLE_CHOICES = [
        (COORDINATOR, "Coordinator (runs assessments, keeps the member list)"),
        (LEADER, "Leader (reads results, read-only)"),
    ]

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_roles",
    )
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "email"], name="one_role_per_email"),
        ]
        ordering = ["role", "email"]

    def __str__(self) -> str:
        return f"{self.email} ({self.role}) on {self.network}"


class StakeholderGroup(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint("network", Lower("name"), name="unique_group_name_per_network"),
        ]
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(models.QuerySet["Member"]):
    def current(self) -> "MemberQuerySet":
        return self.filter(removed_at__isnull=True)

    def emailable(self) -> "MemberQuerySet":
        return self.current().filter(unsubscribed_at__isnull=True)

    def on_roster(self) -> "MemberQuerySet":
        """Whom the roster question offers: current members who have not left it and
        whom the coordinator has not left off."""
        return self.current().filter(left_roster_at__isnull=True, off_roster=False)


class Member(models.Model):
    """Someone in the network who is asked to answer. Members have no account.
    Removal is soft so past rounds keep their respondents; removed members are never
    invited and their links stop working."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name="stakeholder group",
    )
    organisation = models.CharField(max_length=200, blank=True)
    # The language the member chose (README: Languages): their emails and survey pages
    # use it; choosing another on a survey page records that one instead.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Off the roster: their name is not offered to others on the roster question (the
    # member's own choice, kept across rounds), or the coordinator left them off.
    left_roster_at = models.DateTimeField(null=True, blank=True)
    off_roster = models.BooleanField(
        "leave off the roster",
        default=False,
        help_text="Not offered to others on the question of who works with whom.",
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    # Erased at the member's request (docs/retention.md): no name, address or
    # organisation is left; the row stays only while invitations point at it.
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "email"], name="one_member_per_email"),
        ]
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_on_roster(self) -> bool:
        return self.left_roster_at is None and not self.off_roster and self.removed_at is None

    @property
    def is_unsubscribed(self) -> bool:
        return self.unsubscribed_at is not None
