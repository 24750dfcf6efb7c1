import access.fields
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('access', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ClosureReason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, unique=True, verbose_name='code')),
                ('label', models.CharField(max_length=150, verbose_name='libellé')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordre')),
                ('active', models.BooleanField(default=True, verbose_name='actif')),
            ],
            options={
                'verbose_name': 'motif de clôture',
                'verbose_name_plural': 'motifs de clôture',
                'ordering': ['position', 'label'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Motif',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, unique=True, verbose_name='code')),
                ('label', models.CharField(max_length=150, verbose_name='libellé')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordre')),
                ('active', models.BooleanField(default=True, verbose_name='actif')),
            ],
            options={
                'verbose_name': 'motif',
                'verbose_name_plural': 'motifs',
                'ordering': ['position', 'label'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ReferenceCounter',
            fields=[
                ('year', models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ('last', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, unique=True, verbose_name='code')),
                ('label', models.CharField(max_length=150, verbose_name='libellé')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordre')),
                ('active', models.BooleanField(default=True, verbose_name='actif')),
            ],
            options={
                'verbose_name': 'source de saisine',
                'verbose_name_plural': 'sources de saisine',
                'ordering': ['position', 'label'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Territory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, unique=True, verbose_name='code')),
                ('label', models.CharField(max_length=150, verbose_name='libellé')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordre')),
                ('active', models.BooleanField(default=True, verbose_name='actif')),
            ],
            options={
                'verbose_name': 'quartier',
                'verbose_name_plural': 'quartiers',
                'ordering': ['position', 'label'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='EvaluationCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received_year', models.PositiveSmallIntegerField(verbose_name='année de la saisine')),
                ('received_month', models.PositiveSmallIntegerField(verbose_name='mois de la saisine')),
                ('source', models.CharField(max_length=60, verbose_name='source')),
                ('motifs', models.CharField(help_text='codes triés, séparés par des espaces', max_length=600, verbose_name='motifs')),
                ('actions', models.CharField(blank=True, help_text='codes triés, séparés par des espaces', max_length=300, verbose_name='fiches-actions')),
                ('status', models.CharField(max_length=20, verbose_name='statut atteint')),
                ('closure_reason', models.CharField(blank=True, max_length=60, verbose_name='motif de clôture')),
                ('age_band', models.CharField(blank=True, max_length=10, verbose_name="tranche d'âge à la saisine")),
                ('gender', models.CharField(blank=True, max_length=1, verbose_name='genre')),
                ('territory', models.CharField(blank=True, max_length=60, verbose_name='quartier')),
                ('followup_band', models.CharField(blank=True, max_length=10, verbose_name='durée du suivi')),
                ('anonymous', models.BooleanField(verbose_name='situation anonyme')),
                ('count', models.PositiveIntegerField(default=0, verbose_name='nombre')),
            ],
            options={
                'verbose_name': 'compteur anonyme',
                'verbose_name_plural': 'compteurs anonymes',
                'constraints': [models.UniqueConstraint(fields=('received_year', 'received_month', 'source', 'motifs', 'actions', 'status', 'closure_reason', 'age_band', 'gender', 'territory', 'followup_band', 'anonymous'), name='evaluation_count_unique')],
            },
        ),
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('last_name', access.fields.EncryptedTextField(key_field='data_key', max_length=100, verbose_name='nom')),
                ('first_name', access.fields.EncryptedTextField(key_field='data_key', max_length=100, verbose_name='prénom')),
                ('birth_date', access.fields.EncryptedDateField(key_field='data_key', verbose_name='date de naissance')),
                ('address', access.fields.EncryptedTextField(blank=True, key_field='data_key', max_length=300, null=True, verbose_name='adresse')),
                ('phone', access.fields.EncryptedTextField(blank=True, key_field='data_key', max_length=30, null=True, verbose_name='téléphone')),
                ('school', access.fields.EncryptedTextField(blank=True, key_field='data_key', max_length=200, null=True, verbose_name='établissement scolaire ou structure')),
                ('legal_representatives', access.fields.EncryptedTextField(blank=True, help_text='Noms et qualité (mère, père, tuteur…), sans autre détail.', key_field='data_key', max_length=500, null=True, verbose_name='représentants légaux')),
                ('birth_year', models.PositiveSmallIntegerField(verbose_name='année de naissance')),
                ('gender', models.CharField(blank=True, choices=[('F', 'Fille / femme'), ('M', 'Garçon / homme'), ('A', 'Autre'), ('', 'Non renseigné')], max_length=1, verbose_name='genre')),
                ('identity_index', models.CharField(db_index=True, editable=False, max_length=64)),
                ('is_fictional', models.BooleanField(default=False, editable=False, verbose_name='personne fictive (démonstration)')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('data_key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey')),
                ('territory', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='casework.territory', verbose_name='quartier')),
            ],
            options={
                'verbose_name': 'jeune',
                'verbose_name_plural': 'jeunes',
            },
        ),
        migrations.CreateModel(
            name='RetentionRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('non_retenue', 'Non retenue'), ('cloturee', 'Clôturée')], max_length=20, unique=True, verbose_name='statut')),
                ('days', models.PositiveIntegerField(verbose_name='durée de conservation (jours)')),
                ('dpia_reference', models.CharField(max_length=120, verbose_name="référence dans l'AIPD")),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'règle de conservation',
                'verbose_name_plural': 'règles de conservation',
                'ordering': ['status'],
            },
        ),
        migrations.CreateModel(
            name='Situation',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('reference', models.CharField(editable=False, max_length=20, unique=True, verbose_name='référence')),
                ('received_on', models.DateField(verbose_name='date de la saisine')),
                ('motif_details', access.fields.EncryptedTextField(blank=True, key_field='data_key', max_length=1000, null=True, verbose_name='précisions sur les motifs')),
                ('status', models.CharField(choices=[('recue', 'Reçue'), ('examinee', 'Examinée'), ('non_retenue', 'Non retenue'), ('suivi_actif', 'Suivi actif'), ('cloturee', 'Clôturée')], default='recue', max_length=20, verbose_name='statut')),
                ('next_review_on', models.DateField(blank=True, null=True, verbose_name='prochain examen')),
                ('status_since', models.DateField(verbose_name='statut depuis le')),
                ('danger', models.BooleanField(default=False, verbose_name="enfant en danger ou en risque de l'être")),
                ('restricted', models.BooleanField(default=False, verbose_name='traitement limité')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='clôturée le')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('closure_reason', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='casework.closurereason', verbose_name='motif de clôture')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('data_key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey')),
                ('motifs', models.ManyToManyField(related_name='situations', to='casework.motif', verbose_name='motifs')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='situations', to='casework.person')),
                ('previous', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reopenings', to='casework.situation', verbose_name='saisine précédente')),
                ('referent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='référent·e de parcours')),
                ('referring_partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.partner', verbose_name="partenaire à l'origine")),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='casework.source', verbose_name='source de la saisine')),
            ],
            options={
                'verbose_name': 'situation',
                'verbose_name_plural': 'situations',
                'ordering': ['-received_on', '-created_at'],
                'permissions': [('annotate_situation', 'Peut ajouter une note à la situation')],
            },
        ),
        migrations.CreateModel(
            name='Association',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('motive', access.fields.EncryptedTextField(key_field='data_key', max_length=300, verbose_name="motif de l'association")),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('data_key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.partner', verbose_name='partenaire')),
                ('situation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='associations', to='casework.situation')),
            ],
            options={
                'verbose_name': 'partenaire associé',
                'verbose_name_plural': 'partenaires associés',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Note',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('body', access.fields.EncryptedTextField(key_field='data_key', verbose_name='note')),
                ('visibility', models.CharField(choices=[('groupe', 'Groupe (tous les partenaires ayant accès à la situation)'), ('partenaire', 'Mon partenaire uniquement')], default='groupe', max_length=20, verbose_name='visibilité')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('data_key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.partner')),
                ('situation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='casework.situation')),
            ],
            options={
                'verbose_name': 'note',
                'verbose_name_plural': 'notes',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['situation', '-created_at'], name='note_situation_created')],
            },
        ),
        migrations.CreateModel(
            name='Information',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('recipient', models.CharField(choices=[('jeune', 'Le ou la jeune'), ('representant', 'Un représentant légal')], max_length=20, verbose_name='personne informée')),
                ('label', access.fields.EncryptedTextField(blank=True, key_field='data_key', max_length=60, null=True, verbose_name='précision (mère, père, tuteur…)')),
                ('informed_on', models.DateField(verbose_name='informé·e le')),
                ('mode', models.CharField(choices=[('entretien', 'Entretien'), ('courrier', 'Courrier'), ('telephone', 'Téléphone'), ('notice', "Remise de la notice d'information"), ('autre', 'Autre')], max_length=20, verbose_name="mode d'information")),
                ('response', models.CharField(choices=[('accord', 'Accord'), ('refus', 'Refus'), ('sans_reponse', 'Pas de réponse')], max_length=20, verbose_name='réponse')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('data_key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('situation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='informations', to='casework.situation')),
            ],
            options={
                'verbose_name': 'information',
                'verbose_name_plural': 'informations',
                'ordering': ['-informed_on', '-created_at'],
                'indexes': [models.Index(fields=['situation', 'recipient'], name='information_situation')],
            },
        ),
        migrations.AddIndex(
            model_name='situation',
            index=models.Index(fields=['status', 'received_on'], name='situation_status_received'),
        ),
        migrations.AddIndex(
            model_name='situation',
            index=models.Index(fields=['-received_on', '-created_at'], name='situation_default_order'),
        ),
    ]
