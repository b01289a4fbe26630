from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Event, Member, Network, NetworkRole, StakeholderGroup, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class RoleInline(admin.TabularInline):
    model = NetworkRole
    extra = 0
    raw_id_fields = ["user", "invited_by"]


class GroupInline(admin.TabularInline):
    model = StakeholderGroup
    extra = 0


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "sponsor", "founded_on", "created_at"]
    search_fields = ["name", "sponsor"]
    inlines = [RoleInline, GroupInline]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "network", "group", "unsubscribed_at", "removed_at"]
    list_filter = ["network"]
    search_fields = ["name", "email"]
    raw_id_fields = ["network", "group"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit trail, read-only here as everywhere: no adding, changing or deleting."""

    list_display = ["created_at", "kind", "network", "actor", "account", "detail", "address"]
    list_filter = ["kind"]
    search_fields = ["detail", "address"]
    raw_id_fields = ["network", "assessment", "member", "actor", "account"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
