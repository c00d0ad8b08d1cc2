from django.contrib import admin
from django.urls import include, path

# Under /api/ these answer JSON with a Chinese `detail` (core.api); elsewhere Django's pages (templates/4xx.html).
handler400 = "core.api.bad_request"
handler403 = "core.api.permission_denied"
handler404 = "core.api.page_not_found"
handler500 = "core.api.server_error"

admin.site.site_header = "政务信息化项目全生命周期管理平台 · 运维管理"
admin.site.site_title = "平台运维管理"
admin.site.index_title = "运维管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("", include("portal.urls")),
    path("", include("core.urls")),
    path("projects/", include("projects.urls")),
    path("projects/", include("acceptance.urls")),
    path("projects/", include("sharing.urls")),
    path("reviews/", include("reviews.urls")),
    path("projects/", include("reviews.issuing_urls")),
    path("plan/", include("reviews.plan_urls")),
    path("archive/", include("archive.urls")),
    path("performance/", include("performance.urls")),
]
