from django.contrib import admin

from .models import Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["assessment", "n_respondents", "stage", "certainty", "computed_at", "seconds"]
    readonly_fields = [f.name for f in Snapshot._meta.fields]
