from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("notice/<str:kind>/", views.notice, name="notice"),
    path("conservation/", views.retention, name="retention"),
    path("purges-a-venir/", views.purge_schedule, name="purge_schedule"),
    path("demandes/", views.rights, name="rights"),
    path("demandes/<uuid:request_id>/", views.rights_detail, name="rights_detail"),
    path("demandes/<uuid:request_id>/confirmer/", views.rights_confirm, name="rights_confirm"),
    path("demandes/<uuid:request_id>/annuler/", views.rights_cancel, name="rights_cancel"),
    path("demandes/<uuid:request_id>/dossier.<str:fmt>", views.rights_download, name="rights_download"),
    path("limitation/", views.restriction, name="restriction"),
    path("inventaire/", views.inventory, name="inventory"),
    path("inventaire.md", views.inventory_markdown, name="inventory_markdown"),
    path("inventaire.pdf", views.inventory_pdf, name="inventory_pdf"),
    path("violation/", views.breach, name="breach"),
]
