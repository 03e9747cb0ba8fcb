"""The demo dataset as data: a real place (Bolton), fictional organisations and people.

Bolton's local authority code is real (ONS). The neighbourhoods are a made-up
grouping, as any deployment's "patches" are its own; they are marked synthetic.
"""

from linkwork.accounts.roles import Role
from linkwork.directory.models import OrganisationKind as Kind

DEMO_PASSWORD = "linkwork-demo"

LOCAL_AUTHORITY = {"code": "E08000001", "name": "Bolton", "vintage": "2023"}

# Neighbourhoods ("patches") as groups of Bolton's 2023 wards; each LSOA joins the
# neighbourhood of the ward most of its demo postcodes are in.
NEIGHBOURHOODS: list[tuple[str, str, list[str]]] = [
    (
        "BOL-NBH-01",
        "Tonge and Breightmet",
        ["Tonge with the Haulgh", "Breightmet", "Bradshaw", "Little Lever & Darcy Lever"],
    ),
    (
        "BOL-NBH-02",
        "Great Lever and Rumworth",
        ["Great Lever", "Rumworth", "Queens Park & Central"],
    ),
    (
        "BOL-NBH-03",
        "Halliwell and Heaton",
        [
            "Halliwell",
            "Heaton, Lostock & Chew Moor",
            "Smithills",
            "Astley Bridge",
            "Bromley Cross",
        ],
    ),
    (
        "BOL-NBH-04",
        "Farnworth and Kearsley",
        ["Farnworth North", "Farnworth South", "Kearsley", "Hulton"],
    ),
    (
        "BOL-NBH-05",
        "Westhoughton and Horwich",
        [
            "Westhoughton North & Hunger Hill",
            "Westhoughton South",
            "Horwich North",
            "Horwich South & Blackrod",
        ],
    ),
]

# (name, kind, parent name or None). Parents come before their children.
ORGANISATIONS: list[tuple[str, Kind, str | None]] = [
    ("Moorland Integrated Care Board (demo)", Kind.ICB, None),
    ("Bolton Council (demo)", Kind.COUNCIL, None),
    ("Moorland Voluntary Action (demo)", Kind.INFRASTRUCTURE, None),
    ("Linkwork demo operator", Kind.INFRASTRUCTURE, None),
    ("Tonge Moor Primary Care Network (demo)", Kind.PCN, "Moorland Integrated Care Board (demo)"),
    ("Haulgh Brook Surgery", Kind.GP_PRACTICE, "Tonge Moor Primary Care Network (demo)"),
    ("Bradshaw Brow Medical Centre", Kind.GP_PRACTICE, "Tonge Moor Primary Care Network (demo)"),
    ("Lever Edge Family Practice", Kind.GP_PRACTICE, "Tonge Moor Primary Care Network (demo)"),
    (
        "Tonge Moor Community Links",
        Kind.SOCIAL_PRESCRIBING_SERVICE,
        "Tonge Moor Primary Care Network (demo)",
    ),
    ("Tonge and Breightmet Community Panel", Kind.PANEL, None),
    ("Tonge Walking for Health", Kind.VCFSE, None),
    ("Great Lever Men's Shed", Kind.VCFSE, None),
    ("Halliwell Community Choir", Kind.UNCONSTITUTED_GROUP, None),
    ("Breightmet Money Advice Drop-in", Kind.VCFSE, None),
    ("Bolton Chinese Wellbeing Circle", Kind.VCFSE, None),
    ("Burnden Knit and Natter", Kind.UNCONSTITUTED_GROUP, None),
    ("Farnworth Community Garden", Kind.VCFSE, None),
    ("Heaton Carers' Cafe", Kind.VCFSE, None),
    ("Kearsley Chair Yoga", Kind.UNCONSTITUTED_GROUP, None),
    ("Deane Road Food Share", Kind.VCFSE, None),
    ("Tonge Fold Bereavement Friends", Kind.UNCONSTITUTED_GROUP, None),
    ("Bolton Learning Disability Arts", Kind.VCFSE, None),
]

# (email, full name, role, organisation name or None for a resident)
ACCOUNTS: list[tuple[str, str, Role, str | None]] = [
    ("referrer@example.org", "Dr Asha Patel", Role.REFERRER, "Haulgh Brook Surgery"),
    ("linkworker@example.org", "Sam Okafor", Role.LINK_WORKER, "Tonge Moor Community Links"),
    ("manager@example.org", "Priya Shah", Role.SERVICE_MANAGER, "Tonge Moor Community Links"),
    # A colleague, so the service manager has someone to share cases out to.
    ("linkworker2@example.org", "Ola Adeyemi", Role.LINK_WORKER, "Tonge Moor Community Links"),
    ("group@example.org", "Jo Whittle", Role.GROUP, "Tonge Walking for Health"),
    ("group2@example.org", "Dev Mistry", Role.GROUP, "Great Lever Men's Shed"),
    ("resident@example.org", "Pat Holden", Role.RESIDENT, None),
    ("panel@example.org", "Maureen Kay", Role.PANEL, "Tonge and Breightmet Community Panel"),
    (
        "commissioner@example.org",
        "Chris Boyd",
        Role.COMMISSIONER,
        "Moorland Integrated Care Board (demo)",
    ),
    ("admin@example.org", "Alex Rowe", Role.ADMIN, "Linkwork demo operator"),
]
