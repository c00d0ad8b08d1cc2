"""What the project page shows of each stage, filled by the apps that hold it: each app registers, in its
AppConfig.ready(), a function that gives the page's template what that app's part needs (the review, the
procurement and changes, the catalogue), so projects imports none of them — as pretalx's plugins add to its
pages through signals."""

from collections.abc import Callable

PANELS: dict[str, Callable] = {}


def panel_register(name: str, context: Callable) -> None:
    """`context(project=, user=, forms=)` → the template variables of the app's part of the project page;
    `forms` holds a form as the user typed it when the page is shown again with a refusal."""
    PANELS[name] = context


def panels_context(*, project, user, forms: dict) -> dict:
    context: dict = {}
    for panel in PANELS.values():
        context.update(panel(project=project, user=user, forms=forms))
    return context
