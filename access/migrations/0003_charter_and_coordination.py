from django.db import migrations

# One paragraph per article: the charter page keeps line breaks as they are.
CHARTER = """Charte déontologique du Groupe de Suivi Nominatif (GSN) du CLSPD

1. Finalité. Le groupe échange des informations sur des jeunes de 12 à 25 ans en difficulté afin de construire avec eux et leur famille un parcours adapté. Aucune autre utilisation n'est permise.

2. Secret partagé. Je ne partage que les informations strictement nécessaires à la prévention (article L132-5 du code de la sécurité intérieure, article L121-6-2 du code de l'action sociale et des familles). Je ne recopie jamais un procès-verbal, une main courante ou une pièce judiciaire.

3. Non-divulgation. Les informations échangées ne peuvent être communiquées à des tiers ; leur divulgation est punie par l'article 226-13 du code pénal.

4. Enfance en danger. Une situation de danger pour un mineur est transmise sans délai à la cellule départementale de recueil des informations préoccupantes (CRIP) ; elle n'est pas traitée par le groupe.

5. Information des familles. Le jeune et ses représentants légaux sont informés du suivi et de leurs droits.

6. Traçabilité. Chaque consultation est enregistrée et peut être contrôlée par le délégué à la protection des données.

7. Manquement. Tout manquement à la présente charte entraîne l'exclusion du groupe.
"""


def load(apps, schema_editor):
    CharterVersion = apps.get_model("access", "CharterVersion")
    Group = apps.get_model("auth", "Group")
    CharterVersion.objects.get_or_create(
        version=1, defaults={"title": "Charte déontologique du GSN", "body": CHARTER}
    )
    Group.objects.get_or_create(name="GSN — coordination")


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
