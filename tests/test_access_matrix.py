"""Every URL and API route × every role, against a table of expected outcomes.

A route that is added without a row here fails `test_every_route_has_a_row`, so
nobody can add a page or endpoint without saying who may use it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from linkwork.accounts.roles import Role
from linkwork.api import api

ANON = "anonymous"
ALL = [ANON, *Role]
SIGN_IN = 302  # anonymous visitors are sent to sign in

# Placeholder values for routes that take parameters.
URL_KWARGS = {"password_reset_confirm": {"uidb64": "MQ", "token": "set-password"}}
# Directory pages that take an asset, claim or report id: one that exists for nobody.
for _name in (
    "asset-detail",
    "asset-edit",
    "asset-edit-check",
    "asset-capacity",
    "asset-verify",
    "asset-claim",
    "asset-report",
    "asset-note",
    "review-listing",
    "review-claim",
    "review-report",
):
    URL_KWARGS[_name] = {"pk": 999999}
# Open Referral UK records by id: a uuid that names nothing, and a path the feed lacks.
for _name in (
    "openreferral-service",
    "openreferral-service-at-location",
    "openreferral-organization",
    "openreferral-taxonomy",
    "openreferral-taxonomy-term",
):
    URL_KWARGS[_name] = {"id": "00000000-0000-4000-8000-000000000000"}
URL_KWARGS["openreferral-not-found"] = {"path": "no-such-endpoint"}
# FHIR resources by id: ids that name nothing. /fhir/ takes bearer tokens only, so a
# signed-in session is as good as nothing there (401) except on the public resources.
_NOBODY = "00000000-0000-4000-8000-000000000000"
for _name in ("fhir-service-request", "fhir-closure"):
    URL_KWARGS[_name] = {"referral_id": _NOBODY}
URL_KWARGS["fhir-task"] = {"task_id": _NOBODY}
URL_KWARGS["fhir-bundle"] = {"bundle_id": f"closure-{_NOBODY}"}
for _name in ("fhir-healthcare-service", "fhir-organization", "fhir-location"):
    URL_KWARGS[_name] = {"resource_id": _NOBODY}
URL_KWARGS["fhir-questionnaire"] = {"questionnaire_id": "ucla3"}
URL_KWARGS["fhir-subscription"] = {"subscription_id": "999999"}
URL_KWARGS["fhir-not-found"] = {"path": "Patient"}
URL_KWARGS["fhir-questionnaire-response"] = {"response_id": "999999"}
# The link worker's case page and its actions: a referral, connection and follow-up that
# exist for nobody.
URL_KWARGS["referral-detail"] = {"pk": 999999}
URL_KWARGS["subject-access"] = {"pk": 999999}
URL_KWARGS["your-data-withdraw"] = {"pk": 999999}
for _name in (
    "casework-accept",
    "casework-transition",
    "casework-conversation",
    "casework-plan",
    "casework-connection-propose",
    "casework-unmet-need",
    "casework-consent-withdraw",
    "casework-note",
    "casework-close-no-answer",
):
    URL_KWARGS[_name] = {"pk": 999999}
for _name in (
    "casework-connection-send",
    "casework-connection-instead",
    "casework-connection-attendance",
    "casework-connection-withdraw",
    "casework-prescription",
    "casework-prescription-send",
    "casework-session-reminder",
):
    URL_KWARGS[_name] = {"pk": 999999, "cid": 999999}
URL_KWARGS["casework-follow-up-complete"] = {"pk": 999999, "fid": 999999}
URL_KWARGS["casework-duplicate-same"] = {"pk": 999999, "person_id": 999999}
URL_KWARGS["casework-duplicate-different"] = {"pk": 999999, "person_id": 999999}
URL_KWARGS["casework-merge-undo"] = {"pk": 999999, "merge_id": 999999}
URL_KWARGS["casework-referral-details"] = {"pk": 999999}
# Teams: an invitation nobody holds, a link nobody was sent, a referral of nobody's.
URL_KWARGS["team-invitation-withdraw"] = {"pk": 999999}
URL_KWARGS["team-reassign"] = {"pk": 999999}
URL_KWARGS["invitation"] = {"token": "no-such-invitation"}
# Outcomes of a referral that exists for nobody; a questionnaire link nobody was sent.
for _name in ("outcomes-case", "outcomes-other", "outcomes-link"):
    URL_KWARGS[_name] = {"pk": 999999}
URL_KWARGS["outcomes-record"] = {"pk": 999999, "code": "swemwbs"}
URL_KWARGS["questionnaire"] = {"token": "no-such-token"}
# A referral that exists for nobody: a referrer may look, and finds nothing.
URL_KWARGS["referral-status"] = {"pk": 999999}
# A feedback link that was never sent: anyone may follow one, and this one is unknown.
URL_KWARGS["person-feedback"] = {"token": "no-such-token"}
# The same links' short forms, sent by text message.
URL_KWARGS["person-feedback-short"] = {"token": "no-such-token"}
URL_KWARGS["person-feedback-easy-read"] = {"token": "no-such-token"}
URL_KWARGS["questionnaire-short"] = {"token": "no-such-token"}
# Neighbourhood insight: an area code that names nothing; one CSV table.
URL_KWARGS["insight-area"] = {"code": "NO-SUCH-AREA"}
URL_KWARGS["neighbourhood-profile"] = {"code": "NO-SUCH-AREA"}
URL_KWARGS["insight-download"] = {"table": "gaps"}
# Panels, meetings and priorities that exist for nobody; an unknown neighbourhood.
for _name in (
    "panel-home",
    "panel-decisions",
    "panel-meeting-new",
    "panel-priority-new",
    "panel-membership",
):
    URL_KWARGS[_name] = {"pk": 999999}
URL_KWARGS["panel-meeting"] = {"pk": 999999, "mid": 999999}
URL_KWARGS["group-start"] = {"pk": 999999}
for _name in (
    "mapping-walk",
    "mapping-review-decide",
    "mapping-photo",
    "network-notice",
    "network-moderate",
):
    URL_KWARGS[_name] = {"pk": 999999}
URL_KWARGS["panel-priority-settle"] = {"pk": 999999, "mid": 999999, "priority_id": 999999}
URL_KWARGS["neighbourhood-decisions"] = {"code": "NO-SUCH-AREA"}
# A community group's answers to a connection: a connection id that exists for nobody.
for _name in (
    "group-connection-accept",
    "group-connection-waitlist",
    "group-connection-decline",
    "group-connection-attended",
    "group-connection-did-not-start",
    "group-connection-attending",
    "group-connection-completed",
    "group-connection-stopped",
    "group-connection-feedback",
):
    URL_KWARGS[_name] = {"pk": 999999}
# Funding: a round, application or statement that exists for nobody.
for _name in (
    "funding-round",
    "funding-round-manage",
    "funding-round-transition",
    "funding-round-payments-csv",
    "funding-apply",
    "funding-application",
    "funding-application-check",
    "funding-application-conflict",
    "funding-application-score",
    "funding-application-decision",
    "funding-application-payment",
    "funding-application-report",
    "funding-statement-approve",
    "funding-statement-paid",
):
    URL_KWARGS[_name] = {"pk": 999999}


def public(status: int = 200) -> dict:
    return dict.fromkeys(ALL, status)


def only(*roles: Role) -> dict:
    """Pages for some roles: others get 403, anonymous visitors are sent to sign in."""
    return {ANON: SIGN_IN, **{role: 200 if role in roles else 403 for role in Role}}


def signed_in(status: int) -> dict:
    return {ANON: SIGN_IN, **dict.fromkeys(Role, status)}


def guarded(allowed: dict[Role, int]) -> dict:
    """Anonymous visitors sign in; the roles listed get their status; the rest get 403."""
    return {ANON: SIGN_IN, **{role: allowed.get(role, 403) for role in Role}}


KEEPS_LISTINGS = (Role.GROUP, Role.LINK_WORKER, Role.RESIDENT, Role.ADMIN)
VERIFIES = (Role.LINK_WORKER, Role.PANEL)
CURATES = (Role.LINK_WORKER, Role.ADMIN)
FUNDS = (Role.COMMISSIONER, Role.ADMIN)


PAGES: dict[str, dict] = {
    "healthz": public(),
    "readyz": public(),
    "landing": public(),
    "login": {ANON: 200, **dict.fromkeys(Role, 302)},  # signed-in people go to their home
    "logout": public(405),  # sign out is a POST (tested separately)
    "password_reset": public(),
    # Two-factor sign-in: a session that owes nothing is sent on from the code pages;
    # anyone signed in may set up an authenticator; new recovery codes are POST only.
    "mfa-verify": signed_in(302),
    "mfa-recovery": signed_in(302),
    "mfa-setup": signed_in(200),
    "mfa-recovery-codes": public(405),
    # Data rights: administrators answer subject access requests (a person that exists for
    # nobody is a 404); residents see and download their own data.
    "data-rights": only(Role.ADMIN),
    "subject-access": guarded({Role.ADMIN: 404}),
    "your-data": only(Role.RESIDENT),
    "your-data-withdraw": public(405),
    "password_reset_done": public(),
    "password_reset_confirm": public(),
    "password_reset_complete": public(),
    "home": signed_in(302),  # each role is sent to its own home
    "home-referrer": only(Role.REFERRER),
    "home-link-worker": only(Role.LINK_WORKER),
    "home-service-manager": only(Role.SERVICE_MANAGER),
    "home-group": only(Role.GROUP),
    "home-resident": only(Role.RESIDENT),
    "home-panel": only(Role.PANEL),
    "home-commissioner": only(Role.COMMISSIONER),
    "home-admin": only(Role.ADMIN),
    "audit-events": only(Role.ADMIN),
    # Teams run themselves: those who invite into their organisation see its team; service
    # managers (and admins) its caseloads. Invitation links need no sign-in.
    "team": only(Role.SERVICE_MANAGER, Role.GROUP, Role.ADMIN),
    "team-invite": signed_in(405),
    "team-invitation-withdraw": signed_in(405),
    "team-cases": only(Role.SERVICE_MANAGER, Role.ADMIN),
    "team-reassign": guarded({Role.SERVICE_MANAGER: 405, Role.ADMIN: 405}),
    "invitation": public(404),
    "organisation-new": only(Role.LINK_WORKER, Role.SERVICE_MANAGER, Role.ADMIN),
    "hsds-datapackage": only(Role.ADMIN),
    # Django's admin site: staff only; everyone else is sent to its sign-in page.
    "admin:index": {**public(302), Role.ADMIN: 200},
    # Directory. POST-only actions answer GET with 405 once the permission check passes.
    "directory": public(),
    "asset-new": only(*KEEPS_LISTINGS),
    "asset-new-check": guarded(dict.fromkeys(KEEPS_LISTINGS, 302)),  # no draft: to the form
    "asset-detail": public(404),
    "asset-edit": signed_in(404),
    "asset-edit-check": signed_in(404),
    "directory-this-week": public(),
    "asset-capacity": signed_in(405),
    "asset-verify": signed_in(405),
    "asset-claim": signed_in(404),
    "asset-report": guarded(dict.fromkeys(VERIFIES, 404)),
    "directory-review": only(*VERIFIES),
    # Link workers' private notes on listings: their own service's only.
    "asset-note": guarded({Role.LINK_WORKER: 404}),
    "directory-notes": only(Role.LINK_WORKER),
    "review-listing": guarded(dict.fromkeys(VERIFIES, 405)),
    "review-claim": guarded(dict.fromkeys(CURATES, 405)),
    "review-report": guarded(dict.fromkeys(VERIFIES, 405)),
    # Open Referral UK 3.0 feed: open to everyone, no sign-in.
    "openreferral": public(),
    "openreferral-services": public(),
    "openreferral-service": public(404),
    "openreferral-service-at-locations": public(),
    "openreferral-service-at-location": public(404),
    "openreferral-organizations": public(),
    "openreferral-organization": public(404),
    "openreferral-taxonomies": public(),
    "openreferral-taxonomy": public(404),
    "openreferral-taxonomy-terms": public(),
    "openreferral-taxonomy-term": public(404),
    "openreferral-not-found": public(404),
    "casework-import": only(Role.LINK_WORKER),
    "casework-import-template": only(Role.LINK_WORKER),
    "fhir-base": public(405),  # POST a transaction Bundle
    "fhir-process-message": public(405),  # POST a message Bundle
    "fhir-metadata": public(),
    "fhir-token": public(405),  # POST client credentials
    "fhir-service-requests": public(401),
    "fhir-service-request": public(401),
    "fhir-closure": public(401),
    "fhir-bundle": public(401),
    "fhir-tasks": public(401),
    "fhir-task": public(401),
    "fhir-healthcare-services": public(),
    "fhir-healthcare-service": public(404),
    "fhir-organizations": public(),
    "fhir-organization": public(404),
    "fhir-locations": public(),
    "fhir-location": public(404),
    "fhir-questionnaires": public(401),
    "fhir-questionnaire": public(401),
    "fhir-questionnaire-responses": public(401),
    "fhir-questionnaire-response": public(401),
    "fhir-subscriptions": public(401),
    "fhir-subscription": public(401),
    "fhir-not-found": public(404),
    "api:openapi-json": public(),
    "api:openapi-view": public(),
    # The link worker's casework. Actions are POST only: 405 once the permission passes.
    "triage-queue": only(Role.LINK_WORKER),
    "caseload": only(Role.LINK_WORKER),
    "follow-ups": only(Role.LINK_WORKER),
    "referral-detail": guarded({Role.LINK_WORKER: 404}),
    "casework-accept": guarded({Role.LINK_WORKER: 405}),
    "casework-transition": guarded({Role.LINK_WORKER: 405}),
    "casework-conversation": guarded({Role.LINK_WORKER: 405}),
    "casework-plan": guarded({Role.LINK_WORKER: 405}),
    "casework-connection-propose": guarded({Role.LINK_WORKER: 405}),
    "casework-connection-send": guarded({Role.LINK_WORKER: 405}),
    "casework-connection-instead": guarded({Role.LINK_WORKER: 405}),
    "casework-connection-attendance": guarded({Role.LINK_WORKER: 405}),
    "casework-connection-withdraw": guarded({Role.LINK_WORKER: 405}),
    "casework-unmet-need": guarded({Role.LINK_WORKER: 405}),
    "casework-follow-up-complete": guarded({Role.LINK_WORKER: 405}),
    "casework-consent-withdraw": guarded({Role.LINK_WORKER: 405}),
    "casework-note": guarded({Role.LINK_WORKER: 405}),
    "casework-close-no-answer": guarded({Role.LINK_WORKER: 405}),
    "casework-duplicate-same": guarded({Role.LINK_WORKER: 405}),
    "casework-duplicate-different": guarded({Role.LINK_WORKER: 405}),
    "casework-merge-undo": guarded({Role.LINK_WORKER: 405}),
    "casework-referral-details": guarded({Role.LINK_WORKER: 405}),
    # The person's social prescription from a connection: a page, and sending it (POST).
    "casework-prescription": guarded({Role.LINK_WORKER: 404}),
    "casework-prescription-send": guarded({Role.LINK_WORKER: 405}),
    "casework-session-reminder": guarded({Role.LINK_WORKER: 405}),
    # Outcomes, from the case page (the link is made by POST only); the person's
    # questionnaire link needs no sign-in, and an unknown link is a polite 404.
    "outcomes-case": guarded({Role.LINK_WORKER: 404}),
    "outcomes-record": guarded({Role.LINK_WORKER: 404}),
    "outcomes-other": guarded({Role.LINK_WORKER: 404}),
    "outcomes-link": guarded({Role.LINK_WORKER: 405}),
    "questionnaire": public(404),
    "questionnaire-done": public(),
    # Evaluation: commissioners (every service) and link workers (their own service); the
    # research export (de-identified rows) for administrators only.
    "evaluation": only(Role.COMMISSIONER, Role.LINK_WORKER),
    "evaluation-report": only(Role.COMMISSIONER, Role.LINK_WORKER),
    "evaluation-csv": only(Role.COMMISSIONER, Role.LINK_WORKER),
    "research-export": only(Role.ADMIN),
    "research-export-csv": only(Role.ADMIN),
    "research-export-dictionary": only(Role.ADMIN),
    # A referrer's pages (link workers may refer too, and follow up on their own pages);
    # the self-referral form is public, with no sign-in.
    "referral-new": only(Role.REFERRER, Role.LINK_WORKER),
    "referral-list": only(Role.REFERRER),
    "referral-status": guarded({Role.REFERRER: 404}),
    "self-referral": public(),
    "self-referral-sent": public(),
    "self-referral-easy-read": public(),
    # The person's feedback at closure: a link that works once, without signing in.
    "person-feedback": public(404),
    "person-feedback-thanks": public(),
    "person-feedback-short": public(404),
    "person-feedback-easy-read": public(404),
    "questionnaire-short": public(404),
    # GOV.UK Notify's delivery receipts: POST with Notify's bearer token only.
    "notify-callback": public(405),
    # A community group's referral inbox. One-click answers are POST only (405 once the
    # permission passes); answers needing a reason show a page, so 404 for nobody's id.
    "group-inbox": only(Role.GROUP),
    "group-register": only(Role.GROUP),
    "group-connection-accept": guarded({Role.GROUP: 405}),
    "group-connection-waitlist": guarded({Role.GROUP: 405}),
    "group-connection-decline": guarded({Role.GROUP: 404}),
    "group-connection-attended": guarded({Role.GROUP: 405}),
    "group-connection-did-not-start": guarded({Role.GROUP: 404}),
    "group-connection-attending": guarded({Role.GROUP: 405}),
    "group-connection-completed": guarded({Role.GROUP: 405}),
    "group-connection-stopped": guarded({Role.GROUP: 404}),
    "group-connection-feedback": guarded({Role.GROUP: 405}),
    "group-statistics": only(Role.GROUP),
    "group-statistics-csv": only(Role.GROUP),
    # Community: anyone may say what is missing (no sign-in); emerging groups (counts
    # only) for link workers, panels and commissioners; grants for those who record them.
    "interest-new": public(),
    "interest-sent": public(),
    "emerging-groups": only(Role.LINK_WORKER, Role.PANEL, Role.COMMISSIONER),
    "grant-list": only(Role.COMMISSIONER, Role.ADMIN),
    "grant-new": only(Role.COMMISSIONER, Role.ADMIN),
    # Neighbourhood insight for panels and commissioners (an unknown area: 404); CSV
    # downloads and load and investment for commissioners; the public copy for anyone.
    "insight": only(Role.PANEL, Role.COMMISSIONER),
    "insight-map": only(Role.PANEL, Role.COMMISSIONER),
    "insight-area": guarded({Role.PANEL: 404, Role.COMMISSIONER: 404}),
    "insight-download": only(Role.COMMISSIONER),
    "insight-load": only(Role.COMMISSIONER),
    "neighbourhoods": public(),
    # The pages every public service has.
    "privacy": public(),
    "accessibility": public(),
    "cookies": public(),
    "contact": public(),
    "terms": public(),
    "service-status": public(),
    "neighbourhood-profile": public(404),
    # Funding: funders (commissioners, admins) run rounds and tariffs; groups apply and see
    # their own statements; panel members score. A decided round's page is public. POST-only
    # actions answer GET with 405.
    "funding-home": guarded(dict.fromkeys(FUNDS + (Role.GROUP, Role.PANEL), 200)),
    "funding-round-new": only(*FUNDS),
    "funding-round": public(404),
    "funding-round-manage": guarded(dict.fromkeys(FUNDS, 404)),
    "funding-round-transition": public(405),
    "funding-round-payments-csv": guarded(dict.fromkeys(FUNDS, 404)),
    "funding-apply": guarded({Role.GROUP: 404}),
    "funding-application": guarded(dict.fromkeys(FUNDS + (Role.GROUP, Role.PANEL), 404)),
    "funding-application-check": guarded({Role.GROUP: 404}),
    "funding-application-conflict": public(405),
    "funding-application-score": public(405),
    "funding-application-decision": public(405),
    "funding-application-payment": public(405),
    "funding-application-report": guarded({Role.GROUP: 404}),
    "funding-statements": only(*FUNDS, Role.GROUP),
    "funding-statements-csv": only(*FUNDS, Role.GROUP),
    "funding-statement-approve": public(405),
    "funding-statement-paid": public(405),
    "funding-tariff-new": only(*FUNDS),
    # Each person's own notification choices.
    "notification-preferences": signed_in(200),
    # Panels: public decisions logs (per panel, per neighbourhood); the members' own
    # workspace (a panel that exists for nobody: 404; POST-only actions: 405).
    "panel-list": public(),
    "panel-decisions": public(404),
    "neighbourhood-decisions": public(404),
    "panel-mine": only(Role.PANEL),
    "panel-propose": guarded({Role.PANEL: 405}),
    "panel-home": guarded({Role.PANEL: 404}),
    "panel-meeting-new": guarded({Role.PANEL: 404}),
    "panel-meeting": guarded({Role.PANEL: 404}),
    "panel-priority-settle": guarded({Role.PANEL: 405}),
    "panel-priority-new": guarded({Role.PANEL: 404}),
    "panel-membership": guarded({Role.PANEL: 404}),
    # Starting a group from an emerging group: community development (link workers).
    "group-start-list": only(Role.LINK_WORKER),
    "group-start-new": only(Role.LINK_WORKER),
    "group-start": guarded({Role.LINK_WORKER: 404}),
    # Citizen asset mapping: residents and panels submit, panels run walks, curators
    # review; a photo only for curators and its sender (nobody's id here: 404).
    "mapping-home": only(Role.RESIDENT, Role.PANEL),
    "mapping-submit": only(Role.RESIDENT, Role.PANEL),
    "mapping-walk-new": only(Role.PANEL),
    "mapping-walk": guarded({Role.RESIDENT: 404, Role.PANEL: 404}),
    "mapping-review": only(*CURATES),
    "mapping-review-decide": guarded(dict.fromkeys(CURATES, 405)),
    "mapping-photo": signed_in(404),
    # The VCFSE network: a public directory; the noticeboard for groups, link workers and
    # admins (an unpublished or unknown notice: 404); moderation for admins.
    "network": public(),
    "network-noticeboard": only(Role.GROUP, Role.LINK_WORKER, Role.ADMIN),
    "network-notice-new": only(Role.GROUP, Role.LINK_WORKER, Role.ADMIN),
    "network-notice": guarded(dict.fromkeys((Role.GROUP, Role.LINK_WORKER, Role.ADMIN), 404)),
    "network-moderation": only(Role.ADMIN),
    "network-moderate": guarded({Role.ADMIN: 405}),
}


def api_signed_in(status: int) -> dict:
    return {ANON: 401, **dict.fromkeys(Role, status)}


def api_guarded(allowed: dict[Role, int]) -> dict:
    """No credentials: 401; the roles listed get their status; the rest get 403."""
    return {ANON: 401, **{role: allowed.get(role, 403) for role in Role}}


# Placeholder path parameters: ids that exist for nobody, so scoping answers 404.
API_PATH_PARAMS = {"service_id": "999999", "referral_id": "999999", "connection_id": "999999"}
API_PATH_PARAMS["follow_up_id"] = "999999"
API_PATH_PARAMS["person_id"] = API_PATH_PARAMS["merge_id"] = "999999"
API_PATH_PARAMS["round_id"] = API_PATH_PARAMS["application_id"] = "999999"
API_PATH_PARAMS["statement_id"] = "999999"
API_PATH_PARAMS["panel_id"] = API_PATH_PARAMS["interest_id"] = "999999"
API_PATH_PARAMS["code"] = "swemwbs"  # an instrument: scoring reveals nothing about anyone

# Requests are sent without a body: routes that need one answer 422 to anyone signed in
# (input is checked before the object is looked up); their permissions are tested with
# real bodies in each app's API tests.
API: dict[tuple[str, str], dict] = {
    ("GET", "/api/v1/me"): api_signed_in(200),
    ("GET", "/api/v1/services"): api_signed_in(200),
    ("POST", "/api/v1/services"): api_signed_in(422),
    ("GET", "/api/v1/services/{service_id}"): api_signed_in(404),
    ("PATCH", "/api/v1/services/{service_id}"): api_signed_in(422),
    ("PUT", "/api/v1/services/{service_id}/capacity"): api_signed_in(422),
    ("POST", "/api/v1/referrals"): api_signed_in(422),
    ("GET", "/api/v1/referrals"): api_signed_in(200),
    ("GET", "/api/v1/referrals/{referral_id}"): api_signed_in(404),
    ("POST", "/api/v1/referrals/{referral_id}/transitions"): api_signed_in(422),
    ("POST", "/api/v1/referrals/{referral_id}/connections"): api_signed_in(422),
    ("POST", "/api/v1/referrals/{referral_id}/unmet-needs"): api_signed_in(422),
    ("POST", "/api/v1/referrals/{referral_id}/conversations"): api_signed_in(422),
    ("PUT", "/api/v1/referrals/{referral_id}/plan"): api_signed_in(422),
    ("GET", "/api/v1/referrals/{referral_id}/notes"): api_signed_in(404),
    ("POST", "/api/v1/referrals/{referral_id}/notes"): api_signed_in(422),
    ("GET", "/api/v1/follow-ups"): api_signed_in(200),
    ("POST", "/api/v1/follow-ups/{follow_up_id}/complete"): api_signed_in(422),
    ("GET", "/api/v1/connections"): api_signed_in(200),
    ("POST", "/api/v1/connections/{connection_id}/transitions"): api_signed_in(422),
    ("POST", "/api/v1/instruments/{code}/score"): api_signed_in(422),
    ("POST", "/api/v1/referrals/{referral_id}/responses"): api_signed_in(422),
    ("GET", "/api/v1/referrals/{referral_id}/responses"): api_signed_in(404),
    # Possible duplicates: link workers decide, about records of their own services.
    ("POST", "/api/v1/people/{person_id}/merge"): api_signed_in(422),
    ("POST", "/api/v1/people/{person_id}/not-duplicate"): api_signed_in(422),
    ("POST", "/api/v1/merges/{merge_id}/undo"): {
        ANON: 401,
        **{role: 404 if role == Role.LINK_WORKER else 403 for role in Role},
    },
    # A panel's decisions log is public, like its page; closing an interest needs a body.
    ("GET", "/api/v1/panels/{panel_id}/decisions"): dict.fromkeys(ALL, 404),
    ("POST", "/api/v1/interests/{interest_id}/close"): api_signed_in(422),
    # Each person's own notification choices (an empty body changes nothing).
    ("GET", "/api/v1/me/notification-preferences"): api_signed_in(200),
    ("PUT", "/api/v1/me/notification-preferences"): api_signed_in(422),
    # De-identified, suppressed insight: community panels and commissioners only.
    ("GET", "/api/v1/insight/gaps"): {
        ANON: 401,
        **{role: 200 if role in (Role.PANEL, Role.COMMISSIONER) else 403 for role in Role},
    },
    # Funding: bodies are checked first (422); scoping answers 404; statements and tariffs
    # are for funders (and a group's own statements).
    ("POST", "/api/v1/funding/rounds"): api_signed_in(422),
    ("GET", "/api/v1/funding/rounds"): api_signed_in(200),
    ("GET", "/api/v1/funding/rounds/{round_id}"): api_signed_in(404),
    ("POST", "/api/v1/funding/rounds/{round_id}/transitions"): api_signed_in(422),
    ("POST", "/api/v1/funding/rounds/{round_id}/applications"): api_signed_in(422),
    ("GET", "/api/v1/funding/rounds/{round_id}/applications"): api_signed_in(404),
    ("GET", "/api/v1/funding/applications/{application_id}"): api_signed_in(404),
    ("POST", "/api/v1/funding/applications/{application_id}/submit"): api_guarded(
        {Role.GROUP: 404}
    ),
    ("POST", "/api/v1/funding/applications/{application_id}/conflicts"): api_signed_in(422),
    ("POST", "/api/v1/funding/applications/{application_id}/scores"): api_signed_in(422),
    ("POST", "/api/v1/funding/applications/{application_id}/decision"): api_signed_in(422),
    ("POST", "/api/v1/funding/applications/{application_id}/payments"): api_signed_in(422),
    ("POST", "/api/v1/funding/applications/{application_id}/report"): api_signed_in(422),
    ("POST", "/api/v1/funding/tariffs"): api_signed_in(422),
    ("GET", "/api/v1/funding/tariffs"): api_guarded(dict.fromkeys(FUNDS, 200)),
    ("GET", "/api/v1/funding/statements"): api_guarded(dict.fromkeys((*FUNDS, Role.GROUP), 200)),
    ("POST", "/api/v1/funding/statements/{statement_id}/approve"): api_guarded(
        dict.fromkeys(FUNDS, 404)
    ),
    ("POST", "/api/v1/funding/statements/{statement_id}/paid"): api_signed_in(422),
}


def _named_routes(patterns, namespace: str = "") -> set[str]:
    names = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace == "admin":
                names.add("admin:index")  # the admin site is one row: it guards itself
                continue
            names |= _named_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            full = f"{namespace}{entry.name}" if entry.name else None
            if namespace == "api:" and full not in PAGES:
                continue  # API operations are walked through the OpenAPI schema below
            names.add(full or f"<unnamed {entry.pattern}>")
    return names


def _api_routes() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_route_has_a_row():
    assert _named_routes(get_resolver().url_patterns) == set(PAGES)
    assert _api_routes() == set(API)


def _client_for(role, persona, anonymous):
    return anonymous if role == ANON else persona(role)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("role", ALL, ids=str)
def test_page_access(name, role, persona, anonymous):
    from django.urls import reverse

    client = _client_for(role, persona, anonymous)
    response = client.get(reverse(name, kwargs=URL_KWARGS.get(name)))
    assert response.status_code == PAGES[name][role], (name, role)
    if response.status_code == SIGN_IN and role == ANON and name != "admin:index":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(API), ids=" ".join)
@pytest.mark.parametrize("role", ALL, ids=str)
def test_api_access(route, role, persona, anonymous):
    method, path = route
    client = _client_for(role, persona, anonymous)
    response = client.generic(method, path.format(**API_PATH_PARAMS))
    assert response.status_code == API[route][role], (route, role)
