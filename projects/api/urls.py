from django.urls import path

from . import views

urlpatterns = [
    path("policies/", views.PolicyListView.as_view(), name="api-policies"),
    path("document-kinds/", views.DocumentKindListView.as_view(), name="api-document-kinds"),
    path("construction-kinds/", views.ConstructionKindListView.as_view(), name="api-construction-kinds"),
    path("projects/", views.ProjectListView.as_view(), name="api-projects"),
    path("projects/<int:id>/", views.ProjectDetailView.as_view(), name="api-project"),
    path("projects/<int:id>/documents/", views.DocumentListView.as_view(), name="api-documents"),
    path(
        "projects/<int:id>/documents/versions/<int:version_id>/download/",
        views.DocumentDownloadView.as_view(),
        name="api-document-download",
    ),
    path("projects/<int:id>/transitions/", views.TransitionListView.as_view(), name="api-transitions"),
    *(
        path(f"projects/<int:id>/transitions/{name}/", view.as_view(), name=f"api-transition-{name}")
        for name, view in views.TRANSITION_VIEWS.items()
    ),
    path(
        "projects/<int:id>/transitions/<str:name>/",
        views.UnknownTransitionView.as_view(),
        name="api-transition",
    ),
    path("projects/<int:id>/actions/", views.ActionListView.as_view(), name="api-actions"),
    path("projects/<int:id>/actions/<str:name>/", views.ActionRunView.as_view(), name="api-action"),
    path("projects/<int:id>/timeline/", views.TimelineView.as_view(), name="api-timeline"),
    path("projects/<int:id>/deadlines/", views.DeadlinesView.as_view(), name="api-deadlines"),
]
