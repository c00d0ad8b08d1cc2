"""The operators' view of the construction watch: a jurisdiction's periods and thresholds are set here; the
reports, ratings and 督办单 are written by the portal's own steps and shown read-only."""

from django.contrib import admin

from .models import Baseline, Escalation, OversightSettings, RiskRating, SupervisorScore


@admin.register(OversightSettings)
class OversightSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "jurisdiction",
        "supervision_report_months",
        "progress_report_months",
        "schedule_variance_days",
        "escalation_workdays",
    ]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Baseline)
class BaselineAdmin(ReadOnly):
    list_display = ["project", "number", "contract_amount", "planned_completion_on", "approved_by", "set_at"]
    list_select_related = ["project", "approved_by"]


@admin.register(RiskRating)
class RiskRatingAdmin(ReadOnly):
    list_display = ["project", "month", "rating", "by", "at"]
    list_select_related = ["project", "by"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnly):
    list_display = ["project", "number", "trigger", "status", "outcome", "opened_at"]
    list_select_related = ["project"]


@admin.register(SupervisorScore)
class SupervisorScoreAdmin(ReadOnly):
    list_display = ["organisation", "project", "score", "at"]
    list_select_related = ["organisation", "project"]
