from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("situations/<uuid:situation_id>/orientations/", views.situation_referrals, name="situation_referrals"),
    path("orientations/", views.my_referrals, name="my_referrals"),
    path("orientations/en-retard/", views.overdue_referrals, name="overdue"),
    path("orientations/<uuid:referral_id>/", views.referral_detail, name="referral_detail"),
    path("orientations/<uuid:referral_id>/note/", views.referral_note, name="referral_note"),
    path("orientations/<uuid:referral_id>/<slug:action>/", views.referral_action, name="referral_action"),
    path("dispositifs/", views.scheme_list, name="scheme_list"),
    path("dispositifs/nouveau/", views.scheme_edit, name="scheme_create"),
    path("dispositifs/<int:scheme_id>/modifier/", views.scheme_edit, name="scheme_edit"),
    path(
        "dispositifs/<int:scheme_id>/desactiver/",
        views.scheme_set_active,
        {"active": False},
        name="scheme_deactivate",
    ),
    path(
        "dispositifs/<int:scheme_id>/reactiver/",
        views.scheme_set_active,
        {"active": True},
        name="scheme_reactivate",
    ),
]
