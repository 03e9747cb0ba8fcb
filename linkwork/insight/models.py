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


class SupplyFact(models.Model):
    """One row per published listing × area it serves × its category, for each level
    (`level` "lsoa" or "neighbourhood"; "" with no area for a borough-wide listing),
    with the listing's figures: what the supply statement adds up (issue 19).

    Kept by `insight.supply_facts`: triggers queue the listings a directory or geography
    write touches (`SupplyPending`) and the reader refreshes their rows before reading.
    `verified_at` (last verified, else created) is compared with the clock when read, so
    a listing turning stale needs no refresh. No foreign keys, as for `ReferralFact`.
    """

    level = models.CharField(max_length=16)
    area_id = models.BigIntegerField(null=True)
    term_id = models.BigIntegerField()
    asset_id = models.BigIntegerField(db_index=True)
    is_open = models.IntegerField()
    is_closed = models.IntegerField()  # full, waiting list or paused
    sessions = models.IntegerField()  # a year (weekly: 52 ÷ interval; monthly: 12 ÷ interval)
    open_sessions = models.IntegerField()  # a year; an open listing with no timetable: 52
    open_places = models.IntegerField()  # a week, when open
    verified_at = models.DateTimeField()

    class Meta:
        indexes = [
            # What a refresh adds up again: a level's rows in some areas.
            models.Index(
                fields=["level", "area_id", "term_id"],
                name="supply_fact_area",
            ),
            # What staleness counts: a level's rows verified before a time.
            models.Index(
                fields=["level", "verified_at"],
                include=["area_id", "term_id"],
                name="supply_fact_verified",
            ),
        ]

    def __str__(self) -> str:
        return f"listing {self.asset_id} in {self.level} {self.area_id}, term {self.term_id}"


class SupplyPending(models.Model):
    """A listing whose `SupplyFact` rows are out of date (queued by a trigger), or NULL:
    the geography changed, so every row is."""

    asset_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"listing {self.asset_id}" if self.asset_id else "every listing"


class SupplyTotal(models.Model):
    """`SupplyFact` added up per level × area × category, but for staleness (which moves
    with the clock: counted from `SupplyFact` when read). Kept with it by the refresh."""

    level = models.CharField(max_length=16)
    area_id = models.BigIntegerField(null=True)
    term_id = models.BigIntegerField()
    listings = models.IntegerField()
    open_listings = models.IntegerField()
    closed_listings = models.IntegerField()
    sessions = models.IntegerField()  # a year
    open_sessions = models.IntegerField()  # a year
    open_places = models.IntegerField()  # a week

    class Meta:
        indexes = [models.Index(fields=["level", "area_id"], name="supply_total_area")]

    def __str__(self) -> str:
        return f"{self.level} {self.area_id}, term {self.term_id}: {self.listings} listings"
