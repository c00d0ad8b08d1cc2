import base64
import hashlib
import re

from csp.decorators import csp_update
from django.template.loader import get_template
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.negotiation import DefaultContentNegotiation

from core.api import api_not_found
from core.api_views import TokenView, WorkdaysView


def _swagger_style_hashes() -> list[str]:
    """The CSP hashes of the Swagger UI page's inline <style> blocks, taken from the installed template."""
    source = get_template("drf_spectacular/swagger_ui.html").template.source
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
        for block in re.findall(r"<style>(.*?)</style>", source, re.S)
    ]


# The split view serves its init script from its own URL (?script), so script-src 'self' holds on the page.
api_docs = csp_update({"style-src": _swagger_style_hashes()})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)


class SchemaFormat(DefaultContentNegotiation):
    """The schema's address keeps ?format=json|yaml (the API's other endpoints have no ?format=)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return super().select_renderer(
            request, renderers, format_suffix or request.query_params.get("format")
        )


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(content_negotiation_class=SchemaFormat), name="api-schema"),
    path("docs/", api_docs, name="api-docs"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("workdays/", WorkdaysView.as_view(), name="api-workdays"),
    path("", include("core.export_api")),
    path("", include("projects.api.urls")),
    path("", include("sharing.api")),
    path("", include("acceptance.api")),
    path("", include("acceptance.group_api")),
    path("", include("acceptance.change_review_api")),
    path("plan/", include("reviews.plan_api")),
    path("", include("reviews.issuing_api")),
    path("", include("archive.api")),
    path("", include("performance.api")),
    path("", include("portal.api")),
    # Anything else under /api/v1/ (a mistyped path, a non-integer id, a missing final "/") answers JSON like
    # the rest of the API, not Django's HTML page.
    re_path(r"^.*$", api_not_found, name="api-not-found"),
]
