from django.urls import path

from access import views

app_name = "access"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.logout, name="logout"),
    path("connexion/proconnect/", views.proconnect_start, name="proconnect_start"),
    path("connexion/proconnect/retour/", views.proconnect_callback, name="proconnect_callback"),
    path("session/prolonger/", views.keep_alive, name="keep_alive"),
    path("mfa/", views.mfa_verify, name="mfa_verify"),
    path("mfa/enrolement/", views.mfa_enrol, name="mfa_enrol"),
    path("mfa/secours/", views.mfa_recovery, name="mfa_recovery"),
    path("mfa/cles/", views.passkey_list, name="passkeys"),
    path("mfa/cles/<int:pk>/retirer/", views.passkey_remove, name="passkey_remove"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("charte/", views.charter, name="charter"),
    path("comptes/reinitialisations/", views.factor_resets, name="factor_resets"),
]
