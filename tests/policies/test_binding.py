"""A project keeps the regulation (and its version) in force when it was created."""

from dataclasses import replace

import pytest

from core.models import Jurisdiction
from projects import policies
from projects.models import Project


def test_a_revised_policy_does_not_change_the_rules_of_projects_under_way(world, monkeypatch):
    before = world.project(name="修订前的项目")
    current = policies.POLICIES["wendeng-2021"]
    revised = replace(current, version="2027-01-01", panel_size=5)
    monkeypatch.setitem(policies.POLICIES, "wendeng-2021", revised)
    monkeypatch.setitem(policies.VERSIONS, ("wendeng-2021", "2027-01-01"), revised)

    after = world.project(name="修订后的项目")

    assert (after.policy_version, after.policy.panel_size) == ("2027-01-01", 5)
    before = Project.objects.get(pk=before.pk)
    assert (before.policy_version, before.policy.panel_size) == (current.version, 3)


def test_a_jurisdiction_changing_its_policy_keeps_old_projects_under_the_old_one(world):
    before = world.project()
    Jurisdiction.objects.filter(pk=world.jurisdiction.pk).update(policy_code="fangchenggang-2022")
    world.dept.organisation.jurisdiction.refresh_from_db()
    after = world.project()
    assert Project.objects.get(pk=before.pk).policy.code == "wendeng-2021"
    assert after.policy.code == "fangchenggang-2022"


def test_a_version_no_longer_known_is_an_error_not_a_guess(world):
    project = world.project()
    Project.objects.filter(pk=project.pk).update(policy_version="1999-01-01")
    with pytest.raises(LookupError, match="项目须按其立项时的版本办理"):
        Project.objects.get(pk=project.pk).policy  # noqa: B018
