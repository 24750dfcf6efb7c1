from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("acces/", views.access_events, name="access_events"),
]
