"""Demo data: realistic networks and members, the same every time (seeded)."""

import random

FIRST_NAMES = (
    "Amara Ben Chloe Dev Eilidh Farah George Hana Isaac Jade Kofi Leah Mohammed Niamh "
    "Owen Priya Quentin Rosa Sanjay Tegan Uma Victor Wen Xander Yasmin Zach Aisha "
    "Callum Dinah Emeka Fiona Gareth Imran Joanna Kieran Lucy Marek Nadia Olu Paige "
    "Rhys Sofia Tariq"
).split()
LAST_NAMES = (
    "Adeyemi Brown Chen Davies Evans Fraser Green Hussain Iqbal Jones Khan Lewis "
    "Morgan Nowak O'Brien Patel Quinn Roberts Singh Taylor Usman Vaughan Walsh Xu "
    "Young Zielinski Ahmed Campbell Doherty Ellis Fletcher Gill Hughes Kaur Mensah "
    "Murphy Okafor Shah Wright"
).split()
ORGANISATIONS = (
    "City General Hospital",
    "Northside Community Trust",
    "Riverside Primary Care Network",
    "Integrated Care Board",
    "Carers Together",
    "University Health Partners",
    "Hilltop GP Practice",
    "Mind the Gap Charity",
)
GROUP_WEIGHTS = {
    "Clinician": 35,
    "Manager": 15,
    "Patient or carer": 25,
    "Commissioner": 8,
    "Voluntary sector": 12,
    "Other": 5,
}

NETWORKS = [
    {
        "name": "North Coast Stroke Network",
        "purpose": (
            "Every stroke survivor on the coast gets the same rehabilitation, wherever they live."
        ),
        "scope": "North coast region",
        "sponsor": "North Coast Integrated Care Board",
        "age_months": 60,
        "story": "established",
    },
    {
        "name": "Paediatric Diabetes Improvement Collaborative",
        "purpose": "Share what works to help children and families manage type 1 diabetes.",
        "scope": "Twelve hospitals in the Midlands",
        "sponsor": "Midlands Children's Health Partnership",
        "age_months": 20,
        "story": "emerging",
    },
    {
        "name": "Frailty at Home Partnership",
        "purpose": "Being designed: help older people with frailty stay well at home.",
        "scope": "Eastfield borough",
        "sponsor": "Eastfield Council and Health Partners",
        "age_months": 4,
        "story": "pre-emergent",
    },
    {
        "name": "Valley Maternity Voices Network",
        "purpose": "Bring parents and maternity staff together to improve care in the valley.",
        "scope": "Three valleys",
        "sponsor": "Valley Health Board",
        "age_months": 72,
        "story": "dormant",
    },
]


def demo_people(count: int, *, seed: int) -> list[dict]:
    """`count` distinct members with plausible names, groups and organisations."""
    rng = random.Random(seed)
    groups = list(GROUP_WEIGHTS)
    weights = list(GROUP_WEIGHTS.values())
    people = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        slug = f"{first}.{last}".lower().replace("'", "")
        people.append(
            {
                "name": f"{first} {last}",
                "email": f"{slug}.{seed}.{index}@example.org",
                "group": rng.choices(groups, weights)[0],
                "organisation": rng.choice(ORGANISATIONS),
            }
        )
    return people
