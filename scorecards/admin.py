from django.contrib import admin

from .models import Scorecard


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["assessment", "n_respondents", "stage", "confidence", "computed_at", "seconds"]
    readonly_fields = [f.name for f in Scorecard._meta.fields]
