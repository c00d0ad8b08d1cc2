"""The walks: one project per regulation taken from 草稿 to 已归档 through the REST API alone, every step as
the user its regulation names, with "today" moved where a regulation's window demands it.

`Walk` posts each step and remembers what the timeline must show for it; in a probing walk
(`walk_for(code, probing=True)`) it also tries each step before its condition is met and holds the refusal
to the check's code and to the article it quotes. A walk that is not probing skips those tries, so the same
script serves both tests of a module."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from core.enums import Role
from projects.actions import ACTIONS
from tests.factories import CATALOGUE_ENTRY, PROJECT_DEFAULTS, ExpertFactory, UserFactory, World, pdf_upload

SHANGHAI = ZoneInfo("Asia/Shanghai")
API = "/api/v1/projects/"


def _shown(response) -> str:
    try:
        return f"{response.status_code} {response.json()}"
    except Exception:  # a body that is not JSON is shown as it came
        return f"{response.status_code} {response.content[:500]!r}"


def _multipart(data: dict) -> dict:
    """API.md: in multipart a boolean is true/false (a multichoice repeats its name: lists stay lists)."""
    return {k: ("true" if v else "false") if isinstance(v, bool) else v for k, v in data.items()}


def _has_file(data: dict) -> bool:
    return any(hasattr(v, "read") for v in data.values())


class Walk:
    """One project of one jurisdiction, walked over HTTP."""

    def __init__(self, world: World, clock, capture, probing: bool):
        self.world = world
        self.clock = clock
        self.capture = capture
        self.probing = probing
        self.pk: int | None = None
        # What the timeline must show, in order: (what the step was, the timeline actions that record it, actor).
        self.expected: list[tuple[str, frozenset[str], str]] = []
        self.refusals: list[str] = []  # the check codes a probing walk was refused with
        self.forbidden_steps: list[str] = []

    # ---- time -------------------------------------------------------------------------------------

    def today(self, day: date, hour: int = 10) -> None:
        """From now on it is `day` in Shanghai (uploads, records and checks are dated then)."""
        self.clock.move_to(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)

    # ---- HTTP -------------------------------------------------------------------------------------

    def client(self, user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    def url(self, tail: str = "") -> str:
        return f"{API}{self.pk}/{tail}"

    def get(self, user, tail: str = ""):
        response = self.client(user).get(self.url(tail))
        assert response.status_code == 200, _shown(response)
        return response.json()

    def post(self, user, path: str, data: dict):
        """POST as `user`, JSON or (where a file travels) multipart; the commit callbacks run, so a letter's
        PDF is rendered inline (Celery runs eagerly under config.settings.test)."""
        data = dict(data)
        with self.capture(execute=True):
            if _has_file(data):
                return self.client(user).post(path, _multipart(data), format="multipart")
            return self.client(user).post(path, data, format="json")

    def _expect(self, step: str, actions, by) -> None:
        self.expected.append((step, frozenset(actions), str(by)))

    # ---- the steps --------------------------------------------------------------------------------

    def create(self, by, **data) -> dict:
        body = {**PROJECT_DEFAULTS, **data}
        response = self.post(by, API, body)
        assert response.status_code == 201, _shown(response)
        self.pk = response.json()["id"]
        self._expect("create", {"projects.project.create"}, by)
        return response.json()

    def upload(self, by, kind: str, **flags) -> dict:
        """A document of `kind` (a small real PDF), with the chapter boxes `has_sharing_chapter` and
        `has_security_chapter` where given."""
        response = self.post(
            by, self.url("documents/"), {"kind": kind, "file": pdf_upload(f"{kind}.pdf"), **flags}
        )
        assert response.status_code == 201, f"上传{kind}：{_shown(response)}"
        self._expect(f"upload {kind}", {"projects.document.upload"}, by)
        return response.json()

    def upload_all(self, by, kinds) -> None:
        present = {d["kind"] for d in self.get(by, "documents/")}
        for kind in dict.fromkeys(kinds):
            if kind not in present:
                self.upload(by, kind)

    def catalogue(self, by, **entry) -> dict:
        response = self.post(by, self.url("resources/"), {**CATALOGUE_ENTRY, **entry})
        assert response.status_code == 201, _shown(response)
        self._expect("catalogue", {"sharing.resource.add"}, by)
        return response.json()

    def transition(self, by, name: str, **fields) -> dict:
        response = self.post(by, self.url(f"transitions/{name}/"), fields)
        assert response.status_code == 200, f"{name}：{_shown(response)}"
        self._expect(name, {f"projects.project.{name}"}, by)
        return response.json()

    def action(self, by, name: str, **fields) -> dict:
        response = self.post(by, self.url(f"actions/{name}/"), fields)
        assert response.status_code == 201, f"{name}：{_shown(response)}"
        self._expect(name, ACTIONS[name].audit_actions, by)
        return response.json()

    def set_targets(self, by, **fields) -> dict:
        """The 绩效目标 and indicators (`tests.factories.TARGETS`), as the project page's form posts them."""
        from tests.factories import TARGETS

        return self.action(by, "set_targets", **{**TARGETS, **fields})

    def actuals(self, by) -> dict:
        """The self-evaluation's per-indicator fields, every indicator of the targets (read over the API) at its
        target: met."""
        targets = self.get(by, "performance/")["targets"]
        actuals = {}
        for i in targets["indicators"] if targets else ():
            actuals[f"actual:{i['id']}"] = i["target"]
            if i["direction"] == "qualitative":
                actuals[f"met:{i['id']}"] = "met"
        return actuals

    def self_evaluation(self, by, **fields) -> dict:
        return self.action(by, "self_evaluation", **{**self.actuals(by), **fields})

    def accept(self, organiser, conclusion: str = "passed", transition=None, former=None) -> dict:
        """竣工验收 as the regulations run it: the organiser forms the group (every party the action lists, with a
        unit and a representative), each drawn expert — found over the API as the experts for whom
        `acceptance_opinion` is listed — gives an opinion on every condition, and the organiser records the
        conclusion, which issues the 竣工验收意见函 (rendered inline); then `transition` (验收合格/不合格)."""
        from core.models import Organisation
        from reviews.models import ExpertProfile

        org = organiser.organisation
        if not org.short_name:
            Organisation.objects.filter(pk=org.pk).update(short_name="验收")
            org.refresh_from_db()
        former = former or organiser
        listed = {a["name"]: a for a in self.get(former, "actions/")}
        if "draw_acceptance_group" in listed:
            fields = {}
            for f in listed["draw_acceptance_group"]["fields"]:
                if f["name"].startswith("party:"):
                    fields[f["name"]] = f"{f['label'].split('：')[0]}（验收代表单位）"
                elif f["name"].startswith("name:"):
                    fields[f["name"]] = "王磊"
            self.action(former, "draw_acceptance_group", **fields)
        experts = []
        for profile in ExpertProfile.objects.filter(jurisdiction=self.world.jurisdiction).select_related(
            "user"
        ):
            response = self.client(profile.user).get(self.url("actions/"))
            if response.status_code == 200 and any(
                a["name"] == "acceptance_opinion" for a in response.json()
            ):
                experts.append(profile.user)
        assert experts, "验收组没有待提交意见的专家"
        for user in experts:
            spec = next(a for a in self.get(user, "actions/") if a["name"] == "acceptance_opinion")
            fields = {"recommendation": conclusion, "opinion": "验收意见。"}
            for f in spec["fields"]:
                if f["name"].startswith("condition:"):
                    fields[f["name"]] = "met" if conclusion == "passed" else "unmet"
                    fields[f"comment:{f['name'].split(':', 1)[1]}"] = "已核验。"
            self.action(user, "acceptance_opinion", **fields)
        data = {"conclusion": conclusion, "summary": "经验收组审查，形成验收意见。"}
        if conclusion == "failed":
            due = add_days(self.clock, 30)
            data["items"] = f"数据资源未全部接入共享平台 | {self.world.dept_org.name} | {due}"
        verdict = self.action(organiser, "issue_acceptance_letter", **data)
        issued = self.get(organiser, "acceptance/")["verdicts"][-1]  # the PDF was rendered on commit
        assert issued["letter_status"] == "ready" and issued["letter_number"] == verdict["number"], issued
        if transition:
            self.transition(organiser, transition)
        return verdict

    # ---- refusals (probing walks only) ---------------------------------------------------------------

    def _try(self, by, name: str, fields: dict, kind: str):
        path = self.url(f"{'transitions' if kind == 'transition' else 'actions'}/{name}/")
        return self.post(by, path, fields)

    def refused(self, by, name: str, expected: dict[str, str], kind: str = "transition", **fields) -> None:
        """Probing: taking `name` now is refused (409) and its failing checks include each code of
        `expected`, each quoting its source (《title》article) as given."""
        if not self.probing:
            return
        response = self._try(by, name, fields, kind)
        assert response.status_code == 409, f"{name} 应被拒绝：{_shown(response)}"
        body = response.json()
        assert body["detail"], body
        checks = {c["code"]: c for c in body["checks"]}
        for code, source in expected.items():
            assert code in checks, f"{name}：未见{code}，实为 {sorted(checks)}"
            check = checks[code]
            assert check["severity"] == "block" and check["passed"] is False, check
            assert check["source"] == source, check
            assert source in body["detail"], body["detail"]
            assert check["message"], check
        self.refusals += list(expected)

    def forbidden(self, by, name: str, kind: str = "transition", **fields) -> None:
        """Probing: `by` may not take `name` on this project under its regulation (403, in Chinese)."""
        if not self.probing:
            return
        response = self._try(by, name, fields, kind)
        assert response.status_code == 403, f"{name}（{by}）应为403：{_shown(response)}"
        assert "只能由" in response.json()["detail"] or "无权" in response.json()["detail"], response.json()
        self.forbidden_steps.append(f"{name}:{by.username}")

    def upload_forbidden(self, by, kind: str) -> None:
        """Probing: `by` may not upload a document of `kind` (another body issues it): 403, in Chinese."""
        if not self.probing:
            return
        response = self.post(by, self.url("documents/"), {"kind": kind, "file": pdf_upload(f"{kind}.pdf")})
        assert response.status_code == 403, f"上传{kind}（{by}）应为403：{_shown(response)}"
        self.forbidden_steps.append(f"upload {kind}:{by.username}")

    # ---- reads ------------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self.get(self.world.bdc)["state"]

    def timeline(self) -> list[dict]:
        return self.get(self.world.auditor, "timeline/")

    def panel_experts(self) -> list:
        """The library's experts for whom `score` is listed now (the drawn panel), found over the API: an
        expert not on the panel does not see the project at all (404)."""
        from reviews.models import ExpertProfile

        found = []
        for profile in ExpertProfile.objects.filter(jurisdiction=self.world.jurisdiction).select_related(
            "user"
        ):
            response = self.client(profile.user).get(self.url("actions/"))
            assert response.status_code in (200, 404), _shown(response)
            if response.status_code == 200 and any(a["name"] == "score" for a in response.json()):
                found.append(profile.user)
        return found

    def score_all(self, conclusion: str = "pass") -> list:
        """Every expert of the panel submits a score sheet: a grade and a comment on each of the policy's
        criteria (criterion:<code>, comment:<code>), read from the action's own `fields`."""
        experts = self.panel_experts()
        assert experts, "评审专家组为空"
        for user in experts:
            score = next(a for a in self.get(user, "actions/") if a["name"] == "score")
            codes = [
                f["name"].split(":", 1)[1] for f in score["fields"] if f["name"].startswith("criterion:")
            ]
            assert codes, score["fields"]
            fields = {"opinion": "同意建设。", "recommendation": conclusion}
            for code in codes:
                fields[f"criterion:{code}"] = "meets"
                fields[f"comment:{code}"] = "符合要求。"
            self.action(user, "score", **fields)
        return experts

    def assert_timeline_covers_every_step(self) -> list[dict]:
        """Every step of the walk has its entry on the timeline, in the order taken, by who took it."""
        entries = self.timeline()
        position = 0
        for step, actions, actor in self.expected:
            while position < len(entries) and not (
                entries[position]["action"] in actions and entries[position]["actor"] == actor
            ):
                position += 1
            assert position < len(entries), f"时间线缺少“{step}”（{sorted(actions)}，{actor}）的记录"
            position += 1
        return entries

    def entry(self, action: str) -> dict:
        found = [e for e in self.timeline() if e["action"] == action]
        assert found, action
        return found[-1]


def add_days(clock, days: int) -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() + timedelta(days=days)).isoformat()


def expert(world: World, username: str, *fields: str):
    """One more expert of the jurisdiction's library, with the fields (领域) a panel must cover."""
    return ExpertFactory(
        user=UserFactory(username=username, role=Role.EXPERT, organisation=None),
        employer=world.expert_org,
        fields=list(fields),
    )


@pytest.fixture
def walk_for(db, time_machine, django_capture_on_commit_callbacks):
    """`walk_for(policy_code, probing=False)`: a jurisdiction under that policy with every role, its
    reviewing body able to number letters, and a walk ready to begin on 2025-01-06."""

    def make(policy_code: str, probing: bool = False) -> Walk:
        time_machine.move_to(datetime(2025, 1, 6, 10, tzinfo=SHANGHAI), tick=False)
        walk = Walk(World(policy_code), time_machine, django_capture_on_commit_callbacks, probing)
        bdc_org = walk.world.bdc_org
        bdc_org.short_name = "数据"  # 机关代字: letters are numbered 数据评〔2025〕1号
        bdc_org.save(update_fields=["short_name"])
        return walk

    return make
