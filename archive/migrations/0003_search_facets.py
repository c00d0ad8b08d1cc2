import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Each index row carries its project's year, department, state, policy, amount and classification, so
    filters and facets read the index alone (run `manage.py search_reindex` after upgrading)."""

    dependencies = [
        ("archive", "0002_search_index"),
        ("core", "0008_timeline_keyed"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry", name="year", field=models.PositiveSmallIntegerField(null=True, verbose_name="计划年度")
        ),
        migrations.AddField(
            model_name="searchentry",
            name="organisation",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.organisation"
            ),
        ),
        migrations.AddField(
            model_name="searchentry", name="state", field=models.CharField(blank=True, max_length=32, verbose_name="状态")
        ),
        migrations.AddField(
            model_name="searchentry", name="declared_at", field=models.DateTimeField(null=True, verbose_name="申报时间")
        ),
        migrations.AddField(
            model_name="searchentry",
            name="policy_code",
            field=models.CharField(blank=True, max_length=32, verbose_name="适用管理办法"),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="declared_amount",
            field=models.DecimalField(decimal_places=2, max_digits=14, null=True, verbose_name="申报金额（万元）"),
        ),
        migrations.AddField(
            model_name="searchentry", name="is_classified", field=models.BooleanField(default=False, verbose_name="涉密")
        ),
    ]
