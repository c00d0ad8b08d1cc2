from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

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
]
