"""What every browser page does the same way: a refusal as a Chinese page with its status, and a
service's field errors shown beside the inputs they concern (a form's errors as one sentence: core.errors)."""

from django.shortcuts import render

from .errors import ApplicationError


def refusal(request, message: str, status: int, project=None):
    return render(request, "error.html", {"message": message, "project": project}, status=status)


def attach_service_errors(form, exc: ApplicationError) -> None:
    """Attach a service's field errors to the form's fields, so each shows beside its input."""
    for name, errors in (exc.extra.get("errors") or {}).items():
        if name in form.fields and isinstance(errors, list | tuple):
            for error in errors:
                form.add_error(name, error if isinstance(error, str) else error.get("message", ""))
