from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.console, name="console"),
    path("export.csv", views.export, name="export"),
    path("situation/<str:reference>/", views.situation_history, name="situation"),
    path("utilisateur/<int:user_id>/", views.user_report, name="user"),
    path("anomalies/", views.anomaly_report, name="anomalies"),
    path("acces-exceptionnels/", views.break_glass_list, name="break_glass"),
]
