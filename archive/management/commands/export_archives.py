"""`manage.py export_archives --year 2026 --by auditor --out DIR`: a year's archived projects' packages in one go,
built here (not queued) and copied to DIR, each on its project's timeline as if requested in the browser."""

import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from archive.models import ArchivePackage
from archive.services import package_build, package_request
from projects.enums import ProjectState
from projects.locks import project_lock
from projects.selectors import project_visible_to


class Command(BaseCommand):
    help = "导出某一年度已归档项目的归档包：逐个生成并复制到指定目录。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="申报年度")
        parser.add_argument(
            "--by", required=True, help="以哪个用户的名义导出（须有权导出这些项目，如审计局账号）"
        )
        parser.add_argument("--out", required=True, help="归档包存放的目录")
        parser.add_argument("--all-states", action="store_true", help="不限于已归档的项目（草稿除外）")

    def handle(self, *args, year, by, out, all_states, **options):
        user = get_user_model().objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"没有用户“{by}”。")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        projects = project_visible_to(user).filter(year=year).exclude(state=ProjectState.DRAFT)
        if not all_states:
            projects = projects.filter(state=ProjectState.ARCHIVED)
        done = failed = 0
        for project in projects.order_by("code"):
            with transaction.atomic():
                package = package_request(project=project_lock(project.pk, archived_ok=True), by=user)
            package_build(package_id=package.pk)
            package.refresh_from_db()
            if package.status != ArchivePackage.Status.READY:
                self.stderr.write(f"✗ {project.code}：{package.error}")
                failed += 1
                continue
            target = folder / f"{project.code}-归档包-{package.pk}.zip"
            with package.file.open("rb") as source, open(target, "wb") as copy:
                shutil.copyfileobj(source, copy)
            self.stdout.write(
                f"✓ {project.code} → {target}（{package.files} 个文件，清单 SHA-256 {package.manifest_sha256}）"
            )
            done += 1
        self.stdout.write(f"共导出 {done} 个归档包{f'，{failed} 个失败' if failed else ''}。")
        if failed:
            raise SystemExit(1)
