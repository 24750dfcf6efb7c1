"""`/sante/` tells a monitoring probe whether the database, the broker and the keys answer, and nothing else."""

import json

import pytest

from tests.factories import make_situation

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_signing_in(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["statut"] == "ok"
    assert body["base_de_donnees"] == "ok"
    assert body["cles"] == "ok"


def test_it_says_when_no_broker_runs_the_tasks(client, settings):
    settings.CELERY_BROKER_URL = ""
    assert client.get("/sante/").json()["courtier"].startswith("aucun")


def test_it_answers_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    from config.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/sante/")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["courtier"] == "en panne"


def test_it_answers_503_when_a_key_is_missing(client, settings):
    settings.PARCOURS_AUDIT_KEY = ""
    settings.PARCOURS_KEY_DIR = ""
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json() == {**response.json(), "statut": "en panne", "cles": "absentes"}


def test_it_reports_the_age_of_the_oldest_unsealed_audit_row(client, alice):
    make_situation(by=alice, last_name="Secretnom")
    body = client.get("/sante/").json()
    assert isinstance(body["journal_en_attente_depuis_s"], int)


def test_it_holds_no_personal_data(client, alice):
    make_situation(by=alice, last_name="Secretnom")
    text = json.dumps(client.get("/sante/").json())
    assert "Secretnom" not in text
    assert "alice" not in text
    assert set(json.loads(text)) == {"statut", "base_de_donnees", "courtier", "cles", "journal_en_attente_depuis_s"}
