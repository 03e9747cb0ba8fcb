"""What the FHIR interface keeps of its own: integration clients, the identifiers senders
gave their ServiceRequests, and the messages back to the GP record waiting to be sent.

The referral itself lives in linkwork.referrals; nothing here copies a person's details.
"""

import uuid

from django.conf import settings
from django.db import models

# SMART v1 system scopes (https://hl7.org/fhir/smart-app-launch/1.0.0/scopes-and-launch-context.html).
SCOPES = (
    "system/ServiceRequest.write",
    "system/ServiceRequest.read",
    "system/Task.read",
    "system/Subscription.write",
    "system/Questionnaire.read",
    "system/QuestionnaireResponse.read",
)
# What a referrer's own API token may do on /fhir/ (a practice starting before it has a
# client of its own), and what a link worker's may.
REFERRER_SCOPES = (
    "system/ServiceRequest.write",
    "system/ServiceRequest.read",
    "system/Task.read",
    "system/Subscription.write",
    "system/Questionnaire.read",
)
CASE_WORKER_SCOPES = (
    "system/ServiceRequest.read",
    "system/Task.read",
    "system/Questionnaire.read",
    "system/QuestionnaireResponse.read",
)


class IntegrationClient(models.Model):
    """A GP system, a trust's integration engine or another platform, acting for one
    organisation. It signs in as its own service account (a referrer of that
    organisation, so the casework rules apply to it unchanged) with a hashed API token,
    and may do only what its scopes say."""

    name = models.CharField(max_length=100)
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="integration_clients"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integration_client"
    )
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # OAuth2 client credentials (POST /fhir/token): the id, and a SHA-256 digest of the
    # secret (shown once, like API tokens).
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    secret_digest = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class AccessToken(models.Model):
    """An OAuth2 access token issued to a client (digest only), with the scopes granted
    and an expiry."""

    client = models.ForeignKey(IntegrationClient, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Access token {self.pk} of client {self.client_id}"


class ReceivedRequest(models.Model):
    """A ServiceRequest as it arrived: the sender's identifier (a resend returns the same
    referral) and, when the sender revoked it, when."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.CASCADE, related_name="fhir_request"
    )
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT)
    identifier_system = models.CharField(max_length=200)
    identifier_value = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    via = models.CharField(max_length=16, default="rest")  # rest | transaction | message

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "identifier_system", "identifier_value"],
                name="fhir_request_identifier_once_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier_system}|{self.identifier_value}"


class ClosureMessage(models.Model):
    """The message back to the GP record, waiting for (or having had) delivery to the
    referrer's subscription. Filled when a referral is closed, declined or returned; the
    Bundle itself is built on read from the referral, so it is never stale."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="fhir_messages"
    )
    event = models.CharField(max_length=16)  # closed | declined | returned
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message back ({self.event}) for referral {self.referral_id}"


class Subscription(models.Model):
    """A FHIR R4 rest-hook Subscription of a client: Linkwork POSTs to `endpoint` when one
    of its referrals' Tasks changes (retrying with `linkwork deliver-fhir`)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fhir_subscriptions"
    )
    criteria = models.CharField(max_length=200)
    endpoint = models.URLField(max_length=500)
    header = models.CharField(max_length=500, blank=True)  # e.g. the receiver's own auth
    status = models.CharField(max_length=16, default="active")  # active | error | off
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Changes up to here were delivered; a failed delivery leaves it, so the next run
    # sends them again. After MAX_FAILURES in a row the subscription goes to error.
    delivered_up_to = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    MAX_FAILURES = 5

    def __str__(self) -> str:
        return f"Subscription {self.pk} ({self.status})"
