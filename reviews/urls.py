from django.urls import path

from . import library_views, views

app_name = "reviews"
urlpatterns = [
    path("experts/", library_views.expert_list, name="experts"),
    path("experts/new/", library_views.expert_new, name="expert_new"),
    path("experts/<int:pk>/", library_views.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/conflicts/", library_views.expert_conflict_add, name="expert_conflict"),
    path("mine/", views.my_reviews, name="mine"),
    path("projects/<int:pk>/", views.review_page, name="review"),
    path("projects/<int:pk>/draw/", views.panel_draw, name="draw"),
    path("projects/<int:pk>/replace/", views.panel_replace, name="replace"),
    path("projects/<int:pk>/members/<int:member_id>/decline/", views.member_decline, name="decline"),
    path("projects/<int:pk>/agencies/", views.agencies_invite, name="agencies"),
    path(
        "projects/<int:pk>/agencies/<int:invitation_id>/participation/",
        views.agency_participation,
        name="participation",
    ),
    path("projects/<int:pk>/opinion/", views.opinion_consolidate, name="consolidate"),
    path("projects/<int:pk>/score/", views.score, name="score"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
]
