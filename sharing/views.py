"""The catalogue's part of the project page (registered with `projects.panels`) and its form's endpoint."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_POST

from projects.checks import CheckContext
from projects.views import project_record_post

from .forms import ResourceForm
from .services import resource_add, resource_add_authorise


def catalogue_panel_context(*, project, user, forms: dict) -> dict:
    can_catalogue = user.has_perm("projects.change_catalogue", project)
    return {
        "resources": CheckContext.shared(project).resources,
        "resource_form": (forms.get("resource_form") or ResourceForm()) if can_catalogue else None,
    }


@login_required
@require_POST
def resource_create(request, pk):
    def act(project, data):
        resource = resource_add(project=project, by=request.user, data=data)
        return f"已登记数据资源“{resource.name}”。"

    return project_record_post(
        request,
        pk,
        form_class=ResourceForm,
        form_key="resource_form",
        failure="未能登记数据资源：",
        anchor="catalogue",
        act=act,
        authorise=lambda project: resource_add_authorise(project=project, by=request.user),
    )
