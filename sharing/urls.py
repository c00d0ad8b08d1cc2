from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [path("<int:pk>/resources/", views.resource_create, name="resource_add")]
