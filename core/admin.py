"""The operators' admin (系统管理员 / 安全管理员 / 审计管理员). Each sees what its group allows; the
timeline is shown read-only, because nobody may change it."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import HolidayDay, HolidayYear, Jurisdiction, Organisation, TimelineEntry, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are written by the application only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "policy_code", "project_prefix"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "short_name", "jurisdiction"]
    list_filter = ["kind", "jurisdiction"]
    list_select_related = ["jurisdiction"]
    search_fields = ["name", "short_name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active", "organisation__jurisdiction"]
    list_select_related = ["organisation"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("身份", {"fields": ["full_name", "phone", "email", "role", "organisation"]}),
        ("状态", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "full_name", "role", "organisation", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]


class HolidayDayInline(admin.TabularInline):
    model = HolidayDay
    extra = 10
    fields = ["date", "kind", "name"]


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    """Where an operator enters the State Council's schedule for a new year (published each
    November), so deadlines can be counted without a code release."""

    list_display = ["year", "notice", "entered_by", "entered_at"]
    readonly_fields = ["entered_by", "entered_at"]
    inlines = [HolidayDayInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ReadOnlyAdmin):
    list_display = ["project", "seq", "at", "actor_name", "label", "from_state", "to_state"]
    list_filter = ["action"]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__name", "actor_name"]
    ordering = ["-at", "-id"]
