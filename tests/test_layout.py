"""The house stays readable: arrows between the apps run one way, the scoring core
has no Django in it, and no module grows past what a newcomer can read."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("surveys", "meetings", "scorecards")
# What each app must never import: arrows run scorecards -> meetings -> surveys.
FORBIDDEN = {"surveys": {"meetings", "scorecards", "bench"}, "meetings": {"scorecards", "bench"}}
MAX_LINES = 400


def modules(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_imports_run_scorecards_to_meetings_to_surveys_only(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[app])
        for path in modules(app)
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_no_product_code_imports_the_benchmarks():
    assert [p for p in modules(*APPS, "netassess") if "bench" in imported_packages(p)] == []


def test_the_scoring_core_has_no_django_in_it():
    # It may use the pure disclosure rule (surveys.anonymity), which has no Django either.
    impure = [
        str(path.relative_to(ROOT))
        for path in modules("scorecards/scoring")
        if imported_packages(path) & {"django", "meetings"}
    ]
    assert impure == []


def test_the_anonymity_rule_has_no_django_in_it():
    assert [p for p in modules("surveys/anonymity") if "django" in imported_packages(p)] == []


def test_scorecards_holds_nothing_about_meetings_or_benchmarks():
    names = [str(p.relative_to(ROOT)) for p in (ROOT / "scorecards").rglob("*")]
    assert [n for n in names if "meeting" in n or "bench" in n] == []


def test_no_module_is_longer_than_a_newcomer_can_read():
    long = {
        str(path.relative_to(ROOT)): n
        for path in modules(*APPS, "netassess", "bench")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
