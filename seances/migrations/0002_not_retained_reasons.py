"""The coded reasons for which the group does not retain a saisine (editable afterwards in the admin)."""

from django.db import migrations

NOT_RETAINED_REASONS = [
    ("hors-champ", "Hors du champ du GSN"),
    ("deja-suivie", "Situation déjà suivie par ailleurs"),
    ("informations-insuffisantes", "Informations insuffisantes"),
    ("protection-enfance", "Relève de la protection de l'enfance (CRIP)"),
    ("refus-famille", "Refus du jeune ou de la famille"),
]


def load(apps, schema_editor):
    model = apps.get_model("seances", "NotRetainedReason")
    for position, (code, label) in enumerate(NOT_RETAINED_REASONS, start=1):
        model.objects.update_or_create(code=code, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("seances", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
