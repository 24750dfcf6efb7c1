from django.urls import path

from strategy import views

app_name = "strategy"

urlpatterns = [
    path("strategie/", views.strategy_list, name="strategy_list"),
    path("strategie/nouvelle/", views.strategy_edit, name="strategy_create"),
    path("strategie/<int:strategy_id>/modifier/", views.strategy_edit, name="strategy_edit"),
    path("strategie/<int:strategy_id>/axes/nouveau/", views.axis_edit, name="axis_create"),
    path("strategie/<int:strategy_id>/axes/<int:axis_id>/", views.axis_edit, name="axis_edit"),
    path("strategie/<int:strategy_id>/fiches/nouvelle/", views.action_edit, name="action_create"),
    path("strategie/<int:strategy_id>/fiches/<int:action_id>/", views.action_edit, name="action_edit"),
    path("strategie/fiches/<int:action_id>/statut/", views.action_status, name="action_status"),
    path("situations/<uuid:situation_id>/fiches-actions/", views.situation_actions, name="situation_actions"),
]
