from pathlib import Path

from projects.management.commands.policies_doc import policies_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "policies.md"


def test_docs_policies_is_what_the_code_enforces():
    assert DOC.read_text(encoding="utf-8") == policies_markdown(), (
        "run: python manage.py policies_doc > docs/policies.md"
    )


LIFECYCLE = DOC.parent / "lifecycle.md"


def test_docs_lifecycle_is_the_one_table_of_transitions():
    from projects.management.commands.lifecycle_doc import lifecycle_markdown

    assert LIFECYCLE.read_text(encoding="utf-8") == lifecycle_markdown(), (
        "run: python manage.py lifecycle_doc > docs/lifecycle.md"
    )
