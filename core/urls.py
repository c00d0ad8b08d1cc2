from django.contrib.auth import views as auth_views
from django.urls import path

from . import export_views, views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/timeline/", views.timeline_integrity, name="timeline_integrity"),
    path("audit/timeline/anchors/<int:pk>/", views.timeline_anchor, name="timeline_anchor"),
    path("exports/<int:pk>/", export_views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/<slug:name>/", export_views.export_new, name="export_new"),
]
