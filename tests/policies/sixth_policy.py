"""A sixth regulation, for tests only: what a new policy module is (its articles in order, generic checks bound
inline), plugged in by `projects.policies.policy_register` without touching any other file."""

from datetime import date

from projects.checks import Check
from projects.enums import DocumentKind
from projects.policies.base import BDC, WARN, Actor, Article, Policy
from projects.policies.common import catalogue_present, panel_formed
from projects.policies.shapes import documents_check


def _has_content(ctx):
    return bool(ctx.project.content.strip()) or "尚未填写建设内容。"


POLICY = Policy(
    code="sixth-2025",
    version="2025-01-01",
    jurisdiction="第六市",
    title="第六市政务信息化项目管理办法（测试）",
    document_number="六政办〔2025〕1号",
    issued=date(2025, 1, 1),
    reviewing_body="市大数据局",
    articles=(
        Article(
            "第一条",
            "申报须提交建设方案和数据资源目录，由市大数据局组织专家评审",
            documents=(DocumentKind.CONSTRUCTION_PLAN,),
            checks=(
                documents_check(
                    "SX-1-plan", "submit", "第一条", (DocumentKind.CONSTRUCTION_PLAN,), "已提交建设方案"
                ),
                catalogue_present("ANY-catalogue", "第一条"),
                Check("SX-1-content", "submit", WARN, "第一条(二)", "已填写建设内容", _has_content),
                panel_formed("ANY-panel", "第一条"),
            ),
            actors={"approve": (Actor(BDC, "第一条", "市大数据局"),)},
            draw_fields=("data",),
        ),
        Article("第二条", "本办法自印发之日起施行", not_enforced="附则"),
    ),
)
