"""`bench/scale_jobs.py`: the jobs of issue 12 timed on a scratch database — the 台账 export task and the daily
deadline job — with their peak memory taken by `/usr/bin/time -v`.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/h6_bench MEDIA_ROOT=/tmp/h6-bench-media
    .venv/bin/python bench/scale_jobs.py seed 10000      # empties the database first
    /usr/bin/time -v .venv/bin/python bench/scale_jobs.py ledger
    /usr/bin/time -v .venv/bin/python bench/scale_jobs.py daily            # the job as it is
    /usr/bin/time -v .venv/bin/python bench/scale_jobs.py daily --before   # the job before issue 12 (git HEAD)

`seed N`: the tests' World, one project walked through the real services into 已立项, 建设中 and 竣工验收 each,
and N projects cloned from them in bulk (year 2027, every one 立项 and so in the year's ledger, ~40% under
construction); the clones carry no records of their own (no documents, reports or timeline), so the daily job
finds their reports missing — its heaviest case. `ledger` times the export task's body (`export_job_build`,
what the worker runs) for the year's ledger and reads the file back. `daily` runs the job twice and reports
both: the first records the warnings, the second (the steady state, every day after) records none."""

import argparse
import os
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("axes").setLevel(logging.WARNING)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from projects.enums import ProjectState  # noqa: E402
from projects.models import Project  # noqa: E402

YEAR = 2027
TEMPLATES = (ProjectState.APPROVED, ProjectState.CONSTRUCTION, ProjectState.FINAL_ACCEPTANCE)
SKIP = {"id", "code", "name", "organisation", "created_at", "updated_at"}


def seed(n: int) -> None:
    from core.models import Organisation
    from tests.factories import World

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    world = World()
    templates = [world.project_in_state(state, name=f"样板（{state}）", year=YEAR) for state in TEMPLATES]
    departments = list(Organisation.objects.filter(jurisdiction=world.jurisdiction, kind="department"))
    print(f"样板 {len(templates)} 个：{time.perf_counter() - started:.0f} s", flush=True)
    fields = [f for f in Project._meta.concrete_fields if f.name not in SKIP]
    now = timezone.now()
    batch = []
    for i in range(n):
        template = templates[(0, 1, 1, 2, 0)[i % 5]]
        clone = Project(
            code=f"BN-{YEAR}-{i:06d}",
            name=f"{departments[i % len(departments)].name}第{i}号信息化项目",
            organisation=departments[i % len(departments)],
            **{f.attname: getattr(template, f.attname) for f in fields},
        )
        clone.approved_at = now
        batch.append(clone)
        if len(batch) == 2000:
            Project.objects.bulk_create(batch)
            batch = []
    Project.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"共 {Project.objects.count()} 个项目：{time.perf_counter() - started:.0f} s")


def ledger() -> None:
    from openpyxl import load_workbook

    from core.exports import export_job_build
    from core.models import ExportJob, User
    from reviews.ledger import LEDGER_EXPORT

    finance = User.objects.get(username="finance")
    params = LEDGER_EXPORT.clean(finance, {"year": str(YEAR)})
    job = ExportJob.objects.create(
        name="ledger", title=LEDGER_EXPORT.title, params=params, requested_by=finance
    )
    started = time.perf_counter()
    export_job_build(job_id=job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        rows = sum(1 for _ in load_workbook(handle, read_only=True).active.iter_rows(values_only=True))
    print(
        f"台账：{job.rows_done} 行（文件 {rows} 行，{job.size / 1e6:.1f} MB），任务用时 {elapsed:.2f} s（{job.status}）"
    )


def _head_module(path: str):
    """One of our modules as it was before issue 12 (git HEAD), as a module of its package."""
    source = subprocess.run(  # noqa: S603 (a fixed command on our own repository)
        ["git", "show", f"HEAD:{path}"],  # noqa: S607 (git from PATH, as a developer runs it)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType(path.replace("/", ".").removesuffix(".py") + "_before")
    module.__package__ = path.split("/")[0]
    exec(compile(source, f"{path}@HEAD", "exec"), module.__dict__)  # noqa: S102 (our own code, from git)
    return module


def _before_module():
    """The daily job before issue 12: projects/warnings.py and the deadlines' prefetch of git HEAD."""
    module = _head_module("projects/warnings.py")
    module.deadlines_for_projects = _head_module("projects/deadlines.py").deadlines_for_projects
    return module


def daily(before: bool) -> None:
    from datetime import date

    if before:
        check = _before_module().deadlines_check
    else:
        from projects.warnings import deadlines_check as check
    today = date(YEAR, 11, 2)
    for run in ("第一次", "第二次"):
        started = time.perf_counter()
        counts = check(today=today)
        print(
            f"每日期限任务（{'改前' if before else '改后'}）{run}：{time.perf_counter() - started:.1f} s {counts}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seed").add_argument("n", type=int, help="at most 20,000 on a shared 2-core machine")
    sub.add_parser("ledger")
    sub.add_parser("daily").add_argument("--before", action="store_true")
    args = parser.parse_args()
    if args.command == "seed":
        seed(args.n)
    elif args.command == "ledger":
        ledger()
    else:
        daily(args.before)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
