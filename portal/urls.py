from django.urls import path

from . import dashboard_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export/<slug:key>.xlsx", dashboard_views.dashboard_export, name="dashboard-export"),
]
