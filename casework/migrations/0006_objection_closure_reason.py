"""The coded closure reason of an upheld objection (GDPR art. 21).

Inactive: nobody picks it by hand; the DPO's objection request, confirmed by a coordinator, sets it.
"""

from django.db import migrations

CODE = "opposition"


def load(apps, schema_editor):
    apps.get_model("casework", "ClosureReason").objects.update_or_create(
        code=CODE, defaults={"label": "Opposition de la personne (RGPD, art. 21)", "position": 90, "active": False}
    )


def unload(apps, schema_editor):
    apps.get_model("casework", "ClosureReason").objects.filter(code=CODE, situation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0005_consent_justification")]

    operations = [migrations.RunPython(load, unload)]
