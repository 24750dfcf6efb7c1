"""The relevé de décisions: decisions only, never an identity or a note, watermarked per download."""

import datetime
import io
import time

import pytest
from django.utils import timezone

from audit.models import Event, Kind, Purpose
from casework.services import note_create
from seances import services
from seances.minutes import minutes_pdf
from seances.models import Decision, NotRetainedReason
from tests.factories import make_scheme, make_situation
from tests.seances.helpers import item_of, running_seance

pytestmark = pytest.mark.django_db
Kind_ = Decision.Kind

NOTE = "Entretien avec la mère, inquiète des fréquentations"
SUMMARY = "Le groupe relève une amélioration depuis la rentrée"
ACTION = "Proposer un rendez-vous à la famille Durand"


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def closed_seance(alice, bob, charlie, maya, mission_locale):
    situation = make_situation(alice, last_name="Durand", first_name="Léa")
    other = make_situation(alice, last_name="Martin", first_name="Zoé", anonymous=False)
    note_create(situation=situation, by=alice, body=NOTE, visibility="groupe")
    seance = running_seance(charlie, [situation, other], [alice, bob])
    item = item_of(seance, situation)
    services.item_summary_set(seance_id=seance.pk, item_id=item.pk, by=charlie, summary=SUMMARY)
    decide = lambda s, kind, **f: services.decision_record(  # noqa: E731
        seance_id=seance.pk, item_id=item_of(seance, s).pk, by=charlie, kind=kind, **f
    )
    decide(situation, Kind_.FOLLOW_UP, referent=bob)
    decide(situation, Kind_.REFERRAL, scheme=make_scheme(mission_locale, min_age=12, max_age=25))
    decide(
        situation,
        Kind_.ACTION,
        partner=bob.membership.partner,
        action_label=ACTION,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    decide(other, Kind_.NOT_RETAINED, not_retained_reason=NotRetainedReason.objects.get(code="deja-suivie"))
    services.seance_close(seance_id=seance.pk, by=charlie)
    services.addendum_add(seance_id=seance.pk, by=charlie, text="Échéance reportée au 15/12", item_id=item.pk)
    return seance, situation, other


def test_the_minutes_hold_decisions_and_no_identity_nor_note(closed_seance, charlie):
    seance, situation, other = closed_seance

    content, _items = minutes_pdf(seance, reader=charlie, at=timezone.now())

    text = pdf_text(content)
    for expected in (
        "Relevé de décisions",
        situation.reference,
        other.reference,
        "Suivi ouvert",
        "Contrat d'engagement jeune",
        "Mission locale",
        "Situation déjà suivie par ailleurs",
        "Club de prévention Azimuts",
        "Échéance reportée au 15/12",
    ):
        assert expected in text, expected
    for forbidden in ("Durand", "DURAND", "Léa", "Martin", "Zoé", "2011", NOTE[:20], SUMMARY[:20], ACTION[:20]):
        assert forbidden not in text, forbidden


def test_every_page_carries_the_downloaders_name_and_time(closed_seance, charlie):
    from pypdf import PdfReader

    seance, _situation, _other = closed_seance
    at = timezone.now()

    content, _items = minutes_pdf(seance, reader=charlie, at=at)

    mark = f"Téléchargé par Charlie Test le {timezone.localtime(at):%d/%m/%Y à %H:%M}"
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) >= 1
    assert all(mark in " ".join(page.extract_text().split()) for page in pages)


def test_each_download_is_recorded(closed_seance, alice, client_for):
    seance, situation, _other = closed_seance

    response = client_for(alice).get(f"/seances/{seance.pk}/releve.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Téléchargé par Alice Test" in pdf_text(response.content)
    assert Event.objects.filter(kind=Kind.MINUTES_DOWNLOAD, user=alice, object_id=str(seance.pk)).count() == 1
    reads = Event.objects.filter(kind=Kind.READ, user=alice, screen="seance_minutes")
    assert {e.situation_reference for e in reads} >= {situation.reference}
    assert {e.purpose for e in reads} == {Purpose.SESSION}


def test_the_minutes_wait_for_the_closing(alice, charlie, client_for):
    seance = running_seance(charlie, [make_situation(alice)])

    response = client_for(charlie).get(f"/seances/{seance.pk}/releve.pdf")

    assert response.status_code == 302
    assert not Event.objects.filter(kind=Kind.MINUTES_DOWNLOAD).exists()


def test_someone_not_invited_gets_404(closed_seance, maya, client_for):
    seance, _situation, _other = closed_seance

    assert client_for(maya).get(f"/seances/{seance.pk}/releve.pdf").status_code == 404


def test_a_twenty_point_seance_renders_in_reasonable_time(alice, charlie):
    situations = [make_situation(alice, first_name=f"Jeune{n}") for n in range(20)]
    seance = running_seance(charlie, situations, [alice])
    for situation in situations:
        services.decision_record(
            seance_id=seance.pk, item_id=item_of(seance, situation).pk, by=charlie, kind=Kind_.EXAMINED
        )
    services.seance_close(seance_id=seance.pk, by=charlie)

    started = time.monotonic()
    content, items = minutes_pdf(seance, reader=charlie, at=timezone.now())
    elapsed = time.monotonic() - started

    assert len(items) == 20
    assert content.startswith(b"%PDF")
    assert elapsed < 20, elapsed


def test_the_counts_tell_points_on_the_agenda_from_points_examined(alice, charlie):
    decided, undecided = make_situation(alice), make_situation(alice, last_name="Martin")
    seance = running_seance(charlie, [decided, undecided])
    services.decision_record(seance_id=seance.pk, item_id=item_of(seance, decided).pk, by=charlie, kind=Kind_.EXAMINED)
    services.seance_close(seance_id=seance.pk, by=charlie)

    text = pdf_text(minutes_pdf(seance, reader=charlie, at=timezone.now())[0])

    assert "Points à l'ordre du jour 2" in text
    assert "Points examinés 1" in text


def test_the_minutes_are_a_tagged_pdf_in_french(closed_seance, charlie):
    from pypdf import PdfReader

    content, _items = minutes_pdf(closed_seance[0], reader=charlie, at=timezone.now())

    catalog = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "fr"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
