"""`manage.py timeline_verify`: every project's record (or the ones named) against its seals, its head and the
latest anchor, and the anchors' own chain; what broke, project by project. Exits 1 when anything is broken,
so a cron job or a monitoring check can act on it."""

from django.core.management.base import BaseCommand, CommandError

from core.models import TimelineHead
from core.verification import (
    anchors_verify,
    timeline_anchor_issue,
    timeline_check_record,
    timeline_verify,
    timeline_verify_all,
    timeline_verify_incremental,
)


class Command(BaseCommand):
    help = "核验项目时间线：逐条封存值、记录头与最近的锚定；有问题时退出码为 1。"

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", metavar="项目编号", help="只核验这些项目（默认全部）")
        parser.add_argument(
            "--record", action="store_true", help="保存校验结果，供审计局在“时间线校验”页查看"
        )
        parser.add_argument(
            "--anchor", action="store_true", help="校验后出具一份新的锚定记录（每日任务所做的）"
        )
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="增量校验：各项目从最近一次锚定校验至的记录起（每日任务周一至周六所做的；默认逐条全面校验）",
        )

    def handle(self, *args, codes, record, anchor, incremental, verbosity, **options):
        if codes and (record or anchor or incremental):
            raise CommandError("--record、--anchor 与 --incremental 只用于全部项目，不能与项目编号同用。")
        if codes:
            broken, general = self._named(codes, verbosity), anchors_verify()
        elif anchor:
            made = timeline_anchor_issue(full=not incremental)
            check = made.verification
            broken, general = _as_lists(check.broken), check.general
            self.stdout.write(
                f"已出具{made.number}：{made.projects} 个项目、{made.entries} 条记录，摘要 {made.digest}"
            )
        elif record:
            check = timeline_check_record(incremental=incremental)
            broken, general = _as_lists(check.broken), check.general
            self.stdout.write(f"共核验 {check.projects} 个项目、{check.entries} 条记录（结果已保存）。")
        else:
            report = timeline_verify_incremental() if incremental else timeline_verify_all()
            codes_by_id = _codes(report.broken)
            broken = {codes_by_id.get(pid, f"#{pid}"): problems for pid, problems in report.broken.items()}
            general = report.general
            self.stdout.write(f"共核验 {report.projects} 个项目、{report.entries} 条记录。")
        self._report(broken, general)

    def _named(self, codes, verbosity) -> dict[str, list[str]]:
        project_model = TimelineHead._meta.get_field("project").related_model
        found = dict(project_model.objects.filter(code__in=codes).values_list("code", "pk"))
        missing = [code for code in codes if code not in found]
        if missing:
            raise CommandError(f"没有这些编号的项目：{'、'.join(missing)}")
        broken = {}
        for code in codes:
            problems = timeline_verify(project_id=found[code])
            if problems:
                broken[code] = problems
            elif verbosity >= 1:
                self.stdout.write(f"✓ {code} 完好")
        return broken

    def _report(self, broken: dict[str, list[str]], general: list[str]) -> None:
        for code, problems in sorted(broken.items()):
            self.stderr.write(f"✗ {code}")
            for problem in problems:
                self.stderr.write(f"    {problem}")
        for problem in general:
            self.stderr.write(f"✗ 锚定：{problem}")
        if broken or general:
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("全部完好。"))


def _as_lists(broken: dict) -> dict[str, list[str]]:
    return {item["code"]: item["problems"] for item in broken.values()}


def _codes(broken: dict) -> dict[int, str]:
    project_model = TimelineHead._meta.get_field("project").related_model
    return dict(project_model.objects.filter(pk__in=list(broken)).values_list("pk", "code"))
