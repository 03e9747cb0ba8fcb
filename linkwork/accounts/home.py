"""What each role's home says it can do: the rooms of the product, as data.

`url_name` is None for rooms whose issue has not landed yet; the page says so
rather than linking to nothing.
"""

from dataclasses import dataclass

from linkwork.accounts.roles import Role


@dataclass(frozen=True)
class Room:
    title: str
    description: str
    url_name: str | None = None


HOME_ROOMS: dict[Role, list[Room]] = {
    Role.REFERRER: [
        Room(
            "Refer someone",
            "Send a referral to your social prescribing service, with consent.",
            "referral-new",
        ),
        Room(
            "Your referrals",
            "See what happened to each person you referred, and the outcome.",
            "referral-list",
        ),
        Room(
            "Find community support",
            "Search the directory of local groups and services.",
            "directory",
        ),
    ],
    Role.LINK_WORKER: [
        Room(
            "Referral queue",
            "Triage new referrals: accept, assign or return with a reason.",
            "triage-queue",
        ),
        Room(
            "Your caseload",
            "What-matters conversations, plans, connections and follow-ups.",
            "caseload",
        ),
        Room(
            "Follow-ups",
            "Reviews due: six- and twelve-week reviews and how connections are going.",
            "follow-ups",
        ),
        Room(
            "Community directory",
            "Search assets, check capacity, report closed listings.",
            "directory",
        ),
        Room(
            "Review queue",
            "Approve new listings, claims and residents' suggestions.",
            "directory-review",
        ),
        Room(
            "Your service's outcomes",
            "Change in wellbeing and loneliness among the people your service supports.",
            "evaluation",
        ),
        Room(
            "Record what someone would join",
            "An activity the person would take part in that does not exist near them.",
            "interest-new",
        ),
        Room(
            "Emerging groups",
            "Activities several people have asked for where no open group offers them.",
            "emerging-groups",
        ),
        Room(
            "Starting new groups",
            "Take an emerging group to a new group: message the people who asked, a first "
            "meeting, a draft listing.",
            "group-start-list",
        ),
        Room(
            "Places residents told us about",
            "Check assets residents and panels mapped, and add them to the directory.",
            "mapping-review",
        ),
        Room(
            "Add an organisation",
            "A new community group, so you can invite its first member.",
            "organisation-new",
        ),
    ],
    Role.SERVICE_MANAGER: [
        Room(
            "Your team",
            "Invite link workers, see each one's caseload and overdue work, share out cases.",
            "team",
        ),
        Room(
            "Add an organisation",
            "A new community group or service, so its first member can be invited.",
            "organisation-new",
        ),
    ],
    Role.GROUP: [
        Room(
            "Your group's members",
            "Invite the other people who run your group.",
            "team",
        ),
        Room(
            "Add a listing",
            "Tell people about another activity your group runs.",
            "asset-new",
        ),
        Room(
            "Referral inbox",
            "People referred to you, with what they agreed to share.",
            "group-inbox",
        ),
        Room(
            "Your statistics",
            "Referrals received, accepted and attending, and the feedback you received.",
            "group-statistics",
        ),
        Room(
            "Small grants",
            "Apply for light-touch funding for your group, and see what you are owed for "
            "the people who start with you.",
            "funding-home",
        ),
        Room(
            "Network noticeboard",
            "News, free spaces, shared training and volunteer requests from the VCFSE network.",
            "network-noticeboard",
        ),
        Room(
            "How we contact you",
            "Choose a daily or weekly digest, or to hear at once, for each kind of message.",
            "notification-preferences",
        ),
    ],
    Role.RESIDENT: [
        Room(
            "Find something near you",
            "Search local activities, groups and advice.",
            "directory",
        ),
        Room("Refer yourself", "Ask a link worker to get in touch.", "self-referral"),
        Room(
            "Say what is missing",
            "Tell us about a group or activity you would join if it existed near you.",
            "interest-new",
        ),
        Room(
            "Suggest a group",
            "Tell us about an activity that is missing from the map.",
            "asset-new",
        ),
        Room(
            "Map what is near you",
            "Tell us about a place or group you know that helps people, with a photo if you like.",
            "mapping-home",
        ),
        Room("Your data", "See, export or withdraw what Linkwork holds about you.", "your-data"),
    ],
    Role.PANEL: [
        Room(
            "Verify listings",
            "Check new listings and reported problems.",
            "directory-review",
        ),
        Room(
            "Neighbourhood insight",
            "What people ask for, what exists and what is missing, with a printable profile "
            "of each neighbourhood.",
            "insight",
        ),
        Room(
            "Emerging groups",
            "Activities several people have asked for where no open group offers them.",
            "emerging-groups",
        ),
        Room(
            "Priorities and decisions",
            "Record your panel's priorities and the evidence behind them.",
            "panel-mine",
        ),
        Room(
            "Map your neighbourhood",
            "Run a mapping walk and send in the places and groups you find.",
            "mapping-home",
        ),
        Room(
            "Score grant applications",
            "Score groups' applications to grant rounds, declaring any conflict of interest.",
            "funding-home",
        ),
    ],
    Role.COMMISSIONER: [
        Room(
            "Neighbourhood insight",
            "Demand, supply and gaps by area, with small numbers withheld.",
            "insight",
        ),
        Room(
            "Evaluation",
            "Outcomes with validated instruments, with confidence intervals.",
            "evaluation",
        ),
        Room(
            "Load and investment",
            "Which groups carry referrals, and what funding they receive.",
            "insight-load",
        ),
        Room("Grants", "Record and review funding given to community groups.", "grant-list"),
        Room(
            "Grant rounds and tariffs",
            "Open a round from the top gaps, decide with a community panel, pay groups per "
            "person who starts.",
            "funding-home",
        ),
        Room(
            "Emerging groups",
            "Activities several people have asked for where no open group offers them.",
            "emerging-groups",
        ),
    ],
    Role.ADMIN: [
        Room(
            "Audit log",
            "Every read and write of a person's record, and every export.",
            "audit-events",
        ),
        Room(
            "Teams",
            "Invite people into an organisation and see who holds which role.",
            "team",
        ),
        Room(
            "Add an organisation",
            "A new community group or service, so its first member can be invited.",
            "organisation-new",
        ),
        Room("Users and organisations", "Accounts, memberships and organisations.", "admin:index"),
        Room(
            "Research export",
            "De-identified outcome data for evaluation research, with its data dictionary.",
            "research-export",
        ),
        Room("Grants", "Record funding given to community groups.", "grant-list"),
        Room(
            "Data rights requests",
            "Answer a subject access request: everything held about a person.",
            "data-rights",
        ),
        Room("Taxonomy and settings", "Need categories, activity types and retention."),
        Room(
            "Network noticeboard",
            "Check notices from the VCFSE network before they are published.",
            "network-moderation",
        ),
    ],
}
