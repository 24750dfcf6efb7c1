from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("evaluation/", views.evaluation_home, name="evaluation_home"),
    path("evaluation/<int:strategy_id>/", views.dashboard, name="dashboard"),
    path("evaluation/<int:strategy_id>/bilan.pdf", views.report, {"fmt": "pdf"}, name="report_pdf"),
    path("evaluation/<int:strategy_id>/bilan.xlsx", views.report, {"fmt": "xlsx"}, name="report_xlsx"),
    path("evaluation/fiches/", views.fiche_list, name="fiche_list"),
    path("evaluation/fiches/<int:action_id>/", views.fiche_detail, name="fiche_detail"),
]
