from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("verify/", views.package_verify_page, name="verify"),
    path("search/", views.search_page, name="search"),
]
