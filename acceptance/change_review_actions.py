"""The expert re-review of a major change as actions (API.md, *Actions*): the reviewing body draws the change's
panel (`draw_change_panel`), each drawn expert submits a sheet (`score_change`); `decide_change` then records
the panel's tally. Both apply only where the project's policy has a change re-reviewed by experts
(`Policy.change_review_article`: wendeng-2021 第十七条, zhaoyuan-2021 第十三条)."""

from django import forms
from django.urls import reverse

from core.enums import Role
from projects.actions import ActionSpec
from projects.checks import CheckContext
from reviews.enums import ExpertField, Grade

from . import change_review as services
from .models import ChangeRequest, ChangeReviewSheet
from .services import CHANGE_STATES


def _page(project) -> str:
    return reverse("projects:detail", kwargs={"pk": project.pk}) + "#changes"


def _label(change) -> str:
    return f"{change.aspect_labels()}：{change.description[:30]}"


def _applies(project) -> bool:
    return bool(project.policy.change_review_article)


def _pending(project) -> dict:
    return CheckContext.shared(project).fact("change_reviews_pending")


class DrawChangePanelForm(forms.Form):
    change = forms.ModelChoiceField(
        label="须专家评审的变更",
        queryset=ChangeRequest.objects.none(),
        empty_label="请选择变更…",
        error_messages={
            "required": "请选择要抽取专家组的变更。",
            "invalid_choice": "该变更不存在、无须专家评审或已抽取专家组。",
        },
    )
    size = forms.IntegerField(
        label="抽取人数",
        required=False,
        min_value=3,
        max_value=15,
        error_messages={"min_value": "抽取人数不能少于3名。", "max_value": "抽取人数不能超过15名。"},
    )
    fields = forms.MultipleChoiceField(
        label="另须覆盖的专家领域",
        choices=ExpertField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="按项目建设内容确定的领域自动覆盖；此处可增加。",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change"].queryset = ChangeRequest.objects.filter(
            project=project, status=ChangeRequest.Status.SUBMITTED, expert_review=True, review__isnull=True
        ).order_by("id")
        self.fields["change"].label_from_instance = _label
        policy = project.policy
        self.fields["size"].help_text = f"不填即为{policy.panel_size}名；须为奇数（{policy.title}）。"


class ScoreChangeForm(forms.Form):
    """The change, then one grade and one comment per criterion of the policy (`criterion:<code>`,
    `comment:<code>`), the overall opinion and the recommendation."""

    change = forms.ModelChoiceField(
        label="评审的变更",
        queryset=ChangeRequest.objects.none(),
        empty_label="请选择变更…",
        error_messages={
            "required": "请选择评审的变更。",
            "invalid_choice": "该变更不存在、已审核或您不在其变更评审专家组中。",
        },
    )
    opinion = forms.CharField(
        label="总体意见",
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写总体意见。"},
    )
    recommendation = forms.ChoiceField(
        label="评审建议",
        choices=ChangeReviewSheet.Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择同意变更或不同意变更。"},
    )
    correction_reason = forms.CharField(
        label="更正原因", required=False, max_length=200, help_text="已提交、须更正的填写。"
    )

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = project.policy.change_review_criteria
        self.fields["change"].queryset = ChangeRequest.objects.filter(
            project=project,
            status=ChangeRequest.Status.SUBMITTED,
            review__members__expert__user=user,
        ).order_by("id")
        self.fields["change"].label_from_instance = _label
        for c in self.criteria:
            # Nested input flattened as API.md asks: one choice field per criterion, named criterion:<code>.
            self.fields[f"criterion:{c.code}"] = forms.ChoiceField(
                label=f"{c.label}（{c.article}）：评价",
                choices=Grade.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"请就“{c.label}”选择评价。"},
            )
            self.fields[f"comment:{c.code}"] = forms.CharField(
                label=f"{c.label}：意见",
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": f"请填写“{c.label}”的意见。"},
            )
        self.order_fields(
            [
                "change",
                *(n for c in self.criteria for n in (f"criterion:{c.code}", f"comment:{c.code}")),
                "opinion",
                "recommendation",
                "correction_reason",
            ]
        )


def _score(project, data, by):
    criteria = project.policy.change_review_criteria
    return services.change_review_submit(
        project=project,
        by=by,
        change=data["change"],
        grades={c.code: data.get(f"criterion:{c.code}") or "" for c in criteria},
        comments={c.code: data.get(f"comment:{c.code}") or "" for c in criteria},
        opinion=data["opinion"],
        recommendation=data["recommendation"],
        correction_reason=data.get("correction_reason") or "",
    )


CHANGE_REVIEW_ACTIONS = (
    ActionSpec(
        "draw_change_panel",
        "抽取变更评审专家组",
        frozenset(CHANGE_STATES),
        frozenset({Role.BDC}),
        form=lambda project, user, data=None, files=None: DrawChangePanelForm(data, files, project=project),
        run=lambda project, data, by: services.change_panel_draw(
            project=project,
            by=by,
            change=data["change"],
            size=data.get("size"),
            fields=data.get("fields") or (),
        ),
        describe=lambda r: {
            "id": r.pk,
            "change": r.change_id,
            "draw": r.draw_id,
            "source": r.source,
            "members": [{"name": m.name, "unit": m.unit} for m in r.members.all()],
        },
        applies=_applies,
        ready=lambda project: any(not v["drawn"] for v in _pending(project).values()),
        audit_actions=("acceptance.change_review.draw",),
        back=_page,
        section="construction",
        help="须重新履行审核手续的较大变更，从专家库随机抽取专家组评审（同申报评审的抽取规则，回避申报单位、"
        "共建单位、承建单位和监理单位）。",
    ),
    ActionSpec(
        "score_change",
        "提交变更评审意见",
        frozenset(CHANGE_STATES),
        frozenset({Role.EXPERT}),
        form=lambda project, user, data=None, files=None: ScoreChangeForm(
            data, files, project=project, user=user
        ),
        run=_score,
        describe=lambda s: {
            "id": s.pk,
            "change": s.review.change_id,
            "recommendation": s.recommendation,
            "supersedes": s.supersedes_id,
        },
        repeatable=False,
        applies=_applies,
        ready=lambda project: any(v["drawn"] for v in _pending(project).values()),
        member=lambda project, user: services.change_review_seat(project, user) is not None,
        audit_actions=("acceptance.change_review.submit", "acceptance.change_review.correct"),
        back=_page,
        section="construction",
        help="变更评审专家组的专家逐项评价并提出是否同意变更，每人提交一次；提交后如需更正，须填写更正原因。",
    ),
)
