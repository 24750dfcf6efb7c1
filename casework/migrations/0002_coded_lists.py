"""Coded lists from the CLSPD glossary (docs/domain/GLOSSARY.md); editable afterwards in the admin."""

from django.db import migrations

SOURCES = [
    ("education-nationale", "Éducation nationale"),
    ("police-nationale", "Police nationale / gendarmerie"),
    ("police-municipale", "Police municipale"),
    ("bailleur-social", "Bailleur social"),
    ("service-social-departemental", "Service social départemental"),
    ("prevention-specialisee", "Prévention spécialisée"),
    ("mission-locale", "Mission locale"),
    ("pjj", "PJJ"),
    ("parquet", "Parquet"),
    ("centre-social", "Centre social"),
    ("famille", "Famille"),
    ("autre", "Autre"),
]
MOTIFS = [
    ("absenteisme-scolaire", "Absentéisme scolaire"),
    ("decrochage-scolaire", "Décrochage scolaire"),
    ("exclusion-scolaire", "Exclusion scolaire"),
    ("incivilites", "Incivilités"),
    ("degradations", "Dégradations"),
    ("violences-rixes", "Violences / rixes"),
    ("exposition-trafics", "Exposition aux trafics"),
    ("contact-justice", "Contact avec la justice (codé, sans détail)"),
    ("risque-reiteration", "Risque de réitération"),
    ("conduites-addictives", "Conduites addictives"),
    ("fugue-errance", "Fugue / errance"),
    ("mal-etre", "Mal-être"),
    ("conflit-familial", "Conflit familial"),
    ("difficultes-educatives", "Difficultés éducatives / parentalité"),
    ("neet", "Sans emploi ni formation (NEET)"),
    ("harcelement", "Victime de harcèlement / cyberviolence"),
]
CLOSURE_REASONS = [
    ("objectifs-atteints", "Objectifs atteints"),
    ("relais-droit-commun", "Relais vers le droit commun"),
    ("refus", "Refus du jeune ou de la famille"),
    ("demenagement", "Déménagement"),
    ("prise-en-charge-judiciaire", "Prise en charge judiciaire ou protection de l'enfance"),
    ("limite-age", "Limite d'âge"),
    ("perte-contact", "Perte de contact"),
    ("absence-evolution", "Absence d'évolution"),
]
TERRITORIES = [
    ("bourg", "Bourg"),
    ("mitterie", "Mitterie"),
    ("marais", "Marais"),
    ("delivrance", "Délivrance"),
    ("sarts-vauban", "Les Sarts (Vauban)"),
    ("hors-commune", "Hors commune"),
]


def load(apps, schema_editor):
    for model_name, entries in (
        ("Source", SOURCES),
        ("Motif", MOTIFS),
        ("ClosureReason", CLOSURE_REASONS),
        ("Territory", TERRITORIES),
    ):
        model = apps.get_model("casework", model_name)
        for position, (code, label) in enumerate(entries, start=1):
            model.objects.update_or_create(code=code, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
