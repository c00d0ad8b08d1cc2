"""Construction under watch (issue 13), by concept: the baseline fixed at 合同备案 and changed only through an
approved change (`baseline`); supervision — the supervisor's 四控三管 reports and the department's score of the
supervisor (`supervision`); the department's progress and budget-execution reports with their variance against
the baseline (`reports`); delay and loss reports, the monthly risk rating and the 督办单 they open (`escalation`);
and what they share (`common`). Each write is one function in one transaction under the project's lock, writing
its timeline entry. The names below are the package's interface; the modules hold the code."""

from .baseline import baseline_current, baseline_fix, baseline_rebase
from .common import (
    DEFAULT_ESCALATION_WORKDAYS,
    DEFAULT_VARIANCE_DAYS,
    ESCALATION_STATES,
    SCORE_STATES,
    WATCH_STATES,
    department_role_owner,
    period_choices,
)
from .escalation import (
    OUTCOME_TRANSITIONS,
    RATING_COMMENT_REQUIRED,
    RATING_ESCALATES,
    RISK_ASPECTS,
    RISK_RUBRIC,
    delay_report_submit,
    escalation_answer,
    escalation_close,
    escalation_open,
    risk_rate,
)
from .reports import progress_report_submit
from .supervision import SUPERVISION_ITEMS, SUPERVISION_RATINGS, supervision_report_submit, supervisor_score

__all__ = [
    "DEFAULT_ESCALATION_WORKDAYS",
    "DEFAULT_VARIANCE_DAYS",
    "ESCALATION_STATES",
    "OUTCOME_TRANSITIONS",
    "RATING_COMMENT_REQUIRED",
    "RATING_ESCALATES",
    "RISK_ASPECTS",
    "RISK_RUBRIC",
    "SCORE_STATES",
    "SUPERVISION_ITEMS",
    "SUPERVISION_RATINGS",
    "WATCH_STATES",
    "baseline_current",
    "baseline_fix",
    "baseline_rebase",
    "delay_report_submit",
    "department_role_owner",
    "escalation_answer",
    "escalation_close",
    "escalation_open",
    "period_choices",
    "progress_report_submit",
    "risk_rate",
    "supervision_report_submit",
    "supervisor_score",
]
