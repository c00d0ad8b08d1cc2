"""What the browser tests share: Debian's Chromium driven by Playwright, screenshots under
test-artifacts/, and the demo data's logins (seed_demo)."""

from pathlib import Path

from core.models import User
from projects.enums import DocumentKind
from projects.models import Project
from projects.services import document_upload, project_create, project_transition
from sharing.services import resource_add
from tests.factories import CATALOGUE_ENTRY, PROJECT_DEFAULTS, pdf_upload

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "Demo-Pass-2026"  # seed_demo's


def shot(page, name: str, folder: Path = ARTIFACTS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def login(page, url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login page as `username`, leaving whoever was logged in before."""
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def declared_demo_project(**overrides) -> Project:
    """A project the demo department has declared (what a review starts from), built through the services."""
    dept = User.objects.get(username="dept")
    project = project_create(by=dept, data={**PROJECT_DEFAULTS, **overrides})
    for kind in (DocumentKind.CONSTRUCTION_PLAN, DocumentKind.FEASIBILITY_REPORT):
        document_upload(project=project, by=dept, kind=kind, file=pdf_upload(f"{kind}.pdf"))
    resource_add(project=project, by=dept, data=dict(CATALOGUE_ENTRY))
    return project_transition(project_id=project.pk, name="submit", by=dept)
