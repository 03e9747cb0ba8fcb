"""Roles and what each may do, as data (DESIGN.md §2).

A user holds roles through memberships of organisations. `has_permission` in
permissions.py is the only check; which objects a permission reaches is decided
by selectors (object scoping), not here.
"""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    REFERRER = "referrer"
    LINK_WORKER = "link_worker"
    # Runs a social prescribing service's team: invites, reassigns, sees the caseloads.
    SERVICE_MANAGER = "service_manager"
    GROUP = "group"
    RESIDENT = "resident"
    PANEL = "panel"
    COMMISSIONER = "commissioner"
    ADMIN = "admin"


class Perm(StrEnum):
    DIRECTORY_SEARCH = "directory.search"
    DIRECTORY_CURATE = "directory.curate"
    DIRECTORY_EDIT_OWN = "directory.edit_own"
    DIRECTORY_SUGGEST = "directory.suggest"
    DIRECTORY_VERIFY = "directory.verify"
    REFERRAL_CREATE = "referral.create"
    REFERRAL_VIEW_OWN = "referral.view_own"
    CASEWORK = "casework.manage"
    CONNECTION_RESPOND = "connection.respond"
    SELF_REFER = "referral.self"
    INTEREST_REGISTER = "community.register_interest"
    OWN_DATA = "accounts.own_data"
    INSIGHT_VIEW = "insight.view"
    EVALUATION_VIEW = "outcomes.evaluation"
    # A service's own outcomes: its link workers see the evaluation of their service only.
    EVALUATION_VIEW_OWN = "outcomes.evaluation_own"
    INVESTMENT_VIEW = "insight.investment"
    EXPORT_AGGREGATES = "insight.export"
    PANEL_DECIDE = "community.panel_decide"
    GRANT_APPLY = "community.grant_apply"
    GRANT_RECORD = "community.grant_record"
    EMERGING_GROUPS_VIEW = "community.emerging_groups"
    # Community development: close interests, take an emerging group to a new group.
    INTEREST_MANAGE = "community.interest_manage"
    # Citizen asset mapping: tell Linkwork about an asset you know (reviewed before use).
    ASSET_MAP = "community.asset_map"
    # The VCFSE network's noticeboard: read and post (moderated), and moderate it.
    NETWORK_POST = "community.network_post"
    NETWORK_MODERATE = "community.network_moderate"
    AUDIT_VIEW = "audit.view"
    ADMINISTER = "accounts.administer"
    # Teams run themselves (accounts/team/): who invites whom is INVITES below.
    TEAM_INVITE = "accounts.team_invite"
    TEAM_CASELOADS = "accounts.team_caseloads"
    ORGANISATION_CREATE = "directory.organisation_create"


@dataclass(frozen=True)
class RoleInfo:
    label: str
    home_url_name: str
    summary: str
    permissions: frozenset[Perm]


ROLES: dict[Role, RoleInfo] = {
    Role.REFERRER: RoleInfo(
        label="Referrer",
        home_url_name="home-referrer",
        summary="Refer people to social prescribing and hear what happened.",
        permissions=frozenset(
            {Perm.DIRECTORY_SEARCH, Perm.REFERRAL_CREATE, Perm.REFERRAL_VIEW_OWN}
        ),
    ),
    Role.LINK_WORKER: RoleInfo(
        label="Link worker",
        home_url_name="home-link-worker",
        summary="Triage referrals, hold a caseload and connect people to community groups.",
        permissions=frozenset(
            {
                Perm.DIRECTORY_SEARCH,
                Perm.DIRECTORY_CURATE,
                Perm.DIRECTORY_VERIFY,
                Perm.REFERRAL_CREATE,
                Perm.CASEWORK,
                Perm.EVALUATION_VIEW_OWN,
                Perm.INTEREST_REGISTER,
                Perm.EMERGING_GROUPS_VIEW,
                Perm.INTEREST_MANAGE,
                Perm.NETWORK_POST,
                Perm.ORGANISATION_CREATE,
            }
        ),
    ),
    Role.SERVICE_MANAGER: RoleInfo(
        label="Service manager",
        home_url_name="home-service-manager",
        summary="Run your team: invite link workers, share out cases and see overdue work.",
        permissions=frozenset(
            {
                Perm.DIRECTORY_SEARCH,
                Perm.TEAM_INVITE,
                Perm.TEAM_CASELOADS,
                Perm.ORGANISATION_CREATE,
            }
        ),
    ),
    Role.GROUP: RoleInfo(
        label="Community group",
        home_url_name="home-group",
        summary="Keep your listings fresh, set your capacity and answer referrals.",
        permissions=frozenset(
            {
                Perm.DIRECTORY_SEARCH,
                Perm.DIRECTORY_EDIT_OWN,
                Perm.CONNECTION_RESPOND,
                Perm.GRANT_APPLY,
                Perm.NETWORK_POST,
                Perm.TEAM_INVITE,
            }
        ),
    ),
    Role.RESIDENT: RoleInfo(
        label="Resident",
        home_url_name="home-resident",
        summary="Find local activities and support, refer yourself and say what is missing.",
        permissions=frozenset(
            {
                Perm.DIRECTORY_SEARCH,
                Perm.DIRECTORY_SUGGEST,
                Perm.SELF_REFER,
                Perm.INTEREST_REGISTER,
                Perm.OWN_DATA,
                Perm.ASSET_MAP,
            }
        ),
    ),
    Role.PANEL: RoleInfo(
        label="Community panel",
        home_url_name="home-panel",
        summary="Verify listings, see what your neighbourhood needs and record decisions.",
        permissions=frozenset(
            {
                Perm.DIRECTORY_SEARCH,
                Perm.DIRECTORY_VERIFY,
                Perm.INSIGHT_VIEW,
                Perm.PANEL_DECIDE,
                Perm.EMERGING_GROUPS_VIEW,
                Perm.ASSET_MAP,
            }
        ),
    ),
    Role.COMMISSIONER: RoleInfo(
        label="Commissioner",
        home_url_name="home-commissioner",
        summary="See de-identified insight, evaluation and where investment is needed.",
        permissions=frozenset(
            {
                Perm.DIRECTORY_SEARCH,
                Perm.INSIGHT_VIEW,
                Perm.EVALUATION_VIEW,
                Perm.INVESTMENT_VIEW,
                Perm.EXPORT_AGGREGATES,
                Perm.EMERGING_GROUPS_VIEW,
                Perm.GRANT_RECORD,
            }
        ),
    ),
    Role.ADMIN: RoleInfo(
        label="Administrator",
        home_url_name="home-admin",
        summary="Run the deployment: people's accounts, organisations, taxonomy and the audit log.",
        permissions=frozenset(
            {
                Perm.DIRECTORY_SEARCH,
                Perm.DIRECTORY_CURATE,
                Perm.AUDIT_VIEW,
                Perm.ADMINISTER,
                Perm.GRANT_RECORD,
                Perm.NETWORK_POST,
                Perm.NETWORK_MODERATE,
                Perm.TEAM_INVITE,
                Perm.TEAM_CASELOADS,
                Perm.ORGANISATION_CREATE,
            }
        ),
    ),
}

# Admins act across the whole deployment; every other role is scoped to its organisation.
DEPLOYMENT_WIDE_ROLES = frozenset({Role.ADMIN})


# Who may invite whom into the organisation where they hold their role. A group's first
# member is invited by a link worker (FIRST_MEMBER_INVITES); from then on they invite the
# others themselves.
INVITES: dict[Role, frozenset[Role]] = {
    Role.SERVICE_MANAGER: frozenset({Role.LINK_WORKER, Role.SERVICE_MANAGER}),
    Role.GROUP: frozenset({Role.GROUP}),
    Role.ADMIN: frozenset(set(Role) - {Role.RESIDENT}),
}
FIRST_MEMBER_INVITES: dict[Role, frozenset[Role]] = {
    Role.LINK_WORKER: frozenset({Role.GROUP}),
    Role.SERVICE_MANAGER: frozenset({Role.GROUP}),
    Role.ADMIN: frozenset(set(Role) - {Role.RESIDENT}),
}


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, info.label) for role, info in ROLES.items()]
