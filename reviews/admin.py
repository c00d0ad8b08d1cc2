from django.contrib import admin

from .models import ExpertConflict, ExpertProfile


class ExpertConflictInline(admin.TabularInline):
    model = ExpertConflict
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "employer", "fields"]
    list_select_related = ["user", "employer"]
    search_fields = ["user__full_name", "user__username", "employer__name"]
    autocomplete_fields = ["user", "employer"]
    inlines = [ExpertConflictInline]
