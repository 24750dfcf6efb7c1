"""Celery tasks of the privacy app: ids in, counts out (privacy invariant 3)."""

from celery import shared_task


@shared_task(name="privacy.purge_expired")
def purge_expired() -> int:
    from privacy.purge import retention_purge

    return len(retention_purge())


@shared_task(name="privacy.access_export")
def access_export(request_id: str) -> None:
    from privacy.services import rights_request_fail
    from privacy.subject_access import access_export_build

    try:
        access_export_build(request_id=request_id)
    except Exception:
        rights_request_fail(request_id=request_id)
        raise


@shared_task(name="privacy.erasure")
def erasure(request_id: str) -> None:
    from privacy.services import erasure_execute, rights_request_fail

    try:
        erasure_execute(request_id=request_id)
    except Exception:
        rights_request_fail(request_id=request_id)
        raise
