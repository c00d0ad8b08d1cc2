"""URLs of the 评审意见 issuing endpoints (under /projects/<pk>/, beside the project page)."""

from django.urls import path

from . import issuing_views as views

app_name = "letters"
urlpatterns = [
    path("<int:pk>/review/opinions/<int:opinion_id>/issue/", views.opinion_issue, name="opinion_issue"),
    path("<int:pk>/letters/<int:letter_id>/status/", views.letter_status, name="status"),
    path("<int:pk>/letters/<int:letter_id>/retry/", views.letter_retry, name="retry"),
]
