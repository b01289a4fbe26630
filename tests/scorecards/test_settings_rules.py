from django.conf import settings

from scorecards.scoring.stages import DEFAULT_STAGE_RULES


def test_settings_hold_every_stage_threshold_with_the_documented_defaults():
    assert settings.STAGE_RULES == DEFAULT_STAGE_RULES


def test_every_stage_threshold_is_documented():
    from pathlib import Path

    doc = (Path(settings.BASE_DIR) / "docs" / "stages.md").read_text()
    for name in settings.STAGE_RULES:
        assert f"`{name}`" in doc
