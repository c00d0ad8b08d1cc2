from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("verify/", views.package_verify_page, name="verify"),
    path("search/", views.search_page, name="search"),
    path("reading-room/", views.reading_room, name="reading_room"),
    path("reading-room/export.xlsx", views.reading_room_export, name="reading_room_export"),
    path("reading-room/<int:pk>/", views.reading_room_project, name="reading_room_project"),
    path(
        "reading-room/<int:pk>/export.xlsx",
        views.reading_room_project_export,
        name="reading_room_project_export",
    ),
]
