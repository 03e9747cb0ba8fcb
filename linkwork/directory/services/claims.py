"""Claims ("this is our group") and reports ("this listing is wrong")."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.accounts.services import grant_role
from linkwork.audit.services import record_event
from linkwork.directory.models import (
    Asset,
    ListingClaim,
    ListingReport,
    OrganisationKind,
)
from linkwork.directory.services.listings import ensure_organisation
from linkwork.errors import Conflict, InvalidInput
from linkwork.notifications.models import Kind
from linkwork.notifications.services import notify_organisation

# --- Claims and reports --------------------------------------------------------------


@transaction.atomic
def claim_listing(*, asset: Asset, role_in_group: str, by: AbstractBaseUser) -> ListingClaim:
    """Ask to keep a listing up to date. One open claim per person per listing."""
    if not role_in_group.strip():
        raise InvalidInput({"role_in_group": "Say what you do in the group."})
    if asset.claims.filter(claimant=by, status=ListingClaim.Status.PENDING).exists():
        raise Conflict("You have already asked to manage this listing.", current_state="pending")
    claim = ListingClaim.objects.create(
        asset=asset, claimant=by, role_in_group=role_in_group.strip()
    )
    record_event(by=by, action="listing_claimed", object_type="asset", object_id=asset.pk)
    return claim


@transaction.atomic
def decide_claim(*, claim: ListingClaim, approve: bool, by: AbstractBaseUser) -> ListingClaim:
    """Approve (the claimant becomes a group member of the listing's organisation) or reject."""

    claim = ListingClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ListingClaim.Status.PENDING:
        raise Conflict("This claim has already been decided.", current_state=claim.status)
    claim.status = ListingClaim.Status.APPROVED if approve else ListingClaim.Status.REJECTED
    claim.decided_by, claim.decided_at = by, timezone.now()
    claim.save()
    if approve:
        asset = claim.asset
        if asset.organisation is None:
            asset.organisation = ensure_organisation(
                name=asset.name, kind=OrganisationKind.UNCONSTITUTED_GROUP, by=by
            )
            asset.save(update_fields=["organisation", "updated_at"])
        grant_role(user=claim.claimant, organisation=asset.organisation, role=Role.GROUP, by=by)
    record_event(
        by=by,
        action="listing_claim_decided",
        object_type="listing_claim",
        object_id=claim.pk,
        summary=f"status={claim.status} asset={claim.asset_id}",
    )
    return claim


@transaction.atomic
def report_listing(
    *, asset: Asset, problem: str, details: str = "", by: AbstractBaseUser
) -> ListingReport:
    """ "This has closed / details are wrong": reaches the owner and the review queue."""

    if problem not in ListingReport.Problem.values:
        raise InvalidInput({"problem": "Choose what is wrong."})
    report = ListingReport.objects.create(
        asset=asset, problem=problem, details=details.strip(), reported_by=by
    )
    if asset.organisation_id:
        notify_organisation(
            organisation=asset.organisation,
            kind=Kind.LISTING_DUE,
            subject="Someone reported a problem with your Linkwork listing",
            body=(
                f"A link worker said of \u201c{asset.name}\u201d: "
                f"{ListingReport.Problem(problem).label.lower()}. "
                "Sign in to Linkwork to check and update the listing."
            ),
        )
    record_event(
        by=by,
        action="listing_reported",
        object_type="asset",
        object_id=asset.pk,
        summary=f"problem={problem}",
    )
    return report


@transaction.atomic
def resolve_report(*, report: ListingReport, by: AbstractBaseUser) -> ListingReport:
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.save(update_fields=["resolved_at"])
        record_event(
            by=by,
            action="listing_report_resolved",
            object_type="listing_report",
            object_id=report.pk,
        )
    return report
