"""Charts are stored by language: a release's charts drawn before are English.

Their drawing time is cleared too, so the sweeper (`selectors.charts_behind`) draws
them again in every language; until it does, pages show the English ones."""

from django.db import migrations, models


def charts_by_language(apps, schema_editor):
    Release = apps.get_model("scorecards", "Release")
    for release in Release.objects.only("pk", "charts").iterator(chunk_size=50):
        if isinstance(release.charts, list):
            Release.objects.filter(pk=release.pk).update(
                charts={"en": release.charts} if release.charts else {}, charts_drawn_at=None
            )


def charts_in_english_only(apps, schema_editor):
    Release = apps.get_model("scorecards", "Release")
    for release in Release.objects.only("pk", "charts").iterator(chunk_size=50):
        if isinstance(release.charts, dict):
            Release.objects.filter(pk=release.pk).update(charts=release.charts.get("en") or [])


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0004_member_summary")]

    operations = [
        migrations.AlterField(
            model_name="release",
            name="charts",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(charts_by_language, charts_in_english_only),
    ]
