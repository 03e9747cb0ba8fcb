"""What the demo says: made-up names, and what people, link workers and groups write."""

from linkwork.referrals import transitions as t
from linkwork.referrals.models import FollowUpKind

# (first name, sex, language); most people speak English.
FIRST_NAMES = [
    *(
        (name, "female", "en")
        for name in (
            "Ada",
            "Beryl",
            "Carol",
            "Dawn",
            "Edith",
            "Fiona",
            "Gail",
            "Hazel",
            "Irene",
            "Joan",
            "Kerry",
            "Lorraine",
            "Maureen",
            "Nicola",
            "Pauline",
            "Rita",
            "Sandra",
            "Tracey",
            "Vera",
            "Wendy",
            "Zoe",
            "Chloe",
            "Megan",
            "Jade",
        )
    ),
    *(
        (name, "male", "en")
        for name in (
            "Alan",
            "Barry",
            "Colin",
            "Derek",
            "Eric",
            "Frank",
            "Gary",
            "Harold",
            "Ian",
            "Keith",
            "Len",
            "Malcolm",
            "Neil",
            "Owen",
            "Ray",
            "Stan",
            "Terry",
            "Vince",
            "Wayne",
            "Liam",
            "Ryan",
            "Jordan",
        )
    ),
]
OTHER_FIRST_NAMES = [
    ("Amina", "female", "ur"),
    ("Bilal", "male", "ur"),
    ("Nasreen", "female", "ur"),
    ("Tariq", "male", "ur"),
    ("Hansa", "female", "gu"),
    ("Pravin", "male", "gu"),
    ("Ewa", "female", "pl"),
    ("Tomasz", "male", "pl"),
    ("Mei", "female", "zh"),
    ("Wei", "male", "zh"),
    ("Samira", "female", "ar"),
    ("Yusuf", "male", "ar"),
]
# Made-up surnames, so no demo person is mistaken for a real one.
FAMILY_NAMES = [
    "Alderholt",
    "Bramblewick",
    "Copperdale",
    "Dimbleford",
    "Elmsworth",
    "Fernhallow",
    "Gorsebrook",
    "Hazelby",
    "Inchbould",
    "Juniperfield",
    "Kettlewood",
    "Larchmere",
    "Mossborrow",
    "Nettlecombe",
    "Oakhollow",
    "Pebbleworth",
    "Quillfeather",
    "Rookhaven",
    "Saltmarsh",
    "Thistlewood",
    "Underbrook",
    "Voleswick",
    "Wrenfield",
    "Yarrowby",
    "Bilberry",
    "Clatterbridge",
    "Dunnockley",
    "Fiddlecombe",
    "Harebell",
    "Lapwingham",
    "Mistlethwaite",
    "Puddlecote",
    "Ravensholt",
    "Sparrowley",
    "Tumbledown",
    "Winterbrook",
]
ETHNICITY = {
    "en": "White: English, Welsh, Scottish, Northern Irish or British",
    "ur": "Asian or Asian British: Pakistani",
    "gu": "Asian or Asian British: Indian",
    "pl": "White: Other White",
    "zh": "Asian or Asian British: Chinese",
    "ar": "Other ethnic group: Arab",
}
ACCESS_NEEDS = [
    "Uses a wheelchair.",
    "Hard of hearing; prefers text messages.",
    "Uses a walking frame.",
    "Partially sighted.",
    "Anxious in new places: would like someone to meet them at the door.",
]
CONTACT_TIMES = ["Mornings", "Afternoons after 2pm", "Weekdays before 5pm", "Any time", ""]

# Need code: (what matters to the person, a goal in their own words), and how often
# referrals give it as a reason.
NEEDS = {
    "need-loneliness": (
        "Having people to talk to; most days they see nobody.",
        "I want to get out of the house and meet people twice a week.",
        30,
    ),
    "need-low-mood": (
        "Feeling less anxious and getting some routine back.",
        "I want something to get up for in the morning.",
        22,
    ),
    "need-money-debt": (
        "Getting on top of the bills; letters are piling up unopened.",
        "I want to sort the debts out and stop dreading the post.",
        14,
    ),
    "need-benefits": (
        "Being sure they get what they are entitled to.",
        "I want help with the benefit forms.",
        8,
    ),
    "need-housing": (
        "A warm, dry home; the landlord has not fixed the damp.",
        "I want the damp sorted and to know where I stand.",
        6,
    ),
    "need-physical-activity": (
        "Getting fitter and walking further without stopping.",
        "I want to walk to the shops and back without a rest.",
        16,
    ),
    "need-long-term-condition": (
        "Living well with their condition and meeting others with it.",
        "I don't want my condition to stop me going out.",
        8,
    ),
    "need-carers": (
        "Some time for themselves away from caring.",
        "I want a couple of hours a week that are just for me.",
        6,
    ),
    "need-bereavement": (
        "Talking about the person they lost with people who understand.",
        "I want to talk to people who know what it's like.",
        7,
    ),
    "need-learning-skills": (
        "Getting confident with a phone and the internet.",
        "I want to video call my grandchildren.",
        6,
    ),
    "need-employment": ("Getting back into work.", "I want to find a job I can manage.", 5),
    "need-volunteering": (
        "Being useful and giving something back.",
        "I want to help out somewhere a few hours a week.",
        4,
    ),
    "need-arts-culture": (
        "Being creative again; they used to sing and paint.",
        "I want to sing again.",
        5,
    ),
    "need-nature": (
        "Being outdoors and growing things.",
        "I want to get my hands in the soil again.",
        6,
    ),
    "need-faith-culture": (
        "Time with people who share their faith and language.",
        "I want to find people from my own community.",
        4,
    ),
    "need-food": (
        "Having enough to eat, and a hot meal with others.",
        "I want a hot meal with company once a week.",
        7,
    ),
}
REFERRER_NOTES = [
    "Lives alone since losing their partner last year; keen to get out more.",
    "Frequent appointments for low mood; medication has not helped much. Would value a "
    "non-clinical offer.",
    "Worried about money and heating; mentioned letters from creditors.",
    "Recently diagnosed with type 2 diabetes; wants to be more active.",
    "Full-time carer for their husband; exhausted.",
    "",
]
SELF_REFERRAL_NOTES = [
    "I've been on my own a lot since I retired and I'd like to meet people.",
    "My doctor said you might be able to help with my bills.",
    "I've not been myself for a while and I don't know where to start.",
]
TRIAGE_REASONS = {
    t.DECLINED: [
        "The person told us they no longer want support.",
        "Already supported by the community mental health team: agreed with the referrer "
        "that we step back.",
    ],
    t.RETURNED: [
        "Needs urgent mental health support: please refer to the crisis team today.",
        "Mainly a clinical need (pain management): please refer to the practice physio.",
        "Registered with a practice outside our network: please refer to their own link "
        "worker service.",
    ],
}
FIRST_CONTACT_REASONS = {
    t.DECLINED: [
        "We tried three times by phone and once by letter and could not reach them.",
        "On the phone they said they would rather manage with their family's help for now.",
    ],
    t.RETURNED: [
        "At our first call they described thoughts of self-harm: returned for an urgent GP "
        "review the same day.",
        "They need a social care assessment first: please refer to adult social care.",
    ],
}
GROUP_DECLINE_REASONS = [
    "We have had to cut back our sessions and cannot take anyone new this term.",
    "We could not reach them on the number we were given.",
    "Our sessions clash with their working hours; we suggested the Saturday group instead.",
]
DID_NOT_START_REASONS = [
    "They did not come to the first session and did not reply to our call.",
    "They were unwell and decided to leave it for now.",
]
STOPPED_REASONS = [
    "They moved out of the area.",
    "They found it too much for now and would like to try again later.",
    "They started work and the times no longer suit.",
]
REVIEW_OUTCOMES = {
    FollowUpKind.CONNECTION_REVIEW: [
        "Rang them: they have been twice and are enjoying it.",
        "Rang them: nervous before the first visit but glad they went.",
        "Spoke to them: not sure it is for them yet; will try a few more weeks.",
    ],
    FollowUpKind.SIX_WEEKS: [
        "Six-week check-in by phone: settling in; the plan still fits.",
        "Six-week review in person: feeling more confident; added a second goal.",
        "Six-week check-in: a difficult month; agreed to speak again in two weeks.",
    ],
    FollowUpKind.TWELVE_WEEKS: [
        "Twelve-week review: doing well and ready to carry on without us.",
        "Twelve-week review: going regularly; the money worries are much better.",
    ],
}
# The link worker's note for the group (shared with consent), for some connections.
BACKGROUND_NEEDS = [
    "Anxious in crowds; prefers to sit near the door.",
    "Hard of hearing: please face them when you speak.",
    "First time out in a while; a friendly hello at the door would help.",
    "Walks with a stick and needs a chair close by.",
]
CONNECTION_SUMMARIES = {
    t.ATTENDING: "Going to {asset} regularly.",
    t.ATTENDED_FIRST: "Has been to {asset}.",
    t.COMPLETED: "Finished at {asset}.",
    t.STOPPED: "Tried {asset} but stopped going.",
    t.DID_NOT_START: "Did not start at {asset}.",
    t.DECLINED: "{asset} could not take them.",
    t.WAITLISTED: "On the waiting list for {asset}.",
    t.ACCEPTED: "{asset} has a place for them.",
    t.SENT: "Referred to {asset}; the group has not replied yet.",
}
# What people say through their feedback link (most leave no comment).
FEEDBACK_COMMENTS = {
    5: [
        "I would not have gone on my own. Now I look forward to Tuesdays.",
        "Someone finally listened to what I wanted, not just what was wrong with me.",
        "The link worker came with me the first time, which made all the difference.",
    ],
    4: [
        "Very helpful. It took a while to hear back at first.",
        "Good to know what is out there. I have made a couple of friends.",
    ],
    3: [
        "Some of it helped. The group was further away than I thought.",
        "Nice people, but the times did not really suit me.",
    ],
    2: ["I was passed around a bit and the group was full."],
    1: ["Nothing came of it for me."],
}
