"""`manage.py search_reindex`: index every project, document, letter and catalogue resource again (after an
upgrade that adds the search, or a change to archive/dictionary.txt). Saves keep the index current otherwise."""

from django.core.management.base import BaseCommand

from archive.search import reindex_all


class Command(BaseCommand):
    help = "重建全文检索索引（项目、文档、发文、数据资源）。"

    def handle(self, *args, **options):
        self.stdout.write(f"已索引 {reindex_all()} 条。")
