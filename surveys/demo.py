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
        # How members say they are connected (the roster question): see demo_ties.
        "ties": "dense",
        # per round, oldest first: months ago it closed, purpose/function/form and
        # impact achieved on 0-100, matrix level, share of members answering, how often
        # they take part. Each story is one of docs/stage-vignettes.yaml's.
        "rounds": [
            (24, (60, 55, 54, 55), 3.0, 0.65, "monthly"),
            (12, (66, 61, 60, 62), 3.5, 0.70, "monthly"),
            (1, (74, 68, 68, 70), 4.0, 0.75, "weekly"),
        ],
    },
    {
        "name": "Paediatric Diabetes Improvement Collaborative",
        "purpose": "Share what works to help children and families manage type 1 diabetes.",
        "scope": "Twelve hospitals in the Midlands",
        "sponsor": "Midlands Children's Health Partnership",
        "age_months": 20,
        "story": "emerging",
        "ties": "hub",
        "rounds": [
            (13, (52, 45, 44, 50), 2.0, 0.55, "quarterly"),
            (1, (56, 52, 52, 58), 2.5, 0.5, "monthly"),
        ],
    },
    {
        "name": "Frailty at Home Partnership",
        "purpose": "Being designed: help older people with frailty stay well at home.",
        "scope": "Eastfield borough",
        "sponsor": "Eastfield Council and Health Partners",
        "age_months": 4,
        "story": "pre-emergent",
        "ties": "sparse",
        "rounds": [
            (3, (38, 42, 32, 40), 1.5, 0.6, "quarterly"),
            (1, (40, 44, 34, 42), 1.5, 0.6, "monthly"),
        ],
    },
    {
        "name": "Valley Maternity Voices Network",
        "purpose": "Bring parents and maternity staff together to improve care in the valley.",
        "scope": "Three valleys",
        "sponsor": "Valley Health Board",
        "age_months": 72,
        "story": "dormant",
        "ties": "fragmented",
        "rounds": [
            (30, (66, 62, 61, 62), 3.5, 0.6, "monthly"),
            (14, (58, 52, 52, 48), 3.0, 0.35, "quarterly"),
            (1, (52, 44, 48, 28), 2.5, 0.2, "rarely"),
        ],
    },
]


# Per structure: the chance a respondent names someone in their own group and in
# another, the number of hubs everyone turns to, the share who name nobody, and the
# closeness levels (1 to 4) as weights.
TIE_STRUCTURES = {
    # an established network: many ties, across groups as much as inside them
    "dense": {"inside": 0.30, "across": 0.20, "hubs": 0, "alone": 0.0, "close": (1, 2, 4, 3)},
    # an emerging one: a few coordinators everybody works with, little else
    "hub": {"inside": 0.03, "across": 0.005, "hubs": 3, "alone": 0.05, "close": (1, 3, 3, 1)},
    # a pre-emergent one: people are only starting to find each other
    "sparse": {"inside": 0.06, "across": 0.02, "hubs": 0, "alone": 0.2, "close": (3, 3, 1, 0)},
    # a dormant one: ties fallen back inside groups, many with none at all
    "fragmented": {"inside": 0.12, "across": 0.0, "hubs": 0, "alone": 0.35, "close": (2, 3, 1, 1)},
}


def demo_ties(
    members: list[tuple[int, str]], respondents: list[int], structure: str, *, seed: int
) -> list[tuple[int, int, int]]:
    """Roster answers with the shape of ``structure``: (who named, whom, closeness) for
    each respondent, from ``members`` as (id, group). The same every time (seeded)."""
    shape = TIE_STRUCTURES[structure]
    rng = random.Random(seed)
    group_of = dict(members)
    everyone = [pk for pk, _ in members]
    hubs = everyone[: shape["hubs"]]
    ties = []
    for source in respondents:
        if rng.random() < shape["alone"]:
            continue
        chosen = set(rng.sample(hubs, k=min(len(hubs), rng.randint(1, 2)))) if hubs else set()
        if source in hubs:  # the hubs work with a good part of the network
            chosen |= {pk for pk in everyone if rng.random() < 0.35}
        for target in everyone:
            same = group_of[target] == group_of[source]
            if rng.random() < shape["inside" if same else "across"]:
                chosen.add(target)
        chosen.discard(source)
        ties += [
            (source, target, rng.choices((1, 2, 3, 4), shape["close"])[0])
            for target in sorted(chosen)
        ]
    return ties


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


# Comments as members write them: each is used at most once in a round, so a demo
# dashboard reads like real feedback rather than the same few lines again and again.
COMMENTS = {
    "C_works": [
        "The monthly huddles are where real learning happens.",
        "Meeting people from other trusts who face the same problems.",
        "The coordinator keeps us connected and informed.",
        "Patients and carers are listened to, not just invited.",
        "Sharing data openly between sites.",
        "Hearing how another hospital solved the discharge delays we still have.",
        "As a carer I was nervous at first, but people made me feel welcome.",
        "The short summaries after each meeting save me a lot of reading.",
        "Site visits. Seeing a change working on a real ward convinced our team.",
        "Small test-of-change grants that get ideas started quickly.",
        "People are honest about what went wrong, which is rare.",
        "The online forum is quick when I need an answer from someone who has tried it.",
        "Having a patient co-chair changed the tone of the meetings.",
        "Being able to ask a question without it becoming a formal request.",
        "The improvement coaching sessions were practical and well paced.",
        "Evening meetings mean I can come after work or caring.",
        "A clear plan for the year that everyone helped to write.",
        "Getting feedback from commissioners on what happened to our proposals.",
        "The welcome pack for new members explained who does what.",
        "Mixing clinicians, managers and families in the same small groups.",
        "The shared measures let us compare sites without blame.",
        "The newsletter is short and actually worth reading.",
        "Travel expenses are paid promptly, which makes it possible for me to come.",
        "The annual event, where teams show what they changed.",
    ],
    "C_change": [
        "Too many meetings, not enough action between them.",
        "The same few voices dominate the steering group.",
        "We need clearer priorities for the next year.",
        "Funding for backfill so clinicians can attend.",
        "Better notes and follow-up after events.",
        "Papers arrive the night before; please send them a week ahead.",
        "Rotate the chair so others get the chance to lead.",
        "Fewer slides, more time to talk in small groups.",
        "Hold some meetings outside the city so rural members can come.",
        "Jargon and acronyms make it hard for patients to follow.",
        "Tell us what happened to the ideas we put forward last year.",
        "Stop starting new projects before the last ones are finished.",
        "Offer an online option for every meeting.",
        "Invite social care and housing, not only health services.",
        "Make it easier to find past presentations and results.",
        "Pay patient members for their time, as other networks do.",
        "The website is out of date and hard to search.",
        "Agree what success looks like before starting each piece of work.",
        "Introduce new members to someone who has been here a while.",
        "Less time on updates, more on problems we are stuck with.",
        "Share results with the wards that collected the data.",
        "Be clearer about what the network can and cannot fund.",
        "Reach out to the practices that stopped coming.",
        "Keep the sub-groups smaller so everyone gets a say.",
    ],
    "C_other": [
        "Thank you for asking.",
        "I would like to help organise the next event.",
        "I have only been to two meetings so far, so my answers are tentative.",
        "Happy to share our audit tool if it helps other sites.",
        "It would help to know how these results will be used.",
        "Please keep the survey short next time.",
        "The network has made a real difference to families like mine.",
        "I would be glad to join the steering group.",
        "Some of the statements were hard to answer as a carer.",
        "Good to see patients included in this survey.",
        "I joined recently and am still finding my way.",
        "Looking forward to the results meeting.",
    ],
}
# A second sentence members often add. Only once a round has used every comment above
# does it hand out a comment with one of these after it, so large rounds stay distinct.
FOLLOW_UPS = {
    "C_works": [
        "Please keep it.",
        "It is why I keep coming.",
        "That alone makes it worth my time.",
        "I have told others about it.",
        "More of this, please.",
        "It has made a difference to our site.",
        "It makes me feel part of something.",
        "Nowhere else gives me this.",
    ],
    "C_change": [
        "This has come up before.",
        "It would make a big difference.",
        "I would be glad to help with this.",
        "Otherwise people will drift away.",
        "Other networks manage it.",
        "It need not cost much.",
        "Please treat this as a priority.",
        "Several of us have said the same.",
    ],
    "C_other": [
        "Good luck with the results.",
        "Thanks to the organisers.",
        "Keep up the good work.",
        "I hope more people answer this year.",
        "Happy to talk more about this.",
        "Best wishes to the team.",
    ],
}
COMMENT_RATES = {"C_works": 0.5, "C_change": 0.5, "C_other": 0.15}


def comment_pool(code: str, rng) -> list[str]:
    """Every distinct comment a round can give to one question, in the order it hands
    them out: the comments shuffled, then each with a follow-up sentence, shuffled."""
    combined = [f"{comment} {more}" for comment in COMMENTS[code] for more in FOLLOW_UPS[code]]
    return [str(text) for pool in (COMMENTS[code], combined) for text in rng.permutation(pool)]


def demo_answers(
    *,
    definition: dict,
    matrix: dict | None,
    respondents: int,
    domain_pct: tuple[float, float, float],
    matrix_level: float,
    frequency: str,
    seed: int,
    subdimension_pct: dict[str, float] | None = None,
) -> list[dict]:
    """Plausible answers whose domain scores land near `domain_pct` (0 to 100), and the
    sub-dimensions in `subdimension_pct` near their own figure (impact achieved, say,
    which can fail while the rest holds up). Each
    respondent has a leaning per domain; items scatter around it; reversed items are
    answered the other way round; about one answer in twenty is "don't know". Where the
    instrument asks how well each function is done now (v2 on), those answers follow the
    function leaning. Comments are drawn without repetition within the round
    (`comment_pool`); should a huge round use them all, later boxes are left empty."""
    import numpy as np

    from .instruments.validation import scale_items

    rng = np.random.default_rng(seed)
    items = scale_items(definition)
    domains = [d["code"] for d in definition["domains"]]
    centre = {code: 1 + pct / 25 for code, pct in zip(domains, domain_pct, strict=True)}
    profile = {q["code"]: [o["value"] for o in q["options"]] for q in definition["profile"]}
    asked = {c["code"] for c in definition["comments"]}
    unused = {code: iter(comment_pool(code, rng)) for code in COMMENTS if code in asked}
    people = []
    for _ in range(respondents):
        leaning = {d: rng.normal(centre[d], 0.45) for d in domains}
        leaning |= {
            s: rng.normal(1 + pct / 25, 0.45) for s, pct in (subdimension_pct or {}).items()
        }
        values = {}
        for item in items:
            lean = leaning.get(item["subdimension"], leaning[item["domain"]])
            value = int(np.clip(np.rint(rng.normal(lean, 0.7)), 1, 5))
            value = 6 - value if item["reverse"] else value
            values[item["code"]] = None if rng.random() < 0.05 else value
        for importance in definition["function_importance"]["items"]:
            values[importance["code"]] = int(np.clip(np.rint(rng.normal(3.8, 0.8)), 1, 5))
        for performance in definition.get("function_performance", {}).get("items", []):
            value = int(np.clip(np.rint(rng.normal(leaning["function"], 0.8)), 1, 5))
            values[performance["code"]] = None if rng.random() < 0.08 else value
        texts = {
            code: text
            for code in unused
            if rng.random() < COMMENT_RATES[code] and (text := next(unused[code], None))
        }
        ratings = {}
        for dimension in (matrix or {}).get("dimensions", []):
            current = int(np.clip(np.rint(rng.normal(matrix_level, 0.6)), 1, 5))
            ratings[dimension["code"]] = (current, min(5, current + int(rng.integers(0, 2)) + 1))
        answers_profile = {
            "tenure": str(rng.choice(profile["tenure"])),
            "frequency": frequency if rng.random() < 0.6 else str(rng.choice(profile["frequency"])),
            "network_role": str(rng.choice(profile["network_role"], p=_role_weights(profile))),
        }
        people.append(
            {"values": values, "texts": texts, "ratings": ratings, "profile": answers_profile}
        )
    return people


def _role_weights(profile: dict) -> list[float]:
    count = len(profile["network_role"])
    weights = [0.15] + [0.85 / (count - 1)] * (count - 1)
    return weights
