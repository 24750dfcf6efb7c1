import access.fields
import django.utils.timezone
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='BreakGlassAccess',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('reason', access.fields.EncryptedTextField(key_field='data_key', verbose_name='motif')),
                ('opened_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('expires_at', models.DateTimeField(verbose_name='expire le')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='refermé le')),
            ],
            options={
                'verbose_name': 'accès exceptionnel',
                'verbose_name_plural': 'accès exceptionnels',
                'ordering': ['-opened_at'],
            },
        ),
        migrations.CreateModel(
            name='CharterAcceptance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('accepted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='acceptée le')),
            ],
            options={
                'verbose_name': 'acceptation de la charte',
                'verbose_name_plural': 'acceptations de la charte',
            },
        ),
        migrations.CreateModel(
            name='CharterVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(unique=True, verbose_name='version')),
                ('title', models.CharField(max_length=200, verbose_name='titre')),
                ('body', models.TextField(verbose_name='texte')),
                ('published_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='publiée le')),
            ],
            options={
                'verbose_name': 'version de la charte',
                'verbose_name_plural': 'versions de la charte',
                'ordering': ['-version'],
            },
        ),
        migrations.CreateModel(
            name='DataKey',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('wrapped', models.BinaryField(null=True)),
                ('master_version', models.PositiveIntegerField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('destroyed_at', models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('intervenant', "Intervenant·e d'un partenaire"), ('coordonnateur', 'Coordonnateur·rice'), ('dpo', 'Délégué·e à la protection des données'), ('admin', 'Administrateur·rice technique')], max_length=20, verbose_name='rôle')),
            ],
            options={
                'verbose_name': 'appartenance',
                'verbose_name_plural': 'appartenances',
            },
        ),
        migrations.CreateModel(
            name='Partner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=150, unique=True, verbose_name='nom')),
                ('kind', models.CharField(choices=[('ville', 'Ville / CCAS'), ('police_municipale', 'Police municipale'), ('police_nationale', 'Police nationale / gendarmerie'), ('parquet', 'Parquet'), ('education', 'Éducation nationale'), ('prevention_specialisee', 'Prévention spécialisée'), ('centre_social', 'Centre social'), ('jeunesse', 'Service jeunesse'), ('mission_locale', 'Mission locale'), ('pjj', 'Protection judiciaire de la jeunesse'), ('bailleur', 'Bailleur social'), ('departement', 'Département (service social)'), ('autre', 'Autre')], max_length=30, verbose_name='type')),
                ('charter_signed_on', models.DateField(blank=True, null=True, verbose_name='charte signée le')),
                ('active', models.BooleanField(default=True, verbose_name='actif')),
            ],
            options={
                'verbose_name': 'partenaire',
                'verbose_name_plural': 'partenaires',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='SituationGroupGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('partenaire_auteur', "Partenaire à l'origine de la saisine"), ('coordination', 'Coordination du groupe'), ('referent', 'Référent·e de parcours'), ('operateur', "Opérateur d'un dispositif (orientation)"), ('seance', 'Participant·e à une séance'), ('bris_de_glace', 'Accès exceptionnel (bris de glace)'), ('partenaire_associe', 'Partenaire associé par le groupe'), ('saisine_precedente', 'Partenaire de la saisine précédente')], max_length=24, verbose_name='motif')),
                ('source_type', models.CharField(blank=True, max_length=40, verbose_name="à l'origine")),
                ('source_id', models.CharField(blank=True, max_length=40, verbose_name="identifiant de l'origine")),
                ('granted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='attribué le')),
                ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='expire le')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='retiré le')),
            ],
            options={
                'verbose_name': "droit d'un partenaire sur une situation",
                'verbose_name_plural': 'droits des partenaires sur les situations',
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='SituationUserGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('partenaire_auteur', "Partenaire à l'origine de la saisine"), ('coordination', 'Coordination du groupe'), ('referent', 'Référent·e de parcours'), ('operateur', "Opérateur d'un dispositif (orientation)"), ('seance', 'Participant·e à une séance'), ('bris_de_glace', 'Accès exceptionnel (bris de glace)'), ('partenaire_associe', 'Partenaire associé par le groupe'), ('saisine_precedente', 'Partenaire de la saisine précédente')], max_length=24, verbose_name='motif')),
                ('source_type', models.CharField(blank=True, max_length=40, verbose_name="à l'origine")),
                ('source_id', models.CharField(blank=True, max_length=40, verbose_name="identifiant de l'origine")),
                ('granted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='attribué le')),
                ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='expire le')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='retiré le')),
            ],
            options={
                'verbose_name': "droit d'une personne sur une situation",
                'verbose_name_plural': 'droits des personnes sur les situations',
                'abstract': False,
            },
        ),
    ]
