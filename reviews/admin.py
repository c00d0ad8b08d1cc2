"""The operators' view of the review records. The BDC manages the expert library in the portal's own pages;
draws and score sheets are write-once records, shown read-only here."""

from django.contrib import admin

from .models import Draw, ExpertConflict, ExpertProfile, ScoreSheet


class ExpertConflictInline(admin.TabularInline):
    model = ExpertConflict
    extra = 1
    autocomplete_fields = ["organisation"]
    readonly_fields = ["recorded_by", "declared_at"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "jurisdiction", "title", "employer_name", "fields", "available"]
    list_filter = ["jurisdiction", "available"]
    list_select_related = ["user", "employer", "jurisdiction"]
    search_fields = ["user__full_name", "user__username", "employer__name", "employer_name"]
    autocomplete_fields = ["user", "employer"]
    inlines = [ExpertConflictInline]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Draw)
class DrawAdmin(ReadOnly):
    list_display = ["id", "project", "kind", "size", "at", "by"]
    list_select_related = ["project", "by"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnly):
    list_display = ["id", "project", "expert", "recommendation", "submitted_at", "supersedes"]
    list_select_related = ["project", "expert__user", "supersedes"]
