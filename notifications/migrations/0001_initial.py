import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('orientation_recue', 'Une orientation vous attend'), ('orientation_repondue', 'Une orientation a reçu une réponse'), ('orientation_relance', 'Une orientation attend toujours votre réponse'), ('orientation_en_retard', 'Une orientation est en retard'), ('bris_de_glace', 'Un accès exceptionnel a été ouvert'), ('journal_altere', "La vérification du journal d'audit a échoué"), ('rapport_anomalies', "Le rapport quotidien des anomalies d'accès est prêt"), ('seance_invitation', 'Vous êtes invité·e à une séance du groupe'), ('seance_action', 'Le groupe demande une action à votre partenaire'), ('partenaire_associe', "Votre partenaire est associé au suivi d'une situation")], max_length=30, verbose_name='type')),
                ('link', models.CharField(max_length=200, verbose_name='lien')),
                ('summary', models.CharField(blank=True, max_length=500, verbose_name='résumé chiffré')),
                ('dedupe_key', models.CharField(max_length=120)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('read_at', models.DateTimeField(blank=True, null=True)),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['recipient', 'read_at'], name='notification_unread'), models.Index(fields=['sent_at', 'created_at'], name='notification_pending')],
                'constraints': [models.UniqueConstraint(fields=('recipient', 'dedupe_key'), name='one_notification_per_event')],
            },
        ),
    ]
