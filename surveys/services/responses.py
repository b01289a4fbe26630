"""A member's answers: started, saved page by page as they go, submitted once."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Answer, Invitation, MatrixRating, Response, TextAnswer
from ..signals import response_submitted
from ..survey_pages import DONT_KNOW, NUMBER_KINDS, SCALE_KINDS, Page

TEXT_LIMIT = 2000


class ResponseLocked(Exception):
    """Submitted already, or the assessment has closed: answers can no longer change."""


def response_start(*, invitation: Invitation) -> Response:
    """The member's response, created on first start; safe against double clicks."""
    existing = Response.objects.filter(invitation=invitation).first()
    if existing:
        return existing
    try:
        # One transaction: an invitation has a started_at exactly when its member has a
        # response, which is what keeps a started member's link private (T1).
        with transaction.atomic():
            response = Response.objects.create(
                invitation=invitation,
                assessment_id=invitation.assessment_id,
                stakeholder_group=invitation.member.group.name,
            )
            Invitation.objects.filter(pk=invitation.pk).exclude(status=Invitation.COMPLETED).update(
                status=Invitation.STARTED, started_at=timezone.now()
            )
    except IntegrityError:  # a second click got there first
        return Response.objects.get(invitation=invitation)
    return response


def parse_page(page: Page, data) -> tuple[dict, dict]:
    """The page's answers from posted data, and an error per question whose value is
    not one it offers. Fields that are not questions on this page are ignored."""
    values, errors = {}, {}
    for question in page.questions:
        if question.kind == "matrix":
            current = data.get(f"{question.code}.current", "")
            target = data.get(f"{question.code}.target", "")
            allowed = {v for v, _ in question.options}
            if current and current not in allowed or target and target not in allowed:
                errors[question.code] = _("%(question)s: choose one of the levels") % {
                    "question": question.text
                }
            elif current or target:
                values[question.code] = {"current": current, "target": target}
            continue
        raw = data.get(question.code, "")
        if question.kind == "text":
            text = raw.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
            if len(text) > TEXT_LIMIT:
                errors[question.code] = _("Keep your answer under %(limit)s characters") % {
                    "limit": TEXT_LIMIT
                }
            elif text:
                values[question.code] = text
        elif raw:
            if raw not in {v for v, _ in question.options}:
                errors[question.code] = _("%(question)s: choose one of the options") % {
                    "question": question.text
                }
            else:
                values[question.code] = raw
    return values, errors


def missing_answers(page: Page, saved: dict) -> dict:
    """Questions that must be answered before moving on: every agreement, importance
    and performance statement (with "Don't know" always available) and the matrix's
    current level. Profile questions, comments and targets are optional."""
    errors = {}
    for question in page.questions:
        if question.kind in SCALE_KINDS and question.code not in saved:
            errors[question.code] = _("%(question)s: choose an answer, or Don't know") % {
                "question": question.text
            }
        elif question.kind == "matrix" and not saved.get(question.code, {}).get("current"):
            errors[question.code] = _(
                "%(question)s: choose the level that describes the network now"
            ) % {"question": question.text}
        elif question.kind == "roster" and (saved.get(question.code) or {}).get("unrated"):
            errors[question.code] = _("Say how closely you work with each person you chose")
    return errors


def answers_save(*, response: Response, page: Page, values: dict) -> None:
    """Store this page's answers over earlier ones: one upsert per kind of answer on the
    page (a page of statements is one statement), and the response's place and profile,
    in one transaction. An answer not posted keeps what was saved before (an emptied
    comment, say, is not deleted). The round must be open: a response whose assessment
    is loaded already saves a query."""
    if response.submitted_at is not None or not response.assessment.is_open:
        raise ResponseLocked
    kinds = {q.code: q.kind for q in page.questions}
    numbers, texts, ratings, profile = [], [], [], {}
    for code, value in values.items():
        kind = kinds[code]
        if kind in NUMBER_KINDS:  # a performance answer is stored as NOW_<importance code>
            numbers.append(
                Answer(
                    response=response, item=code, value=None if value == DONT_KNOW else int(value)
                )
            )
        elif kind == "text":
            texts.append(TextAnswer(response=response, question=code, text=value))
        elif kind == "choice":
            profile[code] = value
        elif kind == "matrix":
            ratings.append(
                MatrixRating(
                    response=response,
                    dimension=code,
                    current=int(value["current"]) if value["current"] else None,
                    target=int(value["target"]) if value["target"] else None,
                )
            )
    with transaction.atomic():
        _upsert(Answer, numbers, ["response", "item"], ["value"])
        _upsert(TextAnswer, texts, ["response", "question"], ["text"])
        _upsert(
            MatrixRating,
            [r for r in ratings if r.current],
            ["response", "dimension"],
            ["current", "target"],
        )
        fields = {"current_page": page.key, "updated_at": timezone.now()}
        if profile:
            fields["profile"] = {**response.profile, **profile}
            response.profile = fields["profile"]
        Response.objects.filter(pk=response.pk).update(**fields)


def _upsert(model, rows: list, unique: list[str], update: list[str]) -> None:
    if rows:
        model.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=unique, update_fields=update
        )


def response_submit(*, response: Response) -> bool:
    """Submit once. A double click or a replayed request finds the response already
    submitted and changes nothing (quality R5). Returns whether this call submitted."""
    now = timezone.now()
    with transaction.atomic():
        submitted = Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
            submitted_at=now
        )
        if not submitted:
            return False
        Invitation.objects.filter(pk=response.invitation_id).update(
            status=Invitation.COMPLETED, completed_at=now
        )
        assessment_id, response_id = response.assessment_id, response.pk
        transaction.on_commit(
            lambda: response_submitted.send(
                sender=Response, assessment_id=assessment_id, response_id=response_id
            )
        )
    return True
