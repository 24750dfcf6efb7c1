import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('access', '0002_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('table', models.CharField(max_length=50, unique=True)),
                ('seq', models.BigIntegerField(default=0)),
                ('chain', models.CharField(blank=True, max_length=64)),
                ('floor_seq', models.BigIntegerField(default=0)),
                ('floor_chain', models.CharField(blank=True, max_length=64)),
                ('mac', models.CharField(blank=True, max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name='PurgeWindow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('before', models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name='ChangeEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_pk', models.CharField(db_index=True, max_length=255, verbose_name='object pk')),
                ('object_id', models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name='object id')),
                ('object_repr', models.TextField(verbose_name='object representation')),
                ('serialized_data', models.JSONField(null=True)),
                ('action', models.PositiveSmallIntegerField(choices=[(0, 'create'), (1, 'update'), (2, 'delete'), (3, 'access')], db_index=True, verbose_name='action')),
                ('changes_text', models.TextField(blank=True, verbose_name='change message')),
                ('changes', models.JSONField(null=True, verbose_name='change message')),
                ('cid', models.CharField(blank=True, db_index=True, max_length=255, null=True, verbose_name='Correlation ID')),
                ('remote_addr', models.GenericIPAddressField(blank=True, null=True, verbose_name='remote address')),
                ('remote_port', models.PositiveIntegerField(blank=True, null=True, verbose_name='remote port')),
                ('timestamp', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='timestamp')),
                ('additional_data', models.JSONField(blank=True, null=True, verbose_name='additional data')),
                ('actor_email', models.CharField(blank=True, max_length=254, null=True, verbose_name='actor email')),
                ('uid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('mac', models.CharField(editable=False, max_length=64)),
                ('seq', models.BigIntegerField(editable=False, null=True, unique=True)),
                ('chain', models.CharField(blank=True, editable=False, max_length=64)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='content type')),
            ],
            options={
                'verbose_name': 'modification',
                'verbose_name_plural': 'modifications',
                'ordering': ['-timestamp'],
                'get_latest_by': 'timestamp',
                'abstract': False,
                'indexes': [models.Index(condition=models.Q(('seq__isnull', True)), fields=['id'], name='change_unsealed')],
            },
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('mac', models.CharField(editable=False, max_length=64)),
                ('seq', models.BigIntegerField(editable=False, null=True, unique=True)),
                ('chain', models.CharField(blank=True, editable=False, max_length=64)),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date')),
                ('kind', models.CharField(choices=[('lecture', 'Lecture'), ('connexion', 'Connexion réussie'), ('connexion_echouee', 'Échec de connexion'), ('verrouillage', 'Compte verrouillé'), ('deconnexion', 'Déconnexion'), ('mfa_enrolement', 'Enrôlement du second facteur'), ('droit_attribue', 'Droit attribué'), ('droit_retire', 'Droit retiré'), ('bris_de_glace', 'Accès exceptionnel ouvert'), ('export_journal', 'Export du journal'), ('purge_journal', 'Purge du journal'), ('alerte_journal', 'Chaîne du journal rompue'), ('conservation_modifiee', 'Durée de conservation modifiée'), ('purge_situation', 'Situation purgée'), ('demande_droits', "Demande d'exercice de droits"), ('demande_droits_confirmee', 'Demande de droits confirmée'), ('export_droit_acces', "Dossier du droit d'accès téléchargé"), ('limitation', 'Traitement limité'), ('limitation_levee', 'Limitation levée'), ('releve_telecharge', 'Relevé de décisions téléchargé'), ('engagement_seance', 'Engagement de confidentialité en séance'), ('evaluation_consultee', "Tableau de bord d'évaluation consulté"), ('evaluation_exportee', "Bilan d'évaluation téléchargé")], default='lecture', max_length=30, verbose_name='nature')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='identifiant saisi')),
                ('object_type', models.CharField(blank=True, max_length=50, verbose_name="type d'objet")),
                ('object_id', models.CharField(blank=True, max_length=36, verbose_name='identifiant')),
                ('situation_reference', models.CharField(blank=True, max_length=20, verbose_name='référence de la situation')),
                ('screen', models.CharField(blank=True, max_length=80, verbose_name='écran')),
                ('purpose', models.CharField(blank=True, choices=[('suivi', 'Suivi courant'), ('seance', 'Séance du groupe'), ('orientation', 'Orientation'), ('bris_de_glace', 'Accès exceptionnel (bris de glace)')], max_length=20, verbose_name='finalité')),
                ('grant_reason', models.CharField(blank=True, db_default='', default='', max_length=24, verbose_name='motif du droit')),
                ('detail', models.CharField(blank=True, max_length=200, verbose_name='détail')),
                ('ip_address', models.GenericIPAddressField(null=True, verbose_name='adresse IP')),
                ('user_agent', models.CharField(blank=True, max_length=300, verbose_name='navigateur')),
                ('partner', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.partner')),
                ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'événement du journal',
                'verbose_name_plural': 'événements du journal',
                'ordering': ['-at', '-id'],
                'indexes': [models.Index(fields=['situation_reference', '-at'], name='event_by_reference'), models.Index(fields=['user', '-at'], include=('kind', 'screen', 'purpose', 'situation_reference'), name='event_by_user'), models.Index(fields=['partner', '-at'], name='event_by_partner'), models.Index(fields=['kind', '-at'], name='event_by_kind'), models.Index(fields=['-at'], name='event_by_time'), models.Index(condition=models.Q(('seq__isnull', True)), fields=['id'], name='event_unsealed')],
            },
        ),
    ]
