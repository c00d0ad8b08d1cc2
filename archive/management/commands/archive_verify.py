"""`manage.py archive_verify PACKAGE.zip …`: whether each file in an archive package matches its manifest, and
whether the manifest is the one the platform recorded. Exits 1 when anything does not match."""

from django.core.management.base import BaseCommand

from archive.services import package_verify


class Command(BaseCommand):
    help = "核验归档包：逐个文件核对 manifest.json 所列的大小、SHA-256 与 SM3，并核对清单是否为平台所记录；有问题时退出码为 1。"

    def add_arguments(self, parser):
        parser.add_argument("packages", nargs="+", metavar="归档包.zip")
        parser.add_argument(
            "--offline",
            action="store_true",
            help="不连接平台数据库，只核对包内文件与清单（在平台以外核验时用）",
        )

    def handle(self, *args, packages, offline, **options):
        broken = 0
        for path in packages:
            try:
                with open(path, "rb") as handle:
                    check = package_verify(handle, against_platform=not offline)
            except OSError as exc:
                self.stderr.write(f"✗ {path}：无法读取（{exc.strerror}）")
                broken += 1
                continue
            if check.intact:
                recorded = f"，与平台归档包 #{check.recorded.pk} 的记录一致" if check.recorded else ""
                self.stdout.write(
                    f"✓ {path}：项目 {check.project}，{check.files} 个文件均与清单相符{recorded}"
                )
                continue
            broken += 1
            self.stderr.write(f"✗ {path}：项目 {check.project or '（不明）'}")
            for problem in check.problems:
                self.stderr.write(f"    {problem}")
        if broken:
            raise SystemExit(1)
