"""The coded outcome of referrals ended because their situation closed.

Inactive: an operator never picks it by hand; `referrals_end_on_closing` sets it.
"""

from django.db import migrations

CODE = "cloture-situation"


def load(apps, schema_editor):
    Outcome = apps.get_model("referrals", "Outcome")
    Outcome.objects.update_or_create(
        code=CODE, defaults={"label": "Clôture de la situation", "position": 90, "active": False}
    )


def unload(apps, schema_editor):
    apps.get_model("referrals", "Outcome").objects.filter(code=CODE, referral__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_coded_lists")]

    operations = [migrations.RunPython(load, unload)]
