from django.urls import path

from . import views

app_name = "acceptance"
urlpatterns = [
    path("<int:pk>/changes/", views.change_request_create, name="change_add"),
    path("<int:pk>/changes/<int:change_id>/decision/", views.change_request_decide, name="change_decide"),
    path("<int:pk>/procurement/bidding/", views.bidding_confirm, name="bidding_confirm"),
    path("<int:pk>/resources/connect/", views.resource_connect, name="resource_connect"),
]
