"""Every role's pages over HTTP, beside the floor and the Django admin in the same run, and the jobs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/pages.py

On the database `bench/generate.py N` made. First the jobs, each in a process of its own (its time and the
process's peak RSS, beside that of a process that only starts Django): the daily 预警 job, the timeline
verification in full, the nightly anchor and an incremental verification after it, and the 台账 of the
largest year. Then gunicorn with the production settings (`bench.settings`: config.settings.production with
bench-only defaults and `bench.urls`), 2 workers, on a free port; each role logs in through the login page,
and every page — project list, list with q=平台, a project's page, home page, search, API list — is requested
BENCH_ROUNDS times (default 20), round-robin with the floor (a bare view doing one indexed query, through the
same middleware and gunicorn, anonymous and logged in) and the admin changelist of the projects, so that all of them share the
machine's load. Each page's median and p95, its ratio to the floor's median and the admin changelist's median
over its own.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("axes").setLevel(logging.WARNING)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
ROLES = ["dept", "bdc", "finance", "auditor", "supervisor", "fgw", "expert1"]
PASSWORD = "Test-Pass-2026!"  # noqa: S105  (tests.factories.PASSWORD, as bench/generate.py sets it)
ADMIN = "benchadmin"


# ---- the jobs ---------------------------------------------------------------------------------------------


def _job(name: str) -> dict:
    """Run one job in this process; what it did."""
    from django.db.models import Count

    from projects.models import Project

    if name == "start":
        return {}
    if name == "daily":
        from projects.tasks import deadlines_check_daily

        return {"result": deadlines_check_daily()}
    if name == "verify_full":
        from core.verification import timeline_check_record

        check = timeline_check_record()
        return {"projects": check.projects, "entries": check.entries, "intact": check.intact}
    if name == "anchor_full":
        from core.verification import timeline_anchor_issue

        anchor = timeline_anchor_issue(full=True)
        return {"anchor": anchor.number, "entries": anchor.entries, "intact": anchor.verification.intact}
    if name == "verify_incremental":
        from core.verification import timeline_check_record

        check = timeline_check_record(incremental=True)
        return {"projects": check.projects, "entries_read": check.entries, "intact": check.intact}
    if name == "ledger":
        from core.models import User

        year = Project.objects.values("year").annotate(n=Count("pk")).order_by("-n", "-year").first()["year"]
        try:
            from core.exports import export_job_build, export_request
        except ImportError:  # a tree without the export jobs: the workbook built in the request
            from reviews.ledger import ledger_workbook
            from reviews.plan import plan_summary

            jurisdiction = User.objects.get(username="bdc").organisation.jurisdiction
            summary = plan_summary(jurisdiction=jurisdiction, year=year)
            return {"year": year, "rows": len(summary.projects), "bytes": len(ledger_workbook(summary))}
        from core.models import ExportJob

        # The export job as the BDC asks for it; its task's body run here (no worker listens to the bench).
        job = export_request(name="ledger", by=User.objects.get(username="bdc"), data={"year": year})
        export_job_build(job_id=job.pk)
        job = ExportJob.objects.get(pk=job.pk)
        return {"year": year, "status": job.status, "rows": job.rows_done, "task_seconds": job.task_seconds}
    raise SystemExit(f"unknown job {name}")


def _run_job(name: str) -> tuple[float, float, dict]:
    """(seconds, peak RSS in MB, what it did), in a process of its own."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603  (this script, with a job name of its own list)
        [sys.executable, __file__, "--job", name], cwd=ROOT, stdout=subprocess.PIPE, env=os.environ
    )
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"job {name} failed ({process.returncode})")
    line = json.loads(out.decode().strip().splitlines()[-1])
    return line["seconds"], usage.ru_maxrss / 1024, {**line["detail"], "wall": time.perf_counter() - started}


# ---- the pages --------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _login(base: str, username: str, path: str = "/login/"):
    import re

    import requests

    session = requests.Session()
    page = session.get(base + path, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        base + path,
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + path},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, (username, response.status_code, response.text[:500])
    return session


def _targets(base: str) -> list[tuple[str, str, object, str]]:
    """(page, role, logged-in session, path) for every role's pages, the floor and the admin changelist."""
    from core.models import User
    from projects.models import Project
    from projects.selectors import project_visible_to

    floor_id = Project.objects.order_by("pk").values_list("pk", flat=True)[Project.objects.count() // 2]
    import requests

    # The floor twice: anonymous (no session: the framework and one query, the ratios' denominator), and
    # logged in, paying what every page pays for its session (SESSION_SAVE_EVERY_REQUEST: Redis and the database).
    floor = f"/bench/floor/?id={floor_id}"
    targets = [
        ("floor（匿名）", "—", requests.Session(), floor),
        ("floor（已登录）", "—", _login(base, "auditor"), floor),
    ]
    targets.append(
        ("admin 变更列表", "—", _login(base, ADMIN, "/bench/admin/login/"), "/bench/admin/projects/project/")
    )
    for role in ROLES:
        session = _login(base, role)
        user = User.objects.get(username=role)
        visible = project_visible_to(user).filter(code__startswith="BN-").order_by("pk")
        count = visible.count()
        detail = visible.values_list("pk", flat=True)[count // 2] if count else None
        pages = [
            ("项目列表", "/projects/"),
            ("项目列表 q=平台", "/projects/?q=平台"),
            ("项目列表 q=信访（少见的两字）", "/projects/?q=信访"),
            ("工作台（首页）", "/"),
            ("全文检索 q=平台", "/archive/search/?q=平台"),
            ("API 项目列表", "/api/v1/projects/"),
        ]
        if detail:
            pages.insert(2, ("项目详情", f"/projects/{detail}/"))
        targets += [(label, role, session, path) for label, path in pages]
    return targets


def _pages(base: str) -> list[dict]:
    targets = _targets(base)
    usable, results = [], []
    for label, role, session, path in targets:
        status = session.get(base + path, timeout=60).status_code  # warm, and whether it answers at all
        if status == 200:
            usable.append((label, role, session, path))
        else:
            results.append({"page": label, "role": role, "status": status})
    samples = {(label, role): [] for label, role, _, _ in usable}
    for _ in range(ROUNDS):
        for label, role, session, path in usable:
            started = time.perf_counter()
            response = session.get(base + path, timeout=60)
            samples[(label, role)].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (label, role, path, response.status_code)
    for (label, role), times in samples.items():
        times.sort()
        results.append(
            {
                "page": label,
                "role": role,
                "status": 200,
                "median": statistics.median(times),
                "p95": times[max(0, int(len(times) * 0.95 + 0.5) - 1)],
            }
        )
    return results


def _gunicorn() -> tuple[subprocess.Popen, str]:
    import requests

    port = _free_port()
    process = subprocess.Popen(  # noqa: S603  (gunicorn, arguments of our own)
        [sys.executable, "-m", "gunicorn", "config.wsgi", f"--bind=127.0.0.1:{port}", "--workers=2",
         "--timeout=120", "--log-level=warning"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/login/", timeout=10)
            return process, base
        except requests.RequestException:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start")


JOBS = (
    ("daily", "每日预警任务"),
    ("verify_full", "时间线校验（全面）"),
    ("anchor_full", "锚定（全面校验 + 锚定）"),
    ("verify_incremental", "时间线校验（增量，锚定后）"),
    ("ledger", "台账导出任务（最多项目的年度）"),
)


def main() -> int:
    from django.db import connection

    from core.models import TimelineEntry
    from projects.models import DocumentVersion, Project

    projects = Project.objects.count()
    print(
        f"## {projects} 个项目、{TimelineEntry.objects.count()} 条时间线记录、{DocumentVersion.objects.count()} 个文档版本"
        f"（PostgreSQL {connection.pg_version // 10000}，{os.cpu_count()} 核，gunicorn 2 workers，{ROUNDS} 轮）\n"
    )
    connection.close()

    print("| 任务 | 用时 | 峰值内存（进程 RSS） | 结果 |\n|---|---|---|---|")
    _, base_rss, _ = _run_job("start")
    print(f"| （仅启动 Django） | — | {base_rss:.0f} MB | — |")
    jobs = () if os.environ.get("BENCH_SKIP_JOBS") == "1" else JOBS  # BENCH_SKIP_JOBS=1: the pages alone
    for name, label in jobs:
        seconds, rss, detail = _run_job(name)
        detail.pop("wall")
        print(
            f"| {label} | {seconds:.2f} s | {rss:.0f} MB | {json.dumps(detail, ensure_ascii=False)} |",
            flush=True,
        )

    process, base = _gunicorn()
    try:
        results = _pages(base)
    finally:
        process.terminate()
        process.wait(timeout=30)
    floor = next(r["median"] for r in results if r["page"] == "floor（匿名）")
    admin = next(r["median"] for r in results if r["page"].startswith("admin"))
    print(
        "\n| 页面 | 角色 | 中位 ms | p95 ms | p95/中位 | × floor | admin ÷ 本页 |\n|---|---|---|---|---|---|---|"
    )
    for r in results:
        if r["status"] != 200:
            print(f"| {r['page']} | {r['role']} | HTTP {r['status']} | | | | |")
            continue
        print(
            f"| {r['page']} | {r['role']} | {r['median']:.1f} | {r['p95']:.1f} | {r['p95'] / r['median']:.2f} "
            f"| {r['median'] / floor:.1f}× | {admin / r['median']:.1f}× |"
        )
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--job":
        started = time.perf_counter()
        detail = _job(sys.argv[2])
        print(
            json.dumps(
                {"seconds": time.perf_counter() - started, "detail": detail}, ensure_ascii=False, default=str
            )
        )
        raise SystemExit(0)
    raise SystemExit(main())
