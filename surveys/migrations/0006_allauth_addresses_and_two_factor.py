"""Accounts move to django-allauth: whether an address is confirmed is now allauth's
EmailAddress.verified, so each account gets its address (confirmed if the old
`email_confirmed_at` said so) before that column goes. Accounts that signed up and
never confirmed were kept inactive until they did; allauth keeps them active and asks
for the confirmation at sign-in instead. A network can require two-factor sign-in."""

from django.db import migrations, models


def addresses_from_confirmations(apps, schema_editor):
    User = apps.get_model("surveys", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(
            user_id=user.pk,
            email=user.email,
            verified=user.email_confirmed_at is not None,
            primary=True,
        )
        for user in User.objects.exclude(pk__in=have).only("pk", "email", "email_confirmed_at")
    )
    User.objects.filter(email_confirmed_at__isnull=True, is_active=False).update(is_active=True)


def confirmations_from_addresses(apps, schema_editor):
    from django.utils import timezone

    User = apps.get_model("surveys", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    confirmed = EmailAddress.objects.filter(verified=True).values_list("user_id", flat=True)
    User.objects.filter(pk__in=confirmed).update(email_confirmed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0005_follow_up_codes_apart_from_statements"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(addresses_from_confirmations, confirmations_from_addresses),
        migrations.RemoveField(model_name="user", name="email_confirmed_at"),
        migrations.AddField(
            model_name="network",
            name="require_two_factor",
            field=models.BooleanField(
                default=False,
                help_text="Everyone with a role on this network (coordinators and leaders) must sign in with a second factor: an authenticator app or a passkey.",
                verbose_name="require two-factor sign-in",
            ),
        ),
    ]
