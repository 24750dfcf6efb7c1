"""The plan d'accompagnement: objectives, and steps that are the « actions demandées » of séances.

`FollowUpAction` becomes `Step` (one concept, one table, one name): its rows are kept, an action
already done becomes a step « fait », and each wording is sealed again, since the encrypted field's
associated data names the model (`seances.followupaction.label|pk` → `seances.step.label|pk`).
A decision now points to its step through `Decision.step` (it may also close one).
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import access.fields
from core.keyring import Keyring, unwrap_cached


def _reseal(apps, old: str, new: str) -> None:
    Step = apps.get_model("seances", "Step")
    DataKey = apps.get_model("access", "DataKey")
    keys = {}
    for pk, key_id, sealed in Step.objects.values_list("pk", "data_key_id", "label"):
        if key_id not in keys:
            key = DataKey.objects.get(pk=key_id)
            keys[key_id] = unwrap_cached(str(key.id), key.wrapped, key.master_version)
        text = Keyring.decrypt(keys[key_id], sealed.token, f"seances.{old}.label|{pk}")
        token = Keyring.encrypt(keys[key_id], text, f"seances.{new}.label|{pk}")
        Step.objects.filter(pk=pk).update(label=access.fields.Sealed(token))


def forwards(apps, schema_editor):
    Step = apps.get_model("seances", "Step")
    Step.objects.exclude(ended_on=None).update(status="fait")
    _reseal(apps, "followupaction", "step")


def backwards(apps, schema_editor):
    _reseal(apps, "step", "followupaction")


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0004_accounts"),
        ("casework", "0003_retention_rules"),
        ("seances", "0002_not_retained_reasons"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="followupaction", name="followup_partner_due"),
        migrations.RenameModel(old_name="FollowUpAction", new_name="Step"),
        migrations.RenameField(model_name="step", old_name="done_on", new_name="ended_on"),
        migrations.RenameField(model_name="step", old_name="done_by", new_name="ended_by"),
        migrations.RenameField(model_name="decision", old_name="action", new_name="step"),
        migrations.AlterField(
            model_name="decision",
            name="step",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="decisions",
                to="seances.step",
                verbose_name="étape",
            ),
        ),
        migrations.CreateModel(
            name="Objective",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                (
                    "domain",
                    models.CharField(
                        choices=[
                            ("scolarite", "Scolarité"),
                            ("formation_emploi", "Formation, emploi"),
                            ("sante", "Santé"),
                            ("famille", "Famille"),
                            ("justice", "Justice"),
                            ("logement", "Logement"),
                            ("loisirs", "Loisirs"),
                        ],
                        max_length=20,
                        verbose_name="domaine",
                    ),
                ),
                (
                    "label",
                    access.fields.EncryptedTextField(key_field="data_key", max_length=300, verbose_name="objectif"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("en_cours", "En cours"), ("atteint", "Atteint"), ("non_atteint", "Non atteint")],
                        default="en_cours",
                        max_length=20,
                        verbose_name="état",
                    ),
                ),
                ("status_on", models.DateField(blank=True, null=True, verbose_name="état depuis le")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "data_key",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="access.datakey"
                    ),
                ),
                (
                    "situation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="objectives",
                        to="casework.situation",
                    ),
                ),
            ],
            options={
                "verbose_name": "objectif du plan d'accompagnement",
                "verbose_name_plural": "objectifs du plan d'accompagnement",
                "ordering": ["created_at"],
            },
        ),
        migrations.AlterModelOptions(
            name="step",
            options={
                "ordering": ["due_on", "created_at"],
                "verbose_name": "étape (action demandée)",
                "verbose_name_plural": "étapes (actions demandées)",
            },
        ),
        migrations.AlterField(
            model_name="step",
            name="situation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="steps", to="casework.situation"
            ),
        ),
        migrations.AlterField(
            model_name="step",
            name="item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="steps",
                to="seances.agendaitem",
            ),
        ),
        migrations.AlterField(
            model_name="step",
            name="partner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, to="access.partner", verbose_name="partenaire responsable"
            ),
        ),
        migrations.AlterField(
            model_name="step",
            name="ended_on",
            field=models.DateField(blank=True, null=True, verbose_name="close le"),
        ),
        migrations.AddField(
            model_name="step",
            name="objective",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="steps",
                to="seances.objective",
                verbose_name="objectif",
            ),
        ),
        migrations.AddField(
            model_name="step",
            name="status",
            field=models.CharField(
                choices=[("a_faire", "À faire"), ("en_cours", "En cours"), ("fait", "Fait"), ("abandonne", "Abandonné")],
                default="a_faire",
                max_length=20,
                verbose_name="état",
            ),
        ),
        migrations.AddField(model_name="step", name="last_reminder_at", field=models.DateTimeField(blank=True, null=True)),
        migrations.AddField(
            model_name="step", name="reminder_count", field=models.PositiveSmallIntegerField(default=0)
        ),
        migrations.AddIndex(
            model_name="step",
            index=models.Index(fields=["partner", "status", "due_on"], name="step_partner_status_due"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="kind",
            field=models.CharField(
                choices=[
                    ("examinee", "Examinée"),
                    ("non_retenue", "Non retenue"),
                    ("suivi_ouvert", "Suivi ouvert, référent·e désigné·e"),
                    ("orientation", "Orientation vers un dispositif"),
                    ("action_demandee", "Action demandée à un partenaire"),
                    ("prochain_examen", "Prochain examen fixé"),
                    ("cloture", "Clôture du suivi"),
                    ("etape_close", "Étape du plan close"),
                ],
                max_length=20,
                verbose_name="décision",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
