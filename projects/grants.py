"""Access to a classified (涉密) project's documents: nobody outside the declaring organisation reads them
unless the reviewing body grants it (DOMAIN.md). The action `grant_access`, registered in ready()."""

from django import forms
from django.db.models import Q

from core.enums import Role
from core.models import User

from .actions import ActionSpec
from .enums import ProjectState
from .services import document_access_grant


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(
        label="授权查阅人",
        queryset=User.objects.none(),
        empty_label="请选择人员…",
        error_messages={"required": "请选择授权查阅的人员。", "invalid_choice": "所选人员不能查看本项目。"},
    )
    reason = forms.CharField(
        label="授权理由", max_length=500, error_messages={"required": "请填写授权理由。"}
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        # Whoever may see the project but not its documents: the jurisdiction's staff, its panel, its supervisor.
        staff = Q(
            organisation__jurisdiction_id=project.organisation.jurisdiction_id,
            role__in=[Role.BDC, Role.FINANCE, Role.AUDITOR, Role.DEVELOPMENT, Role.LEADER],
        )
        panel = Q(expert_profile__assignments__project=project, expert_profile__assignments__active=True)
        supervisor = Q(
            role=Role.SUPERVISOR, organisation__in=project.supervisor_assignments.values("organisation")
        )
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True)
            .filter(staff | panel | supervisor)
            .distinct()
            .order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u}（{Role(u.role).label}）"


GRANT_ACCESS = ActionSpec(
    "grant_access",
    "授权查阅涉密文档",
    frozenset(ProjectState),
    frozenset({Role.BDC}),
    form=lambda project, user, data=None, files=None: GrantForm(data, project=project),
    run=lambda project, data, by: document_access_grant(
        project=project, user=data["user"], by=by, reason=data["reason"]
    ),
    describe=lambda g: {"id": g.pk, "user": g.user.username},
    applies=lambda project: project.is_classified,
    audit_actions=("projects.document.grant",),
    section="documents",
)
