"""Starting retention periods, to be confirmed by the DPO (page « Conservation »)."""

from django.db import migrations

# Starting values, to be confirmed by the DPO with the DPIA's reference (page « Conservation »):
# a saisine not retained is kept one year after the decision, a closed follow-up three years.
DEFAULTS = (("non_retenue", 365), ("cloturee", 1095))
UNSET_REFERENCE = "à confirmer par le DPO"


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("casework", "RetentionRule")
    for status, days in DEFAULTS:
        RetentionRule.objects.get_or_create(status=status, defaults={"days": days, "dpia_reference": UNSET_REFERENCE})


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_coded_lists")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
