"""Coded decline reasons and outcomes of referrals; editable afterwards in the admin."""

from django.db import migrations

DECLINE_REASONS = [
    ("hors-criteres-age", "Hors des critères d'âge du dispositif"),
    ("hors-territoire", "Hors du territoire du dispositif"),
    ("motif-non-couvert", "Besoin non couvert par le dispositif"),
    ("pas-de-place", "Plus de place disponible"),
    ("deja-accompagne", "Jeune déjà accompagné par ailleurs"),
    ("refus-jeune-famille", "Refus du jeune ou de la famille"),
    ("autre-dispositif", "Un autre dispositif est plus adapté"),
    ("injoignable", "Jeune ou famille injoignable"),
]
OUTCOMES = [
    ("objectifs-atteints", "Objectifs atteints"),
    ("relais-droit-commun", "Relais vers le droit commun"),
    ("reorientation", "Réorientation vers un autre dispositif"),
    ("arret-jeune-famille", "Arrêt à la demande du jeune ou de la famille"),
    ("perte-contact", "Perte de contact"),
    ("demenagement", "Déménagement"),
    ("prise-en-charge-judiciaire", "Prise en charge judiciaire ou protection de l'enfance"),
    ("limite-age", "Limite d'âge atteinte"),
]


def load(apps, schema_editor):
    for model_name, entries in (("DeclineReason", DECLINE_REASONS), ("Outcome", OUTCOMES)):
        model = apps.get_model("referrals", model_name)
        for position, (code, label) in enumerate(entries, start=1):
            model.objects.update_or_create(code=code, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
