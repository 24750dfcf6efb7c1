from django.urls import path

from casework import views

app_name = "casework"

urlpatterns = [
    path("situations/", views.situation_list, name="situation_list"),
    path("situations/nouvelle/", views.situation_create, name="situation_create"),
    path("situations/<uuid:situation_id>/", views.situation_detail, name="situation_detail"),
    path("situations/<uuid:situation_id>/impression/", views.situation_print, name="situation_print"),
    path("situations/<uuid:situation_id>/historique/", views.situation_history, name="situation_history"),
    path("situations/<uuid:situation_id>/modifier/", views.situation_edit, name="situation_edit"),
    path("situations/<uuid:situation_id>/notes/", views.note_create, name="note_create"),
    path("situations/<uuid:situation_id>/cloture/", views.situation_close, name="situation_close"),
    path("situations/<uuid:situation_id>/nouvelle-saisine/", views.situation_reopen, name="situation_reopen"),
    path("situations/<uuid:situation_id>/fusion/", views.person_merge, name="person_merge"),
    path("situations/<uuid:situation_id>/information/", views.information_create, name="information_create"),
    path("situations/<uuid:situation_id>/signalement/", views.signalement_create, name="signalement_create"),
    path("situations/signalements/", views.signalement_list, name="signalement_list"),
    path("situations/<uuid:situation_id>/partenaires/", views.association_create, name="association_create"),
    path(
        "situations/<uuid:situation_id>/partenaires/<uuid:association_id>/fin/",
        views.association_end,
        name="association_end",
    ),
    path(
        "situations/<uuid:situation_id>/saisine-precedente/<int:group_id>/fin/",
        views.previous_partner_end,
        name="previous_partner_end",
    ),
    path("acces-exceptionnel/", views.break_glass_open, name="break_glass_open"),
    path("donnees/notice/<str:kind>/", views.notice, name="notice"),
    path("donnees/purges-a-venir/", views.purge_schedule, name="purge_schedule"),
]
