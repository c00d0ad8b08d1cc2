"""How long the project list and the project page take as the number of projects grows.

Run against a scratch PostgreSQL database (it is emptied first):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/project_pages.py

Targets: the list (API and page, 20 a page) under 150 ms, the project page under 200 ms, and the reviewing
body's home page — which computes the deadlines of every project under way — under 400 ms at the median with
500 projects in the jurisdiction (a fifth of them in their trial operation), on the 2-core CI machine.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]

import logging  # noqa: E402

logging.getLogger("axes").setLevel(logging.WARNING)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

TARGETS_MS = {"API 项目列表": 150, "项目列表页": 150, "项目详情页": 200, "工作台（期限提醒）": 400}
SIZES = (20, 500)
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "").split(",") if n) or SIZES
ROUNDS = 30


def _measure(client, url) -> tuple[float, int]:
    client.get(url)  # warm
    times = []
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)  # read now: the next request empties the log it reads from
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), query_count


def main() -> int:
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    from tests.factories import World

    world = World()
    failed = False
    made = 0
    for size in SIZES:
        while made < size:
            if made % 5 == 0:
                project = world.project_in_state("declared")
            elif made % 5 == 1:
                world.project_in_state("preliminary_acceptance")  # its trial window is pending
            else:
                world.project()
            made += 1
        api, web, bdc = APIClient(), Client(), Client()
        api.force_authenticate(world.auditor)
        web.force_login(world.auditor)
        bdc.force_login(world.bdc)
        for label, client, url in (
            ("API 项目列表", api, "/api/v1/projects/"),
            ("项目列表页", web, "/projects/"),
            ("项目详情页", web, f"/projects/{project.pk}/"),
            ("工作台（期限提醒）", bdc, "/"),
        ):
            median, queries = _measure(client, url)
            target = TARGETS_MS[label]
            ok = median <= target or size < SIZES[-1]
            failed |= not ok
            print(
                f"{size:4d} 个项目  {label:8s} 中位 {median:7.1f} ms  SQL {queries:3d} 条  目标 ≤{target} ms"
                f"{'' if ok else '  ✗ 超出'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
