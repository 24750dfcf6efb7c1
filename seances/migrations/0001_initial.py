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
        ('casework', '0001_initial'),
        ('referrals', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NotRetainedReason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, unique=True, verbose_name='code')),
                ('label', models.CharField(max_length=150, verbose_name='libellé')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordre')),
                ('active', models.BooleanField(default=True, verbose_name='actif')),
            ],
            options={
                'verbose_name': 'motif de non-retenue',
                'verbose_name_plural': 'motifs de non-retenue',
                'ordering': ['position', 'label'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='AgendaItem',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('position', models.PositiveSmallIntegerField(verbose_name='ordre')),
                ('reason', models.CharField(choices=[('nouvelle_saisine', 'Nouvelle saisine à examiner'), ('examen_prevu', 'Examen prévu'), ('orientation_en_retard', 'Orientation sans réponse dans le délai'), ('orientation_repondue', 'Orientation ayant reçu une réponse'), ('ajout_coordination', 'Ajoutée par la coordination')], max_length=30, verbose_name="motif d'inscription")),
                ('summary', access.fields.EncryptedTextField(blank=True, key_field='data_key', max_length=2000, null=True, verbose_name="synthèse de l'examen")),
                ('added_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('added_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('data_key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey')),
                ('situation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agenda_items', to='casework.situation')),
            ],
            options={
                'verbose_name': "point de l'ordre du jour",
                'verbose_name_plural': "points de l'ordre du jour",
                'ordering': ['seance', 'position'],
            },
        ),
        migrations.CreateModel(
            name='FollowUpAction',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('label', access.fields.EncryptedTextField(key_field='data_key', max_length=300, verbose_name='action demandée')),
                ('due_on', models.DateField(verbose_name='échéance')),
                ('done_on', models.DateField(blank=True, null=True, verbose_name='réalisée le')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('data_key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey')),
                ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='seances.agendaitem')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='access.partner', verbose_name='partenaire sollicité')),
                ('situation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='followup_actions', to='casework.situation')),
            ],
            options={
                'verbose_name': 'action à suivre',
                'verbose_name_plural': 'actions à suivre',
                'ordering': ['due_on', 'created_at'],
            },
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('kind', models.CharField(choices=[('examinee', 'Examinée'), ('non_retenue', 'Non retenue'), ('suivi_ouvert', 'Suivi ouvert, référent·e désigné·e'), ('orientation', 'Orientation vers un dispositif'), ('action_demandee', 'Action demandée à un partenaire'), ('prochain_examen', 'Prochain examen fixé'), ('cloture', 'Clôture du suivi')], max_length=20, verbose_name='décision')),
                ('next_review_on', models.DateField(blank=True, null=True, verbose_name='prochain examen')),
                ('decided_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('closure_reason', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='casework.closurereason', verbose_name='motif de clôture')),
                ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='seances.agendaitem')),
                ('partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='access.partner', verbose_name='partenaire responsable')),
                ('referent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='référent·e de parcours')),
                ('referral', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='referrals.referral', verbose_name='orientation')),
                ('action', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='decision', to='seances.followupaction')),
                ('not_retained_reason', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='seances.notretainedreason', verbose_name='motif')),
            ],
            options={
                'verbose_name': 'décision',
                'verbose_name_plural': 'décisions',
                'ordering': ['item', 'decided_at'],
            },
        ),
        migrations.CreateModel(
            name='Seance',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('date', models.DateField(verbose_name='date')),
                ('start_time', models.TimeField(verbose_name='heure de début')),
                ('place', models.CharField(max_length=150, verbose_name='lieu')),
                ('status', models.CharField(choices=[('preparation', 'En préparation'), ('en_cours', 'En cours'), ('cloturee', 'Clôturée')], default='preparation', max_length=20, verbose_name='état')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='ouverte le')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='clôturée le')),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('data_key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey')),
                ('started_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('territory', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='casework.territory', verbose_name='quartier')),
            ],
            options={
                'verbose_name': 'séance',
                'verbose_name_plural': 'séances',
                'ordering': ['-date', '-start_time'],
            },
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('invited_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('invited_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('seance', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='seances.seance')),
            ],
            options={
                'verbose_name': 'invitation',
                'verbose_name_plural': 'invitations',
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('pledge_confirmed_at', models.DateTimeField(verbose_name='engagement de confidentialité confirmé le')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.partner', verbose_name='partenaire')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('seance', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='seances.seance')),
            ],
            options={
                'verbose_name': 'présence',
                'verbose_name_plural': 'présences',
                'ordering': ['partner__name', 'pledge_confirmed_at'],
            },
        ),
        migrations.AddField(
            model_name='agendaitem',
            name='seance',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='seances.seance'),
        ),
        migrations.CreateModel(
            name='Addendum',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('text', access.fields.EncryptedTextField(key_field='data_key', max_length=1000, verbose_name='correction')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('data_key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey')),
                ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='addenda', to='seances.agendaitem')),
                ('seance', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='addenda', to='seances.seance')),
            ],
            options={
                'verbose_name': 'addendum',
                'verbose_name_plural': 'addenda',
                'ordering': ['created_at'],
            },
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(fields=['partner', 'done_on', 'due_on'], name='followup_partner_due'),
        ),
        migrations.AddIndex(
            model_name='seance',
            index=models.Index(fields=['status', 'date'], name='seance_status_date'),
        ),
        migrations.AddConstraint(
            model_name='invitation',
            constraint=models.UniqueConstraint(fields=('seance', 'user'), name='one_invitation_per_user'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.UniqueConstraint(fields=('seance', 'user'), name='one_attendance_per_user'),
        ),
        migrations.AddConstraint(
            model_name='agendaitem',
            constraint=models.UniqueConstraint(fields=('seance', 'situation'), name='one_item_per_situation'),
        ),
    ]
