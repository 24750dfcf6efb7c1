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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RightsRequest',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('kind', models.CharField(choices=[('acces', "Droit d'accès (art. 15)"), ('effacement', 'Effacement (art. 17)')], max_length=20, verbose_name='nature')),
                ('references', models.CharField(max_length=600, verbose_name='références')),
                ('status', models.CharField(choices=[('a_confirmer', 'En attente de confirmation'), ('en_cours', 'Confirmée, en cours'), ('terminee', 'Terminée'), ('annulee', 'Annulée'), ('echec', 'Échec')], default='a_confirmer', max_length=20, verbose_name='état')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='demandée le')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmée le')),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='avancement (%)')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='terminée le')),
                ('outcome', models.CharField(blank=True, max_length=200, verbose_name='résultat')),
                ('cancelled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='rights_requests', to='casework.person')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': "demande d'exercice de droits",
                'verbose_name_plural': "demandes d'exercice de droits",
                'ordering': ['-requested_at'],
            },
        ),
        migrations.CreateModel(
            name='SubjectAccessFile',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('pdf', access.fields.EncryptedTextField(key_field='data_key', verbose_name='PDF (base64)')),
                ('json', access.fields.EncryptedTextField(key_field='data_key', verbose_name='JSON')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField()),
                ('data_key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey')),
                ('request', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='file', to='dpo.rightsrequest')),
            ],
            options={
                'verbose_name': "dossier du droit d'accès",
                'verbose_name_plural': "dossiers du droit d'accès",
            },
        ),
    ]
