from pathlib import Path

from projects.management.commands.policies_doc import policies_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "policies.md"


def test_docs_policies_is_what_the_code_enforces():
    assert DOC.read_text(encoding="utf-8") == policies_markdown(), (
        "run: python manage.py policies_doc > docs/policies.md"
    )
