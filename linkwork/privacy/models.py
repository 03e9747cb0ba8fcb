"""That an erasure happened: kept for good, holding no personal data of the person."""

from django.db import models


class ErasureKind(models.TextChoices):
    REQUEST = "request", "The person's request (UK GDPR article 17)"
    RETENTION = "retention", "Retention period ended"


class Erasure(models.Model):
    """One person erased. `person_id` names the record that is now anonymous, so the same
    person is never erased twice and the insight can tell erased records apart."""

    person_id = models.BigIntegerField(unique=True)
    kind = models.CharField(max_length=16, choices=ErasureKind.choices)
    # Why, in the operator's words (a ticket number, "request by letter"); never a name.
    reason = models.CharField(max_length=500)
    by_id = models.BigIntegerField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    # How many rows of each kind were anonymised: {"referrals.Conversation": 2, ...}.
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Person {self.person_id} erased ({self.kind})"
