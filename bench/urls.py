"""Bench-only URLs, in front of the product's: the floor — a bare Django view doing one indexed query, through
the same middleware, served by the same gunicorn — and the Django admin's changelist of the projects table
(the product registers no admin for projects). Nothing here is reachable in a deployment: only
`bench.settings` names this module."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns
from projects.models import Project


def floor(request):
    code = Project.objects.filter(pk=request.GET.get("id") or 0).values_list("code", flat=True).first()
    return HttpResponse(code or "-", content_type="text/plain")


class ProjectChangelist(admin.ModelAdmin):
    list_display = ("code", "name", "organisation", "year", "state", "declared_amount", "created_at")
    list_filter = ("state", "year")
    search_fields = ("code", "name")


site = admin.AdminSite(name="bench_admin")
site.register(Project, ProjectChangelist)

urlpatterns = [
    path("bench/floor/", floor),
    path("bench/admin/", site.urls),
    *product_urlpatterns,
]
