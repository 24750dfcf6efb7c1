"""`/sante/`: what a monitoring probe needs to know, and nothing about anyone.

Answers JSON with one word per check (database, broker, keys) and the age of the oldest audit row
still waiting for its place in the chain, which grows when no beat runs. 200 when everything
answers, 503 otherwise. No count of people or situations, no name, no key value: only whether
each piece is there. Nothing here is recorded in the trail, since nothing personal is read.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.models import Event
from config.celery import app as celery_app
from core.keyring import KeyringError, load_audit_key, load_blind_index_key, load_master_keys

OK = "ok"
DOWN = "en panne"


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure is « en panne » for the probe
        return DOWN
    return OK


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        # Development only: tasks run in-process and nothing runs the periodic tasks.
        return "aucun (tâches exécutées dans le processus)"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # same
        return DOWN
    return OK


def _keys() -> str:
    try:
        load_master_keys(settings.PARCOURS_MASTER_KEYS, settings.PARCOURS_KEY_DIR)
        load_blind_index_key(settings.PARCOURS_BLIND_INDEX_KEY, settings.PARCOURS_KEY_DIR)
        load_audit_key(settings.PARCOURS_AUDIT_KEY, settings.PARCOURS_KEY_DIR)
    except (KeyringError, OSError):
        return "absentes"
    return OK


def _oldest_unsealed_seconds(database: str) -> int | None:
    if database != OK:
        return None
    oldest = Event.objects.filter(seq__isnull=True).order_by("id").values_list("at", flat=True).first()
    return 0 if oldest is None else int((timezone.now() - oldest).total_seconds())


@never_cache
@require_GET
def health(request):
    database = _database()
    checks = {"base_de_donnees": database, "courtier": _broker(), "cles": _keys()}
    healthy = checks["base_de_donnees"] == OK and checks["cles"] == OK and checks["courtier"] != DOWN
    body = {
        "statut": OK if healthy else DOWN,
        **checks,
        "journal_en_attente_depuis_s": _oldest_unsealed_seconds(database),
    }
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
