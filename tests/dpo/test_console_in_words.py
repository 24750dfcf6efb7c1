"""The DPO console in words: screens, objects, kinds and people in French, users found by name,
the opened fiche kept apart from the list row, a period and a CSV export on the history and the report."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from audit.models import Event, Kind
from dpo import labels
from dpo.inventory import inventory
from referrals.views import ACTIONS
from tests.factories import make_situation

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "access",
    "audit",
    "casework",
    "config",
    "dpo",
    "evaluation",
    "notifications",
    "referrals",
    "seances",
    "strategy",
)
PROJECT_APPS = {app for app in APPS if app != "config"}


def _url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _url_names(pattern, inner or namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else str(pattern.name)


def _screens_in_code() -> set[str]:
    """Every screen name written in the code: `screen="…"` and the screen given to the two recording helpers."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text()
            found.update(re.findall(r'screen="([^"{]+)"', text))
            found.update(re.findall(r'_record_(?:referrals|item)\([^)]*?"([a-z_]+)"\)', text))
    found.update(f"referral_{action}" for action in ACTIONS)
    return found


def test_every_screen_the_code_records_has_a_french_label():
    screens = _screens_in_code()
    assert {"situation_detail", "situation_list", "home", "seance_mode", "my_referrals"} <= screens
    missing = sorted(screen for screen in screens if screen not in labels.SCREEN_LABELS)
    assert not missing, f"give these screens a label in dpo/labels.py: {missing}"


def test_every_url_a_security_event_may_name_has_a_french_label():
    missing = sorted(
        name for name in _url_names() if not name.startswith("admin:") and name not in labels.SCREEN_LABELS
    )
    assert not missing, f"give these URL names a label in dpo/labels.py: {missing}"


def test_every_kind_and_purpose_has_a_french_label():
    for kind in Kind:
        assert labels.kind_label(kind.value) != kind.value
    assert labels.purpose_label("seance") == "Séance du groupe"


def test_every_model_of_parcours_has_a_french_name():
    missing = [
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and "verbose_name" not in model._meta.original_attrs
        and model._meta.label_lower not in labels.MODEL_LABELS
    ]
    assert not missing, f"give these models a verbose_name or a label in dpo/labels.py: {missing}"
    assert labels.object_label("casework.note") == "note"
    assert labels.object_label("seances.agendaitem") == "point de l'ordre du jour"


def test_the_inventory_shows_every_field_in_french():
    english = [
        f"{entry.processing.model}.{row.field}"
        for entry in inventory()
        for row in entry.rows
        if row.label == row.field.replace("_", " ") and row.field not in labels.FIELD_LABELS
    ]
    assert not english
    assert "created at" not in labels.field_label(apps.get_model("casework", "Note")._meta.get_field("created_at"))


def test_the_journal_shows_screens_objects_and_people_in_words(client_for, alice, dora):
    alice.first_name, alice.last_name = "Alice", "Aubert"
    alice.save()
    situation = make_situation(alice)
    client_for(alice).get(f"/situations/{situation.pk}/")

    page = client_for(dora).get("/audit/", {"reference": situation.reference}).content.decode()

    assert "Alice Aubert (alice)" in page
    assert "fiche de la situation" in page
    assert "situation_detail" not in page and "casework." not in page


@pytest.mark.parametrize("typed", ["hélène", "HELENE", "Dupré", "dupre", "helene dupre", "hdupre"])
def test_a_user_is_found_by_first_name_last_name_or_login_whatever_the_case_and_accents(
    typed, client_for, azimuts, dora
):
    from tests.factories import make_user

    helene = make_user("hdupre", azimuts)
    helene.first_name, helene.last_name = "Hélène", "Dupré"
    helene.save()
    Event.objects.create(user=helene, kind=Kind.READ, situation_reference="GSN-2026-0001", screen="situation_detail")

    page = client_for(dora).get("/audit/", {"username": typed}).content.decode()

    assert "Hélène Dupré (hdupre)" in page
    assert f"/audit/utilisateur/{helene.pk}/" in page
    assert "GSN-2026-0001" in page


def test_the_history_keeps_opened_apart_from_listed(client_for, alice, bob, charlie, dora):
    situation = make_situation(alice)
    client_for(alice).get(f"/situations/{situation.pk}/")
    client_for(charlie).get("/situations/")

    page = client_for(dora).get(f"/audit/situation/{situation.reference}/").content.decode()

    opened = page[page.index('id="opened-title"') : page.index('id="listed-title"')]
    listed = page[page.index('id="listed-title"') : page.index('id="grants-title"')]
    assert "alice" in opened and "charlie" not in opened
    assert "charlie" in listed and "alice" not in listed


def test_the_history_has_a_period(client_for, alice, dora):
    situation = make_situation(alice)
    client_for(alice).get(f"/situations/{situation.pk}/")
    last_week = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

    page = client_for(dora).get(f"/audit/situation/{situation.reference}/", {"end": last_week}).content.decode()

    assert "Personne n'a ouvert la fiche sur la période." in page


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_history_exports_its_period_as_csv_in_words(client_for, alice, dora):
    alice.first_name, alice.last_name = "Alice", "Aubert"
    alice.save()
    situation = make_situation(alice)
    client_for(alice).get(f"/situations/{situation.pk}/")
    client_for(alice).get("/situations/")

    response = client_for(dora).get(f"/audit/situation/{situation.reference}/", {"format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response)
    assert rows[0][:3] == ["date", "nature", "utilisateur"]
    opened = [row for row in rows[1:] if row[6] == "fiche de la situation"]
    assert opened and opened[0][2] == "Alice Aubert (alice)" and opened[0][7] == "a ouvert la fiche"
    assert any(row[6] == "liste des situations" and row[7] == "a vu dans une liste" for row in rows[1:])
    assert Event.objects.filter(kind=Kind.AUDIT_EXPORT, user=dora, situation_reference=situation.reference).exists()


def test_no_exported_cell_starts_like_a_formula(client_for, alice, dora):
    Event.objects.create(
        user=alice, kind=Kind.READ, situation_reference="GSN-2026-0007", screen="x", detail='=HYPERLINK("http://x")'
    )

    rows = _csv_rows(client_for(dora).get("/audit/situation/GSN-2026-0007/", {"format": "csv"}))

    assert '\'=HYPERLINK("http://x")' in [row[10] for row in rows[1:]]


def test_the_user_report_exports_its_period_as_csv(client_for, alice, dora):
    situation = make_situation(alice)
    client_for(alice).get(f"/situations/{situation.pk}/")

    response = client_for(dora).get(f"/audit/utilisateur/{alice.pk}/", {"format": "csv"})

    rows = _csv_rows(response)
    assert any(row[4] == situation.reference and row[6] == "fiche de la situation" for row in rows[1:])
    assert Event.objects.filter(kind=Kind.AUDIT_EXPORT, user=dora).exists()


def test_the_user_report_keeps_opened_apart_from_listed(client_for, alice, dora):
    opened = make_situation(alice)
    client_for(alice).get(f"/situations/{opened.pk}/")
    client_for(alice).get("/situations/")

    page = client_for(dora).get(f"/audit/utilisateur/{alice.pk}/").content.decode()

    assert "1 fiche ouverte sur la période" in page
    assert "1 situation vue dans une liste sur la période" in page


def test_grant_events_name_permissions_in_words(client_for, alice, dora):
    situation = make_situation(alice)

    page = client_for(dora).get(f"/audit/situation/{situation.reference}/").content.decode()

    assert "view_situation" not in page and "change_situation" not in page
    assert "lecture, modification" in page
    assert "création" in page and "— create" not in page


def test_the_history_names_the_changed_fields_in_words(client_for, alice, dora):
    from casework.services import situation_update

    situation = make_situation(alice)
    situation_update(
        situation_id=situation.pk, by=alice, expected_version=situation.version, changes={"status": "examinee"}
    )

    page = client_for(dora).get(f"/audit/situation/{situation.reference}/").content.decode()
    changes = page.split('id="changes-title"')[1].split("</section>")[0]

    assert "modification : statut" in changes
    # « version » is the same word in French: only the codes that are not French are checked.
    for code in ("status", "received_on", "referring_partner", "created_by"):
        assert code not in changes
