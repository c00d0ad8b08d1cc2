"""What every browser page does the same way: a refusal as a Chinese page with its status, and a
service's field errors shown beside the inputs they concern (a form's errors as one sentence: core.errors)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import cached_property

from .errors import ApplicationError


def refusal(request, message: str, status: int, project=None):
    return render(request, "error.html", {"message": message, "project": project}, status=status)


def attach_service_errors(form, exc: ApplicationError) -> None:
    """Attach a service's field errors to the form's fields, so each shows beside its input."""
    for name, errors in (exc.extra.get("errors") or {}).items():
        if name in form.fields and isinstance(errors, list | tuple):
            for error in errors:
                form.add_error(name, error if isinstance(error, str) else error.get("message", ""))


class CappedPaginator(Paginator):
    """A paginator that counts no further than `cap` + 1 rows (`COUNT(*)` over a `LIMIT`), so a page of a list
    of any length costs the same: past the cap the page says "1,000+" and pages up to it."""

    cap = 1000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_label(self) -> str:
        return f"{self.cap:,}+" if self.capped else f"{self.count:,}"
