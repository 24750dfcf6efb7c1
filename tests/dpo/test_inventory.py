"""The data inventory is generated from the models and must declare every personal field."""

import pytest
from django.apps import apps

from audit.registry import encrypted_field_names
from dpo.inventory import INVENTORY, inventory, inventory_markdown, models_holding_personal_data

pytestmark = pytest.mark.django_db

DECLARED = {processing.model: processing for processing in INVENTORY}


def test_every_model_holding_personal_data_is_declared():
    missing = [model._meta.label for model in models_holding_personal_data() if model._meta.label not in DECLARED]
    assert missing == [], f"declare these models in audit/inventory.py: {missing}"


def test_every_field_of_a_declared_model_is_described():
    for label, processing in DECLARED.items():
        fields = {field.name for field in apps.get_model(label)._meta.concrete_fields}
        assert fields - set(processing.fields) == set(), f"{label}: describe these fields in audit/inventory.py"
        assert set(processing.fields) - fields == set(), f"{label}: these described fields no longer exist"


def test_the_inventory_lists_every_encrypted_field_as_encrypted():
    listed = {(row.model, row.field) for entry in inventory() for row in entry.rows if row.encrypted}
    expected = {(model._meta.label, name) for model in apps.get_models() for name in encrypted_field_names(model)}
    assert expected <= listed
    assert ("casework.Person", "last_name") in listed


def test_a_new_encrypted_model_would_be_caught():
    """The detection itself: a model with an encrypted field counts as holding personal data."""
    from access.models import BreakGlassAccess

    assert BreakGlassAccess in models_holding_personal_data()


def test_the_markdown_states_purpose_recipients_and_retention():
    text = inventory_markdown()

    assert "| `last_name` | nom | oui (AES-256-GCM) |" in text
    assert "| `identity_index` |" in text and "empreinte HMAC" in text
    assert "non retenue : 365 jours après la décision" in text


def test_the_dpo_downloads_the_inventory(client_for, dora):
    client = client_for(dora)

    assert client.get("/donnees/inventaire/").status_code == 200
    assert client.get("/donnees/inventaire.md").content.startswith(b"# Parcours")
    assert client.get("/donnees/inventaire.pdf").content.startswith(b"%PDF")
