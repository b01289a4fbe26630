"""Follow-up questions were coded F<action id>, which the v2 scorecard's statements
(F11, F13, ...) also use: a follow-up answer and a statement answer could share one
Answer row. New rounds code them ACT<action id>. This renames the codes of existing
rounds, and their answers, wherever the code is not also a statement of the round's
scorecard; where it is, the one stored row cannot be told apart and stays the
statement's (the follow-up question is then dropped from the round)."""

import re

from django.db import migrations

OLD = re.compile(r"F(\d+)")


def statement_codes(definition: dict | None) -> set[str]:
    codes = set()
    for domain in (definition or {}).get("domains", []):
        for sub in domain.get("subdimensions", []):
            codes |= {item["code"] for item in sub.get("items", [])}
    return codes


def forwards(apps, schema_editor):
    Assessment = apps.get_model("surveys", "Assessment")
    Answer = apps.get_model("surveys", "Answer")
    for assessment in Assessment.objects.exclude(follow_up_questions=[]).select_related(
        "health_scorecard"
    ):
        statements = statement_codes(
            assessment.health_scorecard.definition if assessment.health_scorecard else None
        )
        kept = []
        for question in assessment.follow_up_questions:
            match = OLD.fullmatch(question["code"])
            if not match:
                kept.append(question)
                continue
            if question["code"] in statements:
                continue  # one row for two questions: it stays the statement's
            new = f"ACT{match.group(1)}"
            Answer.objects.filter(response__assessment=assessment, item=question["code"]).update(
                item=new
            )
            kept.append({**question, "code": new})
        assessment.follow_up_questions = kept
        assessment.save(update_fields=["follow_up_questions"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0004_audit_trail_retention_erasure")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
