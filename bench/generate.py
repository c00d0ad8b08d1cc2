"""`bench/generate.py N`: a scratch database with N projects at a province's scale, for `bench/pages.py`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/generate.py 5000

The database is emptied first (flush; migrated if new). A jurisdiction with every role (tests/factories'
World: logins dept, dept2, bdc, finance, auditor, supervisor, fgw, expert1…, password `Test-Pass-2026!`, and
`benchadmin` for the admin changelist) and some forty departments and townships. Then one project walked
through the real services into each state of the lifecycle (documents uploaded, letters rendered, every step
on its sealed timeline) — the templates — and N projects cloned from them in bulk, in the proportions of a
live platform (a quarter under construction, a fifth archived, …): each with its own code, name, department,
year, amount and creation time; its documents' versions as small files of its own through the storage
(`default_storage`, so on the object store when STORAGE_BUCKET is set); its timeline copied entry by entry and
sealed anew with the keyed chain (core.seal) and its head, so that `manage.py timeline_verify` passes; and
its search entries, as archive.search indexes a saved project. The records of the other stage apps (review
opinions, contracts, acceptance groups…) are the templates' alone. Minutes, not hours: bulk_create in
batches, ~1 min per 5,000 projects on 2 cores.
"""

import argparse
import hashlib
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"  # the templates' letters are rendered inline

import django

django.setup()

import logging  # noqa: E402

logging.getLogger("axes").setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from archive.models import SearchEntry  # noqa: E402
from archive.search import VECTORS, chars_of, project_facets, words_of  # noqa: E402
from core.enums import OrganisationKind, Role  # noqa: E402
from core.models import Organisation, TimelineEntry, TimelineHead, User  # noqa: E402
from projects.enums import ProjectState  # noqa: E402
from projects.models import Document, DocumentVersion, Project  # noqa: E402

BATCH = 1000
ADMIN = "benchadmin"
# The states a live platform's projects are in, and how many in a hundred.
MIX = {
    ProjectState.DRAFT: 6,
    ProjectState.DECLARED: 8,
    ProjectState.REVIEWING: 5,
    ProjectState.APPROVED: 7,
    ProjectState.PROCUREMENT: 6,
    ProjectState.CONSTRUCTION: 25,
    ProjectState.PRELIMINARY_ACCEPTANCE: 10,
    ProjectState.FINAL_ACCEPTANCE: 5,
    ProjectState.ARCHIVED: 20,
    ProjectState.REJECTED: 4,
    ProjectState.SUSPENDED: 2,
    ProjectState.CANCELLED: 2,
}
PLACES = ["智慧", "数字", "全民", "基层", "城市", "乡村", "应急", "政务", "公共", "综合", "一体化", "掌上"]
THINGS = ["健康信息平台", "教育综合服务平台", "数据中心", "指挥调度系统", "政务服务平台", "视频监控联网",
          "电子证照库", "不动产登记系统", "社保经办系统", "网格化管理平台", "一网通办", "共享交换平台",
          "城市大脑", "智慧停车", "河长制管理系统", "安全生产监管平台"]  # fmt: skip
VERBS = ["建设", "升级改造", "运维", "扩容", "迁移上云", "二期"]
DEPARTMENTS = ["民政局", "司法局", "人力资源和社会保障局", "自然资源局", "生态环境分局", "住房和城乡建设局",
               "交通运输局", "水务局", "农业农村局", "商务局", "文化和旅游局", "退役军人事务局", "应急管理局",
               "市场监督管理局", "统计局", "医疗保障局", "城市管理局", "行政审批服务局", "信访局", "档案馆",
               "融媒体中心", "科学技术局", "工业和信息化局", "教育和体育局附属中心"]  # fmt: skip
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
CHAPTER = ["依托政务云", "接入共享平台", "远程会诊", "分级诊疗", "数据资源目录", "视频中心", "等保测评",
           "密码应用", "统一身份认证", "移动端", "大屏展示", "电子档案", "跨部门协同", "业务中台"]  # fmt: skip


def _fresh() -> None:
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    root = Path(default_storage.location) if hasattr(default_storage, "location") else None
    if root is not None and root.is_dir():
        for path in sorted(root.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()


def _templates(world) -> dict[str, Project]:
    """One project walked into each state through the real services."""
    made = {}
    for state in MIX:
        started = time.perf_counter()
        name = f"样板项目（{ProjectState(state).label}）"
        try:
            try:
                made[state] = world.project_in_state(state, name=name)
            except Exception:
                if state != ProjectState.ARCHIVED:
                    raise
                made[state] = _archived(world, name)
        except Exception as exc:  # a walk this tree cannot take today: its share goes to the others
            print(f"  ✗ 样板 {state}：{type(exc).__name__}: {exc}"[:300])
            continue
        print(f"  样板 {ProjectState(state).label}：{time.perf_counter() - started:.1f} s", flush=True)
    return made


def _archived(world, name: str) -> Project:
    """归档 where the policy asks for the assets' handover first (wendeng-2021 第三十八条) and the factories'
    walk does not record it: through 绩效评价, the handover recorded by the department, then archived."""
    from django.utils import timezone

    from projects.services import project_transition
    from tests.factories import pdf_upload

    project = world.project_in_state(ProjectState.EVALUATION, name=name)
    world.prepare(project, "archive")
    world.act(
        project,
        "handover_assets",
        world.dept,
        {"recipient": "区城市资产运营有限公司", "assets": "平台软件 1套\n服务器 4台",
         "handed_over_on": timezone.localdate().isoformat()},
        {"receipt": pdf_upload("资产移交接收确认书.pdf")},
    )  # fmt: skip
    data = world.transition_data("archive", project)
    project_transition(project_id=project.pk, name="archive", by=world.bdc, data=data)
    project.refresh_from_db()
    return project


def _organisations(world) -> list[Organisation]:
    extra = [f"区{name}" for name in DEPARTMENTS] + [f"{name}街道办事处" for name in TOWNSHIPS]
    return [world.dept_org, world.dept2_org] + [
        Organisation.objects.get_or_create(
            jurisdiction=world.jurisdiction, name=name, defaults={"kind": OrganisationKind.DEPARTMENT}
        )[0]
        for name in extra
    ]


_SKIP_PROJECT = {
    "id",
    "code",
    "name",
    "organisation",
    "year",
    "declared_amount",
    "content",
    "created_at",
    "updated_at",
}
_SKIP_ENTRY = {"id", "project", "prev_hash", "hash", "key_id", "algorithm"}
_SKIP_VERSION = {"id", "document", "file", "size", "sha256", "uploaded_at"}


class Template:
    """What each clone of one template copies: the project's columns, its entries, its documents' versions."""

    def __init__(self, project: Project):
        self.project = project
        self.values = {
            f.attname: getattr(project, f.attname)
            for f in Project._meta.concrete_fields
            if f.name not in _SKIP_PROJECT
        }
        self.entries = [
            {
                f.attname: getattr(e, f.attname)
                for f in TimelineEntry._meta.concrete_fields
                if f.name not in _SKIP_ENTRY
            }
            for e in TimelineEntry.objects.filter(project=project).order_by("seq")
        ]
        self.documents = []
        for document in Document.objects.filter(project=project).order_by("pk"):
            versions = []
            for version in document.versions.order_by("number"):
                with version.file.open("rb") as handle:
                    body = handle.read()
                fields = {
                    f.attname: getattr(version, f.attname)
                    for f in DocumentVersion._meta.concrete_fields
                    if f.name not in _SKIP_VERSION
                }
                versions.append((fields, body))
            self.documents.append(({"kind": document.kind, "title": document.title}, versions))


def _clone_batch(rng, templates: list[Template], organisations, start: int, count: int) -> int:
    """`count` projects (numbers start…), each a copy of one template; the number of document versions."""
    chosen = [templates[i % len(templates)] for i in range(start, start + count)]
    projects = []
    for n, template in zip(range(start, start + count), chosen, strict=True):
        year = 2019 + n % 8
        projects.append(
            Project(
                **template.values,
                code=f"BN-{year}-{n:06d}",
                name=f"{rng.choice(PLACES)}{rng.choice(THINGS)}{rng.choice(VERBS)}项目",
                organisation=rng.choice(organisations),
                year=year,
                declared_amount=Decimal(rng.randrange(2000, 300000)) / 100,
                content="，".join(rng.sample(CHAPTER, 5)) + "。",
            )
        )
    with transaction.atomic():
        projects = Project.objects.bulk_create(projects)
        through = Project.co_builders.through
        through.objects.bulk_create(
            [
                through(project_id=p.pk, organisation_id=rng.choice(organisations).pk)
                for p in projects
                if rng.random() < 0.05
            ]
        )
        entries, heads = [], []
        for project, template in zip(projects, chosen, strict=True):
            prev = ""
            for values in template.entries:
                entry = TimelineEntry(**values, project_id=project.pk, prev_hash=prev)
                entry.seal_here()
                entries.append(entry)
                prev = entry.hash
            head = TimelineHead(project_id=project.pk, count=len(template.entries), last_hash=prev)
            head.seal_here()
            heads.append(head)
        TimelineEntry.objects.bulk_create(entries, batch_size=2000)
        TimelineHead.objects.bulk_create(heads, batch_size=2000)

        documents = [
            (project, Document(project_id=project.pk, **fields), versions)
            for project, template in zip(projects, chosen, strict=True)
            for fields, versions in template.documents
        ]
        Document.objects.bulk_create([d for _, d, _ in documents], batch_size=2000)
        rows = []
        for project, document, versions in documents:
            for fields, body in versions:
                own = body + f"\n% {project.code} {document.kind}\n".encode()
                sha = hashlib.sha256(own).hexdigest()
                name = default_storage.save(f"documents/{project.pk}/{sha}", ContentFile(own))
                rows.append(
                    DocumentVersion(**fields, document=document, file=name, size=len(own), sha256=sha)
                )
        DocumentVersion.objects.bulk_create(rows, batch_size=2000)

        names = {o.pk: o.name for o in organisations}
        search = []
        for project in projects:
            title = f"{project.code} {project.name}"
            body = f"{names[project.organisation_id]}\n{project.get_category_display()}\n{project.content}"
            text = f"{title}\n{body}"
            facets = project_facets(project)
            search.append(
                SearchEntry(
                    kind="project",
                    object_id=project.pk,
                    project=project,
                    title=title,
                    body=body,
                    words=words_of(text),
                    chars=chars_of(text),
                    **facets,
                )
            )
        for project, document, _ in documents:
            title = document.title or document.get_kind_display()
            body = document.get_kind_display()
            search.append(
                SearchEntry(
                    kind="document",
                    object_id=document.pk,
                    project=project,
                    title=title,
                    body=body,
                    words=words_of(f"{title}\n{body}"),
                    chars=chars_of(f"{title}\n{body}"),
                    **project_facets(project),
                )
            )
        SearchEntry.objects.bulk_create(search, batch_size=2000)
    return len(rows)


def _spread_creation_times() -> None:
    """Each clone created in its year (deterministically), not all at this second."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE projects_project SET "
            "created_at = make_timestamptz(year, 1, 5, 9, 0, 0, 'Asia/Shanghai') "
            "+ (id %% 350) * interval '1 day' + (id %% 28800) * interval '1 second', "
            "updated_at = make_timestamptz(year, 1, 5, 9, 0, 0, 'Asia/Shanghai') "
            "+ (id %% 350) * interval '1 day' + (id %% 28800) * interval '1 second' "
            "WHERE code LIKE %s",
            ["BN-%"],
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many projects (at most 20,000 on a shared 2-core machine)")
    args = parser.parse_args()
    from tests.factories import PASSWORD, World

    started = time.perf_counter()
    _fresh()
    # Users made with a fast hash, then all given one hash of the production hasher (one PBKDF2 run, not 20).
    hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = World()
    User.objects.create(
        username=ADMIN, role=Role.SYSADMIN, organisation=world.bdc_org, is_staff=True, is_superuser=True
    )
    settings.PASSWORD_HASHERS = hashers
    User.objects.update(password=make_password(PASSWORD, hasher=PBKDF2PasswordHasher()))
    organisations = _organisations(world)
    print(f"用户与 {len(organisations)} 个建设单位：{time.perf_counter() - started:.0f} s", flush=True)
    made = _templates(world)
    templates = []
    for state, share in MIX.items():
        if state in made:
            templates += [Template(made[state])] * share
    print(f"样板 {len(made)} 个：{time.perf_counter() - started:.0f} s", flush=True)

    rng = random.Random(2026)
    clones = args.n - Project.objects.count()
    versions = 0
    for start in range(0, clones, BATCH):
        versions += _clone_batch(rng, templates, organisations, start, min(BATCH, clones - start))
        print(f"  {start + min(BATCH, clones - start)} / {clones} 个项目（{time.perf_counter() - started:.0f} s）",
              flush=True)  # fmt: skip
    _spread_creation_times()
    SearchEntry.objects.update(**VECTORS)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"共 {Project.objects.count()} 个项目、{TimelineEntry.objects.count()} 条时间线记录、"
        f"{DocumentVersion.objects.count()} 个文档版本（本次克隆写入 {versions} 个文件）："
        f"{time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
