from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0003_deadlines'),
    ]

    operations = [
        migrations.AddField(
            model_name='project',
            name='higher_level_arranged',
            field=models.BooleanField(default=False, verbose_name='国家、省统筹安排并拨付资金'),
        ),
    ]
