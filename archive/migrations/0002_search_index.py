import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL: GIN indexes over the stored tsvectors archive.search matches; SQLite (the embedded default) matches
# the space-separated tokens with LIKE and needs none.
INDEXES = {"archive_search_words_gin": "words_vector", "archive_search_chars_gin": "chars_vector"}


def gin_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON archive_searchentry USING gin ({column})")


def gin_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0001_initial'),
        ('projects', '0004_higher_level_arranged'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('project', '项目'), ('document', '文档'), ('letter', '发文'), ('resource', '数据资源')], max_length=16, verbose_name='类别')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='对象')),
                ('title', models.CharField(max_length=300, verbose_name='标题')),
                ('body', models.TextField(blank=True, verbose_name='正文')),
                ('words', models.TextField(verbose_name='分词')),
                ('chars', models.TextField(verbose_name='单字')),
                ('words_vector', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('chars_vector', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='projects.project')),
            ],
            options={
                'verbose_name': '检索索引',
                'verbose_name_plural': '检索索引',
                'indexes': [models.Index(fields=['project', 'kind'], name='archive_sea_project_698d16_idx')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='search_entry_unique')],
            },
        ),
        migrations.RunPython(gin_create, gin_drop),
    ]
