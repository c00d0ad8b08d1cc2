from django.urls import path

from . import plan_views as views

app_name = "plan"
urlpatterns = [
    path("", views.plan_index, name="index"),
    path("rank/", views.plan_rank, name="rank"),
    path("budget/", views.plan_budget, name="budget"),
    path("ledger.xlsx", views.plan_ledger, name="ledger"),
]
