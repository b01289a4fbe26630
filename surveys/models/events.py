"""The audit trail (quality G2, docs/security.md): an append-only record of what was
done in a network, by whom, when and from which client address."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .assessments import Assessment
from .networks import Member, Network


class AppendOnly(Exception):
    """The audit trail is never changed: only a member's erasure clears their name."""


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs):
        raise AppendOnly("Events are append-only.")

    def delete(self):
        raise AppendOnly("Events are append-only.")

    def erasure_update(self, *, detail: str) -> int:
        """The one change ever made to an event: a member's erasure takes their name or
        address out of its detail (surveys.services.erasure)."""
        return super().update(detail=detail)


class Event(models.Model):
    """Something done in a network: who (actor), what (kind and a short detail that is
    never an answer, a token or text a member typed), when and from where (the client
    address of the request, none for the worker). What it is about is named by id: a
    round, a member, an account. Sign-ins belong to no network: a network's trail shows
    those of the accounts that hold a role on it."""

    # sign-in
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    # the team
    ROLE_INVITED = "role_invited"
    ROLE_REMOVED = "role_removed"
    NETWORK_EDITED = "network_edited"
    # members
    MEMBER_ADDED = "member_added"
    MEMBER_EDITED = "member_edited"
    MEMBER_EMAIL_CHANGED = "member_email_changed"
    MEMBER_REMOVED = "member_removed"
    MEMBERS_IMPORTED = "members_imported"
    MEMBER_UNSUBSCRIBED = "member_unsubscribed"
    MEMBER_ERASED = "member_erased"
    MEMBER_DATA_EXPORTED = "member_data_exported"
    # invitations
    INVITATIONS_SENT = "invitations_sent"
    INVITATION_RESENT = "invitation_resent"
    INVITATION_REVOKED = "invitation_revoked"
    LINK_COPIED = "link_copied"
    COPIED_LINK_USED = "copied_link_used"
    # results
    RELEASE_MADE = "release_made"
    RESULTS_EXPORTED = "results_exported"
    MEMBERS_EXPORTED = "members_exported"
    PACK_DOWNLOADED = "pack_downloaded"
    SHARE_LINK_MADE = "share_link_made"
    SHARE_LINK_USED = "share_link_used"
    SHARE_LINK_REVOKED = "share_link_revoked"
    SUMMARY_PUBLISHED = "summary_published"
    SUMMARY_SENT = "summary_sent"
    SUMMARY_REVOKED = "summary_revoked"
    # the meeting
    ACTION_ADDED = "action_added"
    ACTION_EDITED = "action_edited"
    # retention
    RETENTION_WARNING_SENT = "retention_warning_sent"
    RAW_DATA_DELETED = "raw_data_deleted"
    LEGAL_HOLD_PLACED = "legal_hold_placed"
    LEGAL_HOLD_LIFTED = "legal_hold_lifted"
    AUDIT_EXPORTED = "audit_exported"

    KIND_CHOICES = [
        (SIGNED_IN, _("Signed in")),
        (SIGN_IN_FAILED, _("Sign-in failed")),
        (ROLE_INVITED, _("Team role given")),
        (ROLE_REMOVED, _("Team role removed")),
        (NETWORK_EDITED, _("Network details changed")),
        (MEMBER_ADDED, _("Member added")),
        (MEMBER_EDITED, _("Member edited")),
        (MEMBER_EMAIL_CHANGED, _("Member's address changed")),
        (MEMBER_REMOVED, _("Member removed")),
        (MEMBERS_IMPORTED, _("Member list imported")),
        (MEMBER_UNSUBSCRIBED, _("Member unsubscribed")),
        (MEMBER_ERASED, _("Member erased")),
        (MEMBER_DATA_EXPORTED, _("Member's data exported (subject access)")),
        (INVITATIONS_SENT, _("Invitations sent")),
        (INVITATION_RESENT, _("Invitation resent")),
        (INVITATION_REVOKED, _("Invitation revoked")),
        (LINK_COPIED, _("Invitation link copied")),
        (COPIED_LINK_USED, _("Copied link used")),
        (RELEASE_MADE, _("Results released")),
        (RESULTS_EXPORTED, _("Results exported")),
        (MEMBERS_EXPORTED, _("Member list exported")),
        (PACK_DOWNLOADED, _("Pack downloaded as PDF")),
        (SHARE_LINK_MADE, _("Share link made")),
        (SHARE_LINK_USED, _("Share link used")),
        (SHARE_LINK_REVOKED, _("Share link revoked")),
        (SUMMARY_PUBLISHED, _("Members' summary published")),
        (SUMMARY_SENT, _("Members' summary emailed")),
        (SUMMARY_REVOKED, _("Members' summary revoked")),
        (ACTION_ADDED, _("Meeting action added")),
        (ACTION_EDITED, _("Meeting action edited")),
        (RETENTION_WARNING_SENT, _("Deletion warning sent")),
        (RAW_DATA_DELETED, _("Raw answers deleted (retention)")),
        (LEGAL_HOLD_PLACED, _("Legal hold placed")),
        (LEGAL_HOLD_LIFTED, _("Legal hold lifted")),
        (AUDIT_EXPORTED, _("Audit trail exported")),
    ]
    # Kinds that belong to an account rather than a network.
    ACCOUNT_KINDS = (SIGNED_IN, SIGN_IN_FAILED)

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The account an event is about: who signed in, or whose sign-in failed.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=KIND_CHOICES)
    detail = models.CharField(max_length=300, blank=True)
    address = models.GenericIPAddressField("client address", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["network", "kind", "created_at"]),
            models.Index(fields=["network", "created_at"]),
            models.Index(fields=["account", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.network or 'no network'}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnly("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Events are append-only.")
