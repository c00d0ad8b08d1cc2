from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api_views import TokenView, WorkdaysView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("workdays/", WorkdaysView.as_view(), name="api-workdays"),
    path("", include("projects.api.urls")),
    path("plan/", include("reviews.plan_api")),
    path("", include("reviews.issuing_api")),
]
