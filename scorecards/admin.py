from django.contrib import admin

from .models import Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["assessment", "n_respondents", "stage", "confidence", "computed_at", "seconds"]
    readonly_fields = [f.name for f in Snapshot._meta.fields]
