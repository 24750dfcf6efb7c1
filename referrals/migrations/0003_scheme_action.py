
import django.db.models.deletion
from django.db import migrations, models


def action_from_code(apps, schema_editor):
    """Link each scheme to the fiche-action its code named, in the active strategy first. A code that
    names no fiche-action yet (no strategy recorded) is kept in the description, for the coordination
    to link the scheme once the strategy is entered."""
    Scheme = apps.get_model("referrals", "Scheme")
    Action = apps.get_model("casework", "Action")
    for scheme in Scheme.objects.exclude(action_code=""):
        action = (
            Action.objects.filter(code=scheme.action_code.strip())
            .order_by("-strategy__active", "-strategy__starts_on")
            .first()
        )
        if action is not None:
            scheme.action = action
            scheme.save(update_fields=["action"])
        else:
            note = f"Fiche-action (code à relier) : {scheme.action_code.strip()}"
            scheme.description = f"{scheme.description}\n{note}".strip()
            scheme.save(update_fields=["description"])


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0007_strategy'),
        ('referrals', '0002_coded_lists'),
    ]

    operations = [
        migrations.AddField(
            model_name='referral',
            name='action',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='casework.action', verbose_name='fiche-action'),
        ),
        migrations.AddField(
            model_name='scheme',
            name='action',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='schemes', to='casework.action', verbose_name='fiche-action'),
        ),
        migrations.RunPython(action_from_code, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='scheme',
            name='action_code',
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
    ]
