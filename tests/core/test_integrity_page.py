"""The auditor's view of the record's integrity: the page, the printable anchor, the command."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from core.models import TimelineAnchor, TimelineCheck
from core.verification import timeline_anchor_issue, timeline_check_record
from projects.enums import ProjectState
from tests.core.tampering import behind_the_triggers

PAGE = reverse("timeline_integrity")


@pytest.fixture
def project(world):
    return world.project_in_state(ProjectState.DECLARED)


def _tamper(project, seq=2):
    with behind_the_triggers() as cursor:
        sql = "UPDATE core_timelineentry SET comment = %s WHERE project_id = %s AND seq = %s"
        cursor.execute(sql, ["事后篡改", project.pk, seq])


def test_the_auditor_sees_each_broken_project_and_what_broke(client, world, project, postgresql_only):
    client.force_login(world.auditor)
    assert "尚未进行过全面校验" in client.get(PAGE).content.decode()
    _tamper(project)
    timeline_check_record()
    page = client.get(PAGE).content.decode()
    assert "发现问题" in page and project.code in page and project.name in page
    assert "第2条内容与其封存值不符（已被改动或被重新计算）" in page
    assert "每日自动校验" in page


def test_the_auditor_can_start_a_verification_and_check_one_project(client, world, project, postgresql_only):
    client.force_login(world.auditor)
    response = client.post(PAGE)
    assert response.status_code == 302
    check = TimelineCheck.objects.get()
    assert (check.requested_by, check.intact) == (world.auditor, True)
    assert "全部完好" in client.get(PAGE).content.decode()

    one = client.get(PAGE, {"code": project.code}).content.decode()
    assert "完好" in one and project.code in one
    _tamper(project, seq=3)
    one = client.get(PAGE, {"code": project.code}).content.decode()
    assert "第3条内容与其封存值不符" in one
    assert "没有编号为“XX-0”的项目" in client.get(PAGE, {"code": "XX-0"}).content.decode()


@pytest.mark.parametrize("role", ["dept", "bdc", "finance", "supervisor", "sysadmin", "secadmin"])
def test_other_roles_are_refused_the_page_the_request_and_the_anchor(client, world, project, role):
    anchor = timeline_anchor_issue()
    client.force_login(getattr(world, role))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE).status_code == 403
    assert client.get(reverse("timeline_anchor", args=[anchor.pk])).status_code == 403
    assert TimelineCheck.objects.filter(requested_by__isnull=False).count() == 0


def test_anchor_page_is_a_printable_record(client, world, project):
    anchor = timeline_anchor_issue()
    client.force_login(world.auditor)
    page = client.get(reverse("timeline_anchor", args=[anchor.pk])).content.decode()
    assert anchor.number in page and anchor.digest in page and anchor.seal in page
    assert "与封存值相符" in page and "全部完好" in page
    assert client.get(reverse("timeline_anchor", args=[anchor.pk + 99])).status_code == 404


def test_the_page_keeps_its_query_count_as_anchors_and_checks_grow(
    client, world, project, django_assert_max_num_queries
):
    client.force_login(world.auditor)
    timeline_anchor_issue()
    with django_assert_max_num_queries(8) as few:
        client.get(PAGE)
    for _ in range(5):
        timeline_anchor_issue()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE)


def test_the_command_says_intact_or_names_what_broke(world, project, capsys, postgresql_only):
    call_command("timeline_verify")
    assert "全部完好" in capsys.readouterr().out
    call_command("timeline_verify", "--anchor")
    assert TimelineAnchor.objects.count() == 1
    _tamper(project)
    with pytest.raises(SystemExit) as exit_:
        call_command("timeline_verify")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert f"✗ {project.code}" in err and "第2条内容与其封存值不符" in err
    with pytest.raises(SystemExit):
        call_command("timeline_verify", project.code)
    with pytest.raises(CommandError, match="没有这些编号的项目：NO-1"):
        call_command("timeline_verify", "NO-1")
