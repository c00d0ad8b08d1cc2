"""Letters: a BDC with its 机关代字, and a project under review with its consolidated opinion."""

import subprocess

import pytest

from projects.enums import ProjectState
from tests.factories.records import opinion_record

SHORT_NAME = "文大数据"
# What the pages and the API say of a letter whose PDF task the broker has not taken (yet).
QUEUED = "已登记，生成排队中"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def bdc_with_short_name(world):
    world.bdc_org.short_name = SHORT_NAME
    world.bdc_org.save(update_fields=["short_name"])
    world.bdc.organisation.refresh_from_db()
    return world.bdc_org


def opinion_for(
    world,
    conclusion="pass",
    summary="项目建设必要，方案可行，投资估算基本合理。\n建议加强数据共享。",
    **overrides,
):
    project = world.project_in_state(ProjectState.REVIEWING, **overrides)
    return opinion_record(project=project, by=world.bdc, conclusion=conclusion, summary=summary)


@pytest.fixture
def issuer(world):
    return bdc_with_short_name(world)


@pytest.fixture
def opinion(world, issuer):
    return opinion_for(world)


def issued_pdf(opinion, by, capture, path):
    """Issue the opinion's letter, its PDF rendered as the worker renders it (on commit), and save the PDF at
    `path`: (letter, path)."""
    from core.models import Letter
    from reviews.issuing import review_opinion_issue

    with capture(execute=True):
        letter = review_opinion_issue(opinion=opinion, by=by)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY, letter.error
    with letter.document.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return letter, path


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(path) -> tuple[list[dict], str]:
    """pdffonts' table as dicts (name, type, emb, uni) and its stderr (where missing glyphs would be warned)."""
    done = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = []
    for line in done.stdout.splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3], "line": line})
    return rows, done.stderr
