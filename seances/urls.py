from django.urls import path

from seances import views

app_name = "seances"

urlpatterns = [
    path("seances/", views.seance_list, name="seance_list"),
    path("seances/nouvelle/", views.seance_create, name="seance_create"),
    path("seances/actions/", views.followup_list, name="followup_list"),
    path("seances/etapes/<uuid:step_id>/etat/", views.step_status, name="step_status"),
    path("seances/etapes/<uuid:step_id>/abandonner/", views.step_abandon, name="step_abandon"),
    path("seances/objectifs/<uuid:objective_id>/etat/", views.objective_status, name="objective_status"),
    path("situations/<uuid:situation_id>/plan/", views.situation_plan, name="situation_plan"),
    path("seances/<uuid:seance_id>/", views.seance_detail, name="seance_detail"),
    path("seances/<uuid:seance_id>/modifier/", views.seance_edit, name="seance_edit"),
    path("seances/<uuid:seance_id>/proposition/", views.seance_proposal_accept, name="seance_proposal_accept"),
    path("seances/<uuid:seance_id>/points/", views.seance_item_add, name="seance_item_add"),
    path("seances/<uuid:seance_id>/points/<uuid:item_id>/", views.seance_item, name="seance_item"),
    path(
        "seances/<uuid:seance_id>/points/<uuid:item_id>/retirer/", views.seance_item_remove, name="seance_item_remove"
    ),
    path("seances/<uuid:seance_id>/points/<uuid:item_id>/identite/", views.seance_identity, name="seance_identity"),
    path(
        "seances/<uuid:seance_id>/points/<uuid:item_id>/monter/",
        views.seance_item_move,
        {"offset": -1},
        name="seance_item_up",
    ),
    path(
        "seances/<uuid:seance_id>/points/<uuid:item_id>/descendre/",
        views.seance_item_move,
        {"offset": 1},
        name="seance_item_down",
    ),
    path("seances/<uuid:seance_id>/invitations/", views.seance_invite, name="seance_invite"),
    path("seances/<uuid:seance_id>/invitations/<int:user_id>/retirer/", views.seance_uninvite, name="seance_uninvite"),
    path("seances/<uuid:seance_id>/presences/", views.seance_attendance, name="seance_attendance"),
    path(
        "seances/<uuid:seance_id>/presences/<int:user_id>/retirer/",
        views.seance_attendance_remove,
        name="seance_attendance_remove",
    ),
    path("seances/<uuid:seance_id>/ouvrir/", views.seance_start, name="seance_start"),
    path("seances/<uuid:seance_id>/mode/", views.seance_mode, name="seance_mode"),
    path("seances/<uuid:seance_id>/cloturer/", views.seance_close, name="seance_close"),
    path("seances/<uuid:seance_id>/seance.ics", views.seance_calendar, name="seance_calendar"),
    path("seances/<uuid:seance_id>/releve.pdf", views.seance_minutes, name="seance_minutes"),
    path("seances/<uuid:seance_id>/addenda/", views.seance_addenda, name="seance_addenda"),
]
