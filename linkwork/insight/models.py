"""Models of the insight app: a table the demand statement reads instead of joining
referrals, their reasons and people (issue 19), kept by database triggers (`facts.py`)."""

from django.db import models


class ReferralFact(models.Model):
    """One row per referral (`term_id` NULL: "referred for anything") and one per
    referral × reason, with what the demand statement groups and filters by: the
    person, the LSOA they live in now, when the referral was received and its status.

    Written only by database triggers, in the same statement as the casework row it
    copies (referral, reason, person's area), so it can never disagree with casework
    (`insight.facts`; `rebuild_referral_facts()` after a load that bypasses triggers).
    No foreign keys: nothing here is read by the ORM, and the triggers delete the rows.
    """

    referral_id = models.BigIntegerField(db_index=True)
    term_id = models.BigIntegerField(null=True)
    person_id = models.BigIntegerField(db_index=True)
    lsoa_id = models.BigIntegerField(null=True)
    received_at = models.DateTimeField()
    status = models.CharField(max_length=16)

    class Meta:
        indexes = [
            # Covering on PostgreSQL (an index-only scan of the period); SQLite ignores
            # INCLUDE and reads the rows.
            models.Index(
                fields=["received_at"],
                include=["lsoa_id", "term_id", "person_id", "status"],
                name="referral_fact_received",
            ),
            # The LSOA level's demand groups by LSOA × term × person in this order, reading
            # the period's rows from the index alone (a stream; see queries/demand.py).
            models.Index(
                fields=["lsoa_id", "term_id", "person_id"],
                include=["received_at", "status"],
                name="referral_fact_area_term",
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.referral_id}, term {self.term_id}"
