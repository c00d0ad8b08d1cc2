"""What the policies' checks read of this app's records (`projects.checks.fact_register`): the targets in
force (the submit checks of laohekou-2024 第二十五条 and gongshu-draft 四(一)) and the latest self-evaluation
(the archive checks)."""

from .selectors import self_evaluation_latest, targets_current


def performance_targets(project):
    """The current targets as plain values: None, or {"goal", "indicators": [{"name", "quantitative"}]}."""
    current = targets_current(project)
    if current is None:
        return None
    return {
        "goal": current.goal,
        "indicators": [{"name": i.name, "quantitative": i.quantitative} for i in current.indicators.all()],
    }


def self_evaluation(project):
    """The latest self-evaluation: None, or {"evaluated_on", "has_report"}."""
    latest = self_evaluation_latest(project)
    if latest is None:
        return None
    return {"evaluated_on": latest.evaluated_on, "has_report": latest.report_id is not None}


FACTS = {"performance_targets": performance_targets, "self_evaluation": self_evaluation}
