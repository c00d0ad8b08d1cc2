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


class NotPermitted(ApplicationError):
    status = 403


class NotFound(ApplicationError):
    status = 404


class Conflict(ApplicationError):
    """The rules or the project's current state forbid it (409)."""

    status = 409
