"""Search at a province's scale: p95 of 20 different queries (one- and two-character terms among them) as the
auditor, over N projects with their search entries, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_search .venv/bin/python bench/search.py

The scratch database is emptied first (with BENCH_REUSE=1, the projects of an earlier run at least N strong
are kept and only measured again). BENCH_PROJECTS sets N (default 100,000). Target: p95 ≤ 100 ms. The
projects are written in bulk (not through the services: a benchmark of the search, not of the declaration),
each with a name, a department and a chapter made from a government-IT vocabulary, and indexed exactly as
archive.search indexes a saved project; a tenth of them carry a document and a catalogue resource entry.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_search")

import django

django.setup()

import logging  # noqa: E402

logging.getLogger("axes").setLevel(logging.WARNING)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

N = int(os.environ.get("BENCH_PROJECTS", "100000"))
TARGET_P95_MS = 100
ROUNDS = 10
# BENCH_REUSE=1: keep the projects of an earlier run instead of writing them anew
REUSE = os.environ.get("BENCH_REUSE") == "1"
PLACES = ["智慧", "数字", "全民", "基层", "城市", "乡村", "应急", "政务", "公共", "综合"]
THINGS = [
    "健康信息平台",
    "教育综合服务平台",
    "数据中心",
    "指挥调度系统",
    "政务服务平台",
    "视频监控联网",
    "电子证照库",
    "不动产登记系统",
    "社保经办系统",
    "网格化管理平台",
    "一网通办",
    "共享交换平台",
]
VERBS = ["建设", "升级改造", "运维", "扩容", "迁移上云"]
CHAPTER = [
    "依托政务云",
    "接入共享平台",
    "远程会诊",
    "分级诊疗",
    "数据资源目录",
    "视频中心",
    "等保测评",
    "密码应用",
    "统一身份认证",
    "移动端",
    "大屏展示",
    "电子档案",
    "跨部门协同",
    "业务中台",
]
DEPARTMENTS = ["民政局", "司法局", "人力资源和社会保障局", "自然资源局", "生态环境分局", "住房和城乡建设局",
               "交通运输局", "水务局", "农业农村局", "商务局", "文化和旅游局", "退役军人事务局", "应急管理局",
               "市场监督管理局", "统计局", "医疗保障局", "城市管理局", "行政审批服务局", "信访局", "档案馆", "融媒体中心",
               "科学技术局", "工业和信息化局", "发展和改革局", "教育和体育局"]  # fmt: skip
TOWNSHIPS = [
    "龙山",
    "天福",
    "环山",
    "米山",
    "大水泊",
    "张家产",
    "高村",
    "泽库",
    "侯家",
    "宋村",
    "泽头",
    "小观",
]
QUERIES = [
    "卫生健康局",
    "远程会诊",
    "平台",
    "数据",
    "中心",
    "诊",
    "局",
    "政务云",
    "共享平台 视频中心",
    "指挥调度",
    "电子证照",
    "不动产",
    "社保",
    "网格化",
    "一网通办",
    "教育",
    "升级改造",
    "等保测评",
    "统一身份认证",
    "据中",
    "龙山街道",
    "医疗保障局",
]


def populate(world) -> None:
    from archive.models import SearchEntry
    from archive.search import VECTORS, chars_of, project_facets, words_of
    from core.enums import OrganisationKind
    from core.models import Organisation
    from projects.models import Project

    rng = random.Random(2026)
    # A district's departments and townships, as many as a real one has (the two of the factories among them).
    extra = [f"区{name}" for name in DEPARTMENTS] + [f"{name}街道办事处" for name in TOWNSHIPS]
    organisations = [world.dept_org, world.dept2_org] + [
        Organisation.objects.get_or_create(
            jurisdiction=world.dept_org.jurisdiction,
            name=name,
            defaults={"kind": OrganisationKind.DEPARTMENT},
        )[0]
        for name in extra
    ]
    names = {org.pk: org.name for org in organisations}
    batch, entries = [], []
    for i in range(N):
        name = f"{rng.choice(PLACES)}{rng.choice(THINGS)}{rng.choice(VERBS)}项目"
        chapter = "，".join(rng.sample(CHAPTER, 5)) + "。"
        batch.append(
            Project(
                code=f"BN-{2020 + i % 7}-{i:06d}",
                name=name,
                year=2020 + i % 7,
                declared_amount=100 + i % 900,
                organisation=rng.choice(organisations),
                policy_code="wendeng-2021",
                policy_version="2021",
                created_by=world.dept,
                state="declared" if i % 3 else "archived",
                content=chapter,
            )
        )
        if len(batch) == 5000 or i == N - 1:
            made = Project.objects.bulk_create(batch)
            for project in made:
                text = f"{project.code} {project.name}\n{names[project.organisation_id]}\n{project.content}"
                entries.append(
                    SearchEntry(
                        kind="project",
                        object_id=project.pk,
                        project=project,
                        title=project.name,
                        body=text,
                        **project_facets(project),
                        words=words_of(text),
                        chars=chars_of(text),
                    )
                )
                if project.pk % 10 == 0:
                    doc = f"可行性研究报告 {project.name}可研.pdf"
                    entries.append(
                        SearchEntry(
                            kind="document",
                            object_id=project.pk,
                            project=project,
                            title="可行性研究报告",
                            body=doc,
                            **project_facets(project),
                            words=words_of(doc),
                            chars=chars_of(doc),
                        )
                    )
            SearchEntry.objects.bulk_create(entries, batch_size=5000)
            batch, entries = [], []
            print(f"  {i + 1} 个项目已写入", flush=True)
    SearchEntry.objects.update(**VECTORS)  # as archive.search stores them on each save
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the statistics autovacuum keeps in a live database


def main() -> int:
    from archive.search import search
    from core.models import User
    from projects.models import Project
    from tests.factories import World

    call_command("migrate", verbosity=0)
    if REUSE and Project.objects.count() >= N:  # the projects of an earlier run, measured again
        world = type("World", (), {"auditor": User.objects.get(username="auditor")})
        print(f"沿用已写入的 {Project.objects.count()} 个项目")
    else:
        call_command("flush", interactive=False, verbosity=0)
        world = World()
        started = time.perf_counter()
        populate(world)
        print(f"写入 {N} 个项目及其索引：{time.perf_counter() - started:.0f} s")
    times = {}
    for query in QUERIES:
        search(user=world.auditor, query=query)  # warm
        samples = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            result = search(user=world.auditor, query=query)
            samples.append((time.perf_counter() - start) * 1000)
        times[query] = samples
        print(f"  {query:12s} 命中 {result.total:6d}  中位 {statistics.median(samples):6.1f} ms")
    every = sorted(t for samples in times.values() for t in samples)
    p50 = statistics.median(every)
    p95 = every[int(len(every) * 0.95) - 1]
    ok = p95 <= TARGET_P95_MS
    print(
        f"{N} 个项目，{len(QUERIES)} 个查询 × {ROUNDS} 次：中位 {p50:.1f} ms，p95 {p95:.1f} ms（目标 ≤{TARGET_P95_MS} ms）{'' if ok else '  ✗ 超出'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
