import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('access', '0001_initial'),
        ('casework', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Axis',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='numéro')),
                ('title', models.CharField(max_length=200, verbose_name='intitulé')),
            ],
            options={
                'verbose_name': 'axe',
                'verbose_name_plural': 'axes',
                'ordering': ['strategy', 'number'],
            },
        ),
        migrations.CreateModel(
            name='Action',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Par exemple 2.3 : unique dans la stratégie.', max_length=10, verbose_name='code')),
                ('title', models.CharField(max_length=200, verbose_name='intitulé')),
                ('problem', models.TextField(blank=True, max_length=2000, verbose_name='problématique')),
                ('solutions', models.TextField(blank=True, max_length=2000, verbose_name='solutions proposées')),
                ('calendar', models.CharField(blank=True, max_length=300, verbose_name='calendrier')),
                ('indicators', models.TextField(blank=True, max_length=2000, verbose_name="critères d'évaluation")),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('partners', models.ManyToManyField(blank=True, related_name='associated_actions', to='access.partner', verbose_name='partenaires associés')),
                ('pilot', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='piloted_actions', to='access.partner', verbose_name='partenaire pilote')),
                ('suggested_for_motifs', models.ManyToManyField(blank=True, help_text="Une situation ayant l'un de ces motifs se voit proposer cette fiche-action.", related_name='suggested_actions', to='casework.motif', verbose_name='proposée pour les motifs')),
                ('axis', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='strategy.axis', verbose_name='axe')),
            ],
            options={
                'verbose_name': 'fiche-action',
                'verbose_name_plural': 'fiches-actions',
                'ordering': ['strategy', 'axis__number', 'code'],
            },
        ),
        migrations.CreateModel(
            name='SituationAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('confirmed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('action', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='situation_links', to='strategy.action')),
                ('confirmed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('situation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_links', to='casework.situation')),
            ],
            options={
                'verbose_name': 'contribution à une fiche-action',
                'verbose_name_plural': 'contributions aux fiches-actions',
            },
        ),
        migrations.AddField(
            model_name='action',
            name='situations',
            field=models.ManyToManyField(blank=True, related_name='actions', through='strategy.SituationAction', to='casework.situation', verbose_name='situations'),
        ),
        migrations.CreateModel(
            name='Strategy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='intitulé')),
                ('starts_on', models.DateField(verbose_name='début de la période')),
                ('ends_on', models.DateField(verbose_name='fin de la période')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'stratégie territoriale',
                'verbose_name_plural': 'stratégies territoriales',
                'ordering': ['-starts_on', 'title'],
                'constraints': [models.CheckConstraint(condition=models.Q(('starts_on__lte', models.F('ends_on'))), name='strategy_period')],
            },
        ),
        migrations.AddField(
            model_name='axis',
            name='strategy',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='axes', to='strategy.strategy'),
        ),
        migrations.AddField(
            model_name='action',
            name='strategy',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='strategy.strategy'),
        ),
        migrations.AddConstraint(
            model_name='situationaction',
            constraint=models.UniqueConstraint(fields=('situation', 'action'), name='situation_action_unique'),
        ),
        migrations.AddConstraint(
            model_name='axis',
            constraint=models.UniqueConstraint(fields=('strategy', 'number'), name='axis_unique_number'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.UniqueConstraint(fields=('strategy', 'code'), name='action_unique_code'),
        ),
    ]
