from django.urls import include, path

from dpo import views

app_name = "dpo"

console_patterns = [
    path("", views.console, name="console"),
    path("export.csv", views.export, name="export"),
    path("situation/<str:reference>/", views.situation_history, name="situation"),
    path("utilisateur/<int:user_id>/", views.user_report, name="user"),
    path("anomalies/", views.anomaly_report, name="anomalies"),
    path("acces-exceptionnels/", views.break_glass_list, name="break_glass"),
    path("comptes/", views.accounts, name="accounts"),
]

# The data-protection screens (« Protection des données »), shared by the DPO and the coordinators.
data_protection_patterns = [
    path("conservation/", views.retention, name="retention"),
    path("demandes/", views.rights, name="rights"),
    path("demandes/<uuid:request_id>/", views.rights_detail, name="rights_detail"),
    path("demandes/<uuid:request_id>/confirmer/", views.rights_confirm, name="rights_confirm"),
    path("demandes/<uuid:request_id>/annuler/", views.rights_cancel, name="rights_cancel"),
    path("demandes/<uuid:request_id>/dossier.<str:fmt>", views.rights_download, name="rights_download"),
    path("limitation/", views.restriction, name="restriction"),
    path("poursuites-malgre-refus/", views.consent_justifications, name="consent_justifications"),
    path("inventaire/", views.inventory, name="inventory"),
    path("inventaire.md", views.inventory_markdown, name="inventory_markdown"),
    path("inventaire.pdf", views.inventory_pdf, name="inventory_pdf"),
    path("violation/", views.breach, name="breach"),
]

urlpatterns = [
    path("audit/", include(console_patterns)),
    path("donnees/", include(data_protection_patterns)),
]
