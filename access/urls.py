from django.contrib.auth import views as auth_views
from django.urls import path

from access import views

app_name = "access"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mfa/", views.mfa_verify, name="mfa_verify"),
    path("mfa/enrolement/", views.mfa_enrol, name="mfa_enrol"),
    path("charte/", views.charter, name="charter"),
]
