from django.db import migrations, models

import audit.triggers


class Migration(migrations.Migration):
    # New kinds of security event; the triggers are put back as in 0003 (audit/triggers.py).

    dependencies = [
        ('audit', '0006_event_by_user_covering'),
    ]

    operations = [
        migrations.AlterField(
            model_name='event',
            name='kind',
            field=models.CharField(choices=[('lecture', 'Lecture'), ('connexion', 'Connexion réussie'), ('connexion_echouee', 'Échec de connexion'), ('verrouillage', 'Compte verrouillé'), ('deconnexion', 'Déconnexion'), ('mfa_enrolement', 'Enrôlement du second facteur'), ('droit_attribue', 'Droit attribué'), ('droit_retire', 'Droit retiré'), ('bris_de_glace', 'Accès exceptionnel ouvert'), ('export_journal', 'Export du journal'), ('purge_journal', 'Purge du journal'), ('alerte_journal', 'Chaîne du journal rompue'), ('conservation_modifiee', 'Durée de conservation modifiée'), ('purge_situation', 'Situation purgée'), ('demande_droits', "Demande d'exercice de droits"), ('demande_droits_confirmee', 'Demande de droits confirmée'), ('export_droit_acces', "Dossier du droit d'accès téléchargé"), ('limitation', 'Traitement limité'), ('limitation_levee', 'Limitation levée'), ('releve_telecharge', 'Relevé de décisions téléchargé'), ('engagement_seance', 'Engagement de confidentialité en séance'), ('evaluation_consultee', "Tableau de bord d'évaluation consulté"), ('evaluation_exportee', "Bilan d'évaluation téléchargé")], default='lecture', max_length=30, verbose_name='nature'),
        ),
        migrations.RunPython(audit.triggers.install, migrations.RunPython.noop),
    ]
