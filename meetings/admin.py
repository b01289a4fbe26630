from django.contrib import admin

from .models import Action, AgreedLevel, MatrixSession, MeetingTable


class MeetingTableInline(admin.TabularInline):
    model = MeetingTable
    extra = 0


@admin.register(MatrixSession)
class MatrixSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "assessment", "held_on", "status"]
    list_filter = ["status"]
    search_fields = ["title", "assessment__title", "assessment__network__name"]
    inlines = [MeetingTableInline]
    # The join code opens the room to phones: shown, never edited by hand.
    readonly_fields = ["code", "started_at", "closed_at", "created_by", "created_at"]


@admin.register(AgreedLevel)
class AgreedLevelAdmin(admin.ModelAdmin):
    list_display = ["session", "table", "dimension", "level", "target", "priority"]
    list_filter = ["priority"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["what", "who", "due_on", "status", "session"]
    list_filter = ["status"]
    search_fields = ["what", "who"]
