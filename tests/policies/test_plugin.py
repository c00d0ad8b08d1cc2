"""A sixth regulation is one module and its tests: registered here only, it runs its checks and appears in
docs/policies.md, article by article."""

import ast
from pathlib import Path

import pytest

from projects import policies
from projects.checks import evaluate_checks
from projects.management.commands.policies_doc import policies_markdown
from tests.factories import World

from . import sixth_policy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sixth():
    saved = dict(policies.POLICIES), dict(policies.VERSIONS)
    policies.policy_register(sixth_policy.POLICY)
    yield sixth_policy.POLICY
    for registry, before in zip((policies.POLICIES, policies.VERSIONS), saved, strict=True):
        registry.clear()
        registry.update(before)


def test_policy_register_makes_the_sixth_policy_current_and_bindable(sixth):
    assert policies.policy_get("sixth-2025") is sixth
    assert policies.policy_get("sixth-2025", "2025-01-01") is sixth
    assert policies.POLICIES["sixth-2025"].jurisdiction == "第六市"


def test_sixth_policy_derives_what_it_enforces_from_its_articles(sixth):
    assert [a.number for a in sixth.articles] == ["第一条", "第二条"]
    assert [c.code for c in sixth.checks_for("submit")] == ["SX-1-plan", "ANY-catalogue", "SX-1-content"]
    assert [c.code for c in sixth.checks_for("start_review")] == ["ANY-panel"]
    assert sixth.articles.get("ANY-panel") == "第一条"
    assert sixth.articles.get("ANY-prereview") is None
    assert sixth.declaration_documents == ("construction_plan",)
    assert sixth.draw_fields == ("data",)
    assert sixth.actors["approve"][0].body == "市大数据局"
    assert [a.number for a in sixth.not_enforced_articles] == ["第二条"]


@pytest.mark.django_db
def test_sixth_policy_checks_run_in_evaluate_checks(sixth):
    world = World("sixth-2025")
    project = world.project(content="")
    assert project.policy is sixth

    results = {r.code: r for r in evaluate_checks(project, "submit")}

    assert list(results) == ["SX-1-plan", "ANY-catalogue", "SX-1-content"]
    assert results["SX-1-plan"].passed is False
    assert results["SX-1-plan"].message == "缺少建设方案。"
    assert results["SX-1-plan"].source == "《第六市政务信息化项目管理办法（测试）》第一条"
    assert results["SX-1-content"].warning
    assert results["SX-1-content"].source == "《第六市政务信息化项目管理办法（测试）》第一条(二)"
    assert results["ANY-catalogue"].blocking_failure


def test_sixth_policy_appears_in_the_generated_docs_article_by_article(sixth):
    doc = policies_markdown()
    section = doc[doc.index("## 第六市") :]
    assert section.index("### 第一条 申报须提交建设方案") < section.index("### 不予核验的条款")
    assert "| 提交申报 | SX-1-plan | 阻断 | 已提交建设方案 | 第一条 |" in section
    assert "| 第二条 | 本办法自印发之日起施行 | 附则 |" in section


def test_sixth_policy_is_gone_once_unregistered():
    assert "sixth-2025" not in policies.POLICIES
    assert "## 第六市" not in policies_markdown()


# ---- the policies import only core and projects ---------------------------------------------------------

HIGHER_APPS = {"reviews", "acceptance", "sharing", "letters"}
POLICY_FILES = [
    *sorted((ROOT / "projects" / "policies").glob("*.py")),
    ROOT / "projects" / "checks.py",
    ROOT / "projects" / "deadlines.py",
    Path(sixth_policy.__file__),
]


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: p.name)
def test_policies_import_no_higher_app(path):
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & HIGHER_APPS, f"{path.name} imports {sorted(imported & HIGHER_APPS)}"
