from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("verify/", views.package_verify_page, name="verify"),
]
