import access.fields
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('access', '0001_initial'),
        ('casework', '0001_initial'),
        ('strategy', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DeclineReason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, unique=True, verbose_name='code')),
                ('label', models.CharField(max_length=150, verbose_name='libellé')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordre')),
                ('active', models.BooleanField(default=True, verbose_name='actif')),
            ],
            options={
                'verbose_name': "motif de refus d'orientation",
                'verbose_name_plural': "motifs de refus d'orientation",
                'ordering': ['position', 'label'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Outcome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, unique=True, verbose_name='code')),
                ('label', models.CharField(max_length=150, verbose_name='libellé')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordre')),
                ('active', models.BooleanField(default=True, verbose_name='actif')),
            ],
            options={
                'verbose_name': "issue d'orientation",
                'verbose_name_plural': "issues d'orientation",
                'ordering': ['position', 'label'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ReferralCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_year', models.PositiveSmallIntegerField(null=True, verbose_name="année de l'envoi")),
                ('sent_month', models.PositiveSmallIntegerField(null=True, verbose_name="mois de l'envoi")),
                ('scheme', models.CharField(max_length=150, verbose_name='dispositif')),
                ('action', models.CharField(blank=True, max_length=10, verbose_name='fiche-action (code)')),
                ('state', models.CharField(max_length=20, verbose_name='état final')),
                ('outcome', models.CharField(blank=True, max_length=60, verbose_name='issue')),
                ('answer_days', models.PositiveSmallIntegerField(null=True, verbose_name='jours avant la réponse')),
                ('count', models.PositiveIntegerField(default=0, verbose_name='nombre')),
            ],
            options={
                'verbose_name': "compteur anonyme d'orientations",
                'verbose_name_plural': "compteurs anonymes d'orientations",
                'indexes': [models.Index(fields=['sent_year', 'sent_month'], name='referral_count_month')],
            },
        ),
        migrations.CreateModel(
            name='Scheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=150, unique=True, verbose_name='nom')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('min_age', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(30)], verbose_name='âge minimum')),
                ('max_age', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(30)], verbose_name='âge maximum')),
                ('response_deadline_days', models.PositiveSmallIntegerField(default=15, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(180)], verbose_name='délai de réponse (jours)')),
                ('contact_role', models.CharField(choices=[('intervenant', "Intervenant·e d'un partenaire"), ('coordonnateur', 'Coordonnateur·rice')], default='intervenant', help_text='Les membres du partenaire opérateur ayant ce rôle reçoivent les orientations et les relances.', max_length=20, verbose_name='rôle à prévenir')),
                ('active', models.BooleanField(default=True, verbose_name='actif')),
                ('action', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='schemes', to='strategy.action', verbose_name='fiche-action')),
                ('motifs', models.ManyToManyField(blank=True, help_text='Aucun motif coché : tous les motifs.', related_name='+', to='casework.motif', verbose_name='motifs pris en charge')),
                ('operator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='schemes', to='access.partner', verbose_name='partenaire opérateur')),
                ('territories', models.ManyToManyField(blank=True, help_text='Aucun quartier coché : tous les quartiers.', related_name='+', to='casework.territory', verbose_name='quartiers')),
            ],
            options={
                'verbose_name': 'dispositif',
                'verbose_name_plural': 'dispositifs',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Referral',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('state', models.CharField(choices=[('proposee', 'proposée'), ('envoyee', 'envoyée'), ('acceptee', 'acceptée'), ('refusee', 'refusée'), ('en_cours', 'en cours'), ('terminee', 'terminée'), ('abandonnee', 'abandonnée')], default='proposee', max_length=20, verbose_name='état')),
                ('proposed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='proposée le')),
                ('justification', access.fields.EncryptedTextField(blank=True, key_field='data_key', max_length=1000, null=True, verbose_name='justification')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='envoyée le')),
                ('deadline', models.DateField(blank=True, null=True, verbose_name='réponse attendue le')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='réponse le')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='commencée le')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='close le')),
                ('last_reminder_at', models.DateTimeField(blank=True, null=True)),
                ('reminder_count', models.PositiveSmallIntegerField(default=0)),
                ('action', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='strategy.action', verbose_name='fiche-action')),
                ('data_key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey')),
                ('decline_reason', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='referrals.declinereason', verbose_name='motif de refus')),
                ('outcome', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='referrals.outcome', verbose_name='issue')),
                ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('situation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='referrals', to='casework.situation')),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='referrals.scheme', verbose_name='dispositif')),
            ],
            options={
                'verbose_name': 'orientation',
                'verbose_name_plural': 'orientations',
                'ordering': ['-proposed_at'],
            },
        ),
        migrations.AddConstraint(
            model_name='scheme',
            constraint=models.CheckConstraint(condition=models.Q(('min_age__isnull', True), ('max_age__isnull', True), ('min_age__lte', models.F('max_age')), _connector='OR'), name='scheme_age_range_ordered'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['situation', '-proposed_at'], name='referral_situation'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['state', 'deadline'], name='referral_state_deadline'),
        ),
    ]
