from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_new, name="new"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:version_id>/download/", views.document_download, name="document_download"),
    path("<int:pk>/actions/<slug:name>/", views.action, name="action"),
    path("<int:pk>/review/prereview/", views.action_post, {"name": "prereview"}, name="prereview"),
    path("<int:pk>/review/agencies/", views.action_post, {"name": "invite_agency"}, name="agency"),
    path("<int:pk>/transitions/<slug:name>/", views.transition, name="transition"),
]
