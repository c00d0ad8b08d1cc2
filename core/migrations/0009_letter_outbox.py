# The letter as its own outbox entry: when the broker took its rendering task, and how many renderings began.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_timeline_keyed"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="送入生成队列时间"),
        ),
        migrations.AddField(
            model_name="letter",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="生成尝试次数"),
        ),
    ]
