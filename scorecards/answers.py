"""A round's submitted answers read into pandas frames: SQL built by the ORM and run on
a cursor, so 450,000 answers never become 450,000 model instances (house rule 5).
Only submitted responses count. Also what else the snapshot needs to know about the
round (its instruments' labels, invitations, questions of its own)."""

import io
import re
from datetime import date

import pandas as pd
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform

from surveys.instruments.validation import scale_items
from surveys.instruments.versions import comparable_codes
from surveys.languages import localised
from surveys.models import Answer, Assessment, MatrixRating, Member, Response, TextAnswer, Tie
from surveys.progress import assessment_group_progress

from .scoring.shape import GroupResponse
from .scoring.snapshot import RoundFacts, RoundFrames

CUSTOM_CODE = re.compile(r"X\d+")


def submitted(assessment: Assessment) -> QuerySet[Response]:
    return Response.objects.filter(assessment=assessment, submitted_at__isnull=False)


def _frame(queryset, columns: list[str]) -> pd.DataFrame:
    """Run the queryset's SQL and build a frame from the raw rows. On PostgreSQL the rows
    come as CSV through COPY, several times faster than fetching Python tuples."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            query = raw.mogrify(sql, params).decode()
            buffer = io.StringIO()
            raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", buffer)
            buffer.seek(0)
            if not buffer.getvalue():
                return pd.DataFrame(columns=columns)
            return pd.read_csv(
                buffer,
                names=columns,
                header=None,
                keep_default_na=False,
                na_values={c: [""] for c in columns if c != "text"},
            )
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=columns)


def assessment_data(assessment: Assessment) -> RoundFrames:
    scorecard = assessment.health_scorecard.definition if assessment.health_scorecard else None
    matrix = assessment.matrix.definition if assessment.matrix else None
    responses = submitted(assessment)
    numbers = _frame(
        Answer.objects.filter(response__in=responses).values_list("response_id", "item", "value"),
        ["respondent", "item", "value"],
    )
    numbers["value"] = numbers["value"].astype("float64")
    # A few dozen codes over hundreds of thousands of rows: as categories, each split
    # below compares codes once rather than every row's string.
    numbers["item"] = numbers["item"].astype("category")
    items = pd.DataFrame(
        scale_items(scorecard) if scorecard else [],
        columns=["code", "text", "reverse", "subdimension", "domain"],
    ).rename(columns={"code": "item"})[["item", "subdimension", "domain", "reverse"]]
    importance_of = (
        {i["code"]: i["function"] for i in scorecard["function_importance"]["items"]}
        if scorecard
        else {}
    )
    importance = numbers[numbers["item"].isin(list(importance_of))].copy()
    importance["function"] = importance["item"].map(importance_of)
    performance_of = {
        i["code"]: i["function"]
        for i in (scorecard or {}).get("function_performance", {}).get("items", [])
    }
    performance = numbers[numbers["item"].isin(list(performance_of))].copy()
    performance["function"] = performance["item"].map(performance_of)
    return RoundFrames(
        answers=numbers[numbers["item"].isin(items["item"])].reset_index(drop=True),
        items=items,
        importance=importance[["respondent", "function", "value"]].reset_index(drop=True),
        respondents=respondent_profiles(responses),
        matrix=_frame(
            MatrixRating.objects.filter(response__in=responses).values_list(
                "response_id", "dimension", "current", "target"
            ),
            ["respondent", "dimension", "current", "target"],
        ).astype({"current": "float64", "target": "float64"}),
        dimension_codes=[d["code"] for d in matrix["dimensions"]] if matrix else [],
        texts=_frame(
            TextAnswer.objects.filter(response__in=responses).values_list("question", "text"),
            ["question", "text"],
        ),
        custom_answers=numbers[numbers["item"].isin(_custom_codes(numbers))].reset_index(drop=True),
        follow_up_answers=numbers[
            numbers["item"].isin([q["code"] for q in assessment.follow_up_questions])
        ].reset_index(drop=True),
        labels=labels_for(assessment),
        performance=performance[["respondent", "function", "value"]].reset_index(drop=True),
        **roster_frames(assessment, responses),
    )


def roster_frames(assessment: Assessment, responses: QuerySet[Response]) -> dict:
    """The roster's answers when the round asked it: ``ties`` (source and target member
    ids, closeness) from submitted responses, and ``people``, everyone the roster
    offers now (by member id: group, whether they answered it, whether they agreed to
    be shown by name, and the name only of those who agreed)."""
    if not assessment.asks_roster:
        return {}
    on_roster = Member.objects.on_roster().filter(network_id=assessment.network_id)
    answered = responses.filter(roster_answered_at__isnull=False, invitation__member__in=on_roster)
    ties = _frame(
        Tie.objects.filter(
            response__in=answered, closeness__isnull=False, member__in=on_roster
        ).values_list("response__invitation__member_id", "member_id", "closeness"),
        ["source", "target", "closeness"],
    )
    said = dict(answered.values_list("invitation__member_id", "named_on_map"))
    people = pd.DataFrame.from_records(
        list(on_roster.values_list("pk", "group__name", "name")),
        columns=["member", "group", "name"],
    ).set_index("member")
    people["answered"] = people.index.isin(list(said))
    people["consent"] = people.index.map(lambda pk: bool(said.get(pk)))
    people.loc[~people["consent"], "name"] = None  # never carried for anyone else
    return {"ties": ties.astype({"closeness": "int64"}), "people": people}


def _custom_codes(numbers: pd.DataFrame) -> list[str]:
    """The round's own questions' codes (X1, X2, ...) among the answered items: matched
    on the few distinct codes, not on every answer."""
    return [code for code in numbers["item"].unique() if CUSTOM_CODE.fullmatch(str(code))]


PROFILE = ("tenure", "network_role", "frequency")


def respondent_profiles(responses: QuerySet[Response]) -> pd.DataFrame:
    """Each respondent's group and profile answers: what a reader may know of them. The
    database picks the profile's keys out, so no row's JSON is decoded here. Also
    whether they answered the roster question (and are on the roster) and their
    group as the member list has it now, which the relationship figures go by; the
    audit counts both as known to the reader."""
    rows = responses.annotate(
        **{k: KeyTextTransform(k, "profile") for k in PROFILE},
        roster=ExpressionWrapper(
            Q(roster_answered_at__isnull=False)
            & Q(invitation__member__left_roster_at__isnull=True)
            & Q(invitation__member__off_roster=False)
            & Q(invitation__member__removed_at__isnull=True),
            output_field=BooleanField(),
        ),
    )
    return pd.DataFrame.from_records(
        list(
            rows.values_list(
                "pk", "stakeholder_group", *PROFILE, "roster", "invitation__member__group__name"
            )
        ),
        columns=["respondent", "group", *PROFILE, "roster", "roster_group"],
    )


def _definitions(assessment: Assessment, language: str) -> tuple[dict, dict]:
    """The round's scorecard and matrix definitions in a language (their companion
    files; English where a text has none)."""
    scorecard = assessment.health_scorecard.definition if assessment.health_scorecard else {}
    matrix = assessment.matrix.definition if assessment.matrix else {}
    if language != "en":
        scorecard = localised(scorecard, language) if scorecard else {}
        matrix = localised(matrix, language) if matrix else {}
    return scorecard, matrix


def labels_for(assessment: Assessment, language: str = "en") -> dict:
    """Titles for every domain, sub-dimension and matrix dimension code, and the text
    of every statement (risk flags quote the statements they read), in a language."""
    scorecard, matrix = _definitions(assessment, language)
    labels = {}
    for domain in scorecard.get("domains", []):
        labels[domain["code"]] = domain["title"]
        for sub in domain["subdimensions"]:
            labels[sub["code"]] = sub["title"]
            labels |= {item["code"]: item["text"] for item in sub["items"]}
    for dimension in matrix.get("dimensions", []):
        labels[dimension["code"]] = dimension["title"]
    return labels


def group_labels_for(assessment: Assessment, language: str = "en") -> dict[str, dict[str, str]]:
    """Words for the profile answers respondents are grouped by, per profile question
    (``{"tenure": {"gt_2y": "More than 2 years"}}``), read from the instrument's own
    options, in a language; stakeholder groups are named by the network already."""
    scorecard, _ = _definitions(assessment, language)
    return {
        question["code"]: {o["value"]: o["label"] for o in question.get("options", [])}
        for question in scorecard.get("profile", [])
    }


def level_labels_for(assessment: Assessment, language: str = "en") -> list[str]:
    """The maturity matrix's level names, in a language."""
    return list(_definitions(assessment, language)[1].get("levels", []))


def round_facts(
    assessment: Assessment,
    *,
    invited: int,
    submitted_count: int,
    previous: Assessment | None = None,
) -> RoundFacts:
    """What the snapshot needs besides the answers, read from the round's instruments,
    its own questions and its invitations; ``previous`` is the network's round before,
    for how long ago it was."""
    scorecard = assessment.health_scorecard.definition if assessment.health_scorecard else {}
    return RoundFacts(
        threshold=assessment.anonymity_threshold,
        invited=invited,
        submitted=submitted_count,
        network_age_months=network_age_months(assessment.network.founded_on, assessment.closes_on),
        months_since_previous=network_age_months(
            previous and previous.closes_on, assessment.closes_on
        ),
        instrument_version=assessment.health_scorecard.version if scorecard else None,
        comparable=comparable_with(previous, assessment),
        frequency_order=_frequency_order(scorecard),
        comment_questions={c["code"]: c["text"] for c in scorecard.get("comments", [])},
        custom_questions=list(assessment.custom_questions.values_list("code", "kind", "text")),
        follow_up_questions=list(assessment.follow_up_questions),
        response_by_group=_response_by_group(assessment),
    )


def comparable_with(previous: Assessment | None, assessment: Assessment) -> dict | None:
    """What this round's scorecard asks as the previous round's did: None when both used
    the same version (all of it), the declared map when consecutive versions, nothing
    when further apart."""
    before, now = (a.health_scorecard if a else None for a in (previous, assessment))
    if before is None or now is None or before.pk == now.pk:
        return None
    if now.version != before.version + 1:
        return {}
    return comparable_codes(before.definition, now.definition)


def _frequency_order(scorecard: dict) -> list[str] | None:
    """Options of the 'how often' profile question, least often first (the instrument
    lists them most often first)."""
    for question in scorecard.get("profile", []):
        if question["code"] == "frequency":
            return [o["value"] for o in reversed(question["options"])]
    return None


def _response_by_group(assessment: Assessment) -> list[GroupResponse]:
    """Invited and answered per stakeholder group. Who took part is not secret (the
    invitation list names them), so no group is hidden here."""
    return [
        GroupResponse(group=g.name, invited=g.invited, completed=g.completed, rate=g.rate)
        for g in assessment_group_progress(assessment)
    ]


def network_age_months(founded_on: date | None, on: date) -> float | None:
    """Months from ``founded_on`` to ``on`` (also used for the time between rounds)."""
    if founded_on is None:
        return None
    return round((on - founded_on).days / 30.44, 1)
