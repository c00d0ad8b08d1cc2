from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("samples/", views.samples_page, name="samples"),
    path("samples/draw/", views.sample_draw_post, name="sample_draw"),
]
