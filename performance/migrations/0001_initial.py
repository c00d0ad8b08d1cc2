# The performance app's tables (docs/decisions/0008). Written from `makemigrations --dry-run`.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0009_letter_outbox'),
        ('projects', '0004_higher_level_arranged'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(verbose_name='序号')),
                ('category', models.CharField(choices=[('output_quantity', '产出指标·数量指标'), ('output_quality', '产出指标·质量指标'), ('output_timeliness', '产出指标·时效指标'), ('output_cost', '产出指标·成本指标'), ('benefit_economic', '效益指标·经济效益指标'), ('benefit_social', '效益指标·社会效益指标'), ('benefit_ecological', '效益指标·生态效益指标'), ('benefit_sustainable', '效益指标·可持续影响指标'), ('satisfaction', '满意度指标·服务对象满意度指标')], max_length=32, verbose_name='指标类别')),
                ('name', models.CharField(max_length=200, verbose_name='指标名称')),
                ('unit', models.CharField(blank=True, max_length=40, verbose_name='计量单位')),
                ('baseline', models.CharField(blank=True, max_length=200, verbose_name='基准值（现状）')),
                ('direction', models.CharField(choices=[('at_least', '≥ 目标值'), ('at_most', '≤ 目标值'), ('qualitative', '定性')], max_length=16, verbose_name='目标方向')),
                ('target', models.CharField(max_length=200, verbose_name='目标值')),
                ('target_value', models.DecimalField(blank=True, decimal_places=4, max_digits=18, null=True, verbose_name='目标值（数值）')),
            ],
            options={
                'verbose_name': '绩效指标',
                'verbose_name_plural': '绩效指标',
                'ordering': ['target_set_id', 'position'],
            },
        ),
        migrations.CreateModel(
            name='SampleDraw',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='年度')),
                ('seed', models.CharField(max_length=128, verbose_name='随机种子')),
                ('algorithm', models.CharField(max_length=64, verbose_name='抽取算法')),
                ('candidates', models.JSONField(verbose_name='候选项目（ID升序）')),
                ('size', models.PositiveIntegerField(verbose_name='抽取数量')),
                ('drawn', models.JSONField(verbose_name='抽中项目（按抽中顺序）')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('jurisdiction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.jurisdiction')),
            ],
            options={
                'verbose_name': '财政再评价抽样',
                'verbose_name_plural': '财政再评价抽样',
                'ordering': ['jurisdiction_id', '-year'],
            },
        ),
        migrations.CreateModel(
            name='SampleMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(verbose_name='抽中顺序')),
                ('draw', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='members', to='performance.sampledraw')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='performance_samples', to='projects.project')),
            ],
            options={
                'verbose_name': '抽中项目',
                'verbose_name_plural': '抽中项目',
                'ordering': ['draw_id', 'position'],
            },
        ),
        migrations.CreateModel(
            name='FinanceEvaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='再评价得分')),
                ('findings', models.TextField(verbose_name='评价发现与整改意见')),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='finance_evaluations', to='projects.project')),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='projects.documentversion')),
                ('member', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='evaluation', to='performance.samplemember')),
            ],
            options={
                'verbose_name': '财政再评价',
                'verbose_name_plural': '财政再评价',
                'ordering': ['project_id', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SelfEvaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('evaluated_on', models.DateField(verbose_name='自评日期')),
                ('summary', models.TextField(verbose_name='自评结论')),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='自评得分')),
                ('users_opinion', models.TextField(blank=True, verbose_name='使用单位意见')),
                ('supervisor_opinion', models.TextField(blank=True, verbose_name='监理单位意见')),
                ('carried_from', models.PositiveIntegerField(blank=True, null=True, unique=True, verbose_name='迁移自原绩效评价记录')),
                ('at', models.DateTimeField()),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='self_evaluations', to='projects.project')),
                ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='projects.documentversion')),
            ],
            options={
                'verbose_name': '绩效自评价',
                'verbose_name_plural': '绩效自评价',
                'ordering': ['project_id', 'evaluated_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='IndicatorResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('actual', models.CharField(max_length=200, verbose_name='实际完成值')),
                ('actual_value', models.DecimalField(blank=True, decimal_places=4, max_digits=18, null=True, verbose_name='实际完成值（数值）')),
                ('met', models.BooleanField(verbose_name='是否达成')),
                ('rate', models.DecimalField(blank=True, decimal_places=2, max_digits=9, null=True, verbose_name='完成率（%）')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='偏差原因')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='performance.indicator')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='results', to='performance.selfevaluation')),
            ],
            options={
                'verbose_name': '绩效指标完成情况',
                'verbose_name_plural': '绩效指标完成情况',
                'ordering': ['evaluation_id', 'indicator__position'],
            },
        ),
        migrations.CreateModel(
            name='TargetSet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='版本')),
                ('goal', models.TextField(verbose_name='绩效目标')),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='performance_target_sets', to='projects.project')),
            ],
            options={
                'verbose_name': '绩效目标',
                'verbose_name_plural': '绩效目标',
                'ordering': ['project_id', 'number'],
            },
        ),
        migrations.AddField(
            model_name='selfevaluation',
            name='target_set',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='self_evaluations', to='performance.targetset'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='target_set',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicators', to='performance.targetset'),
        ),
        migrations.CreateModel(
            name='ThirdPartyEvaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('evaluator', models.CharField(max_length=200, verbose_name='第三方机构')),
                ('evaluated_on', models.DateField(verbose_name='评价日期')),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='评价得分')),
                ('conclusion', models.TextField(verbose_name='评价结论与整改意见')),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='third_party_evaluations', to='projects.project')),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='projects.documentversion')),
            ],
            options={
                'verbose_name': '第三方绩效评价',
                'verbose_name_plural': '第三方绩效评价',
                'ordering': ['project_id', 'evaluated_on', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='sampledraw',
            constraint=models.UniqueConstraint(fields=('jurisdiction', 'year'), name='sample_draw_year_unique'),
        ),
        migrations.AddConstraint(
            model_name='samplemember',
            constraint=models.UniqueConstraint(fields=('draw', 'project'), name='sample_member_unique'),
        ),
        migrations.AddConstraint(
            model_name='targetset',
            constraint=models.UniqueConstraint(fields=('project', 'number'), name='target_set_number_unique'),
        ),
    ]
