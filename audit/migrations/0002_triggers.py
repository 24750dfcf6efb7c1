"""Append-only triggers on the chained audit tables (see audit.triggers)."""

from django.db import migrations

import audit.triggers


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(audit.triggers.install, migrations.RunPython.noop)]
