"""The one error type the services raise. Views and the API map it to a response once."""


class ApplicationError(Exception):
    """A refusal the user can act on. `message` is Chinese and says what is missing and why."""

    status = 400

    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class InvalidInput(ApplicationError):
    status = 400


def model_validate(instance, *, exclude=()) -> None:
    """`full_clean` as a user-facing refusal that names each field by its Chinese label."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        parts = []
        for name, messages in exc.message_dict.items():
            label = instance._meta.get_field(name).verbose_name if name != "__all__" else ""
            parts.append(f"{label}：{'；'.join(messages)}" if label else "；".join(messages))
        raise InvalidInput("；".join(parts), extra={"errors": exc.message_dict}) from None


def form_message(form) -> str:
    """The form's errors as one Chinese sentence, each prefixed by its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    return "；".join(parts)


class NotPermitted(ApplicationError):
    status = 403


class NotFound(ApplicationError):
    status = 404


class Conflict(ApplicationError):
    """The rules or the project's current state forbid it (409)."""

    status = 409
