"""Register models with django-auditlog so that personal data never reaches a change diff.

Encrypted fields and blind indexes (`BlindIndexField`, which says so with `blind_index`) are excluded
by type, not by a list someone must keep up to date.
"""

from auditlog.registry import auditlog

NEVER_LOGGED = {"data_key"}


def encrypted_field_names(model) -> list[str]:
    """Fields that hold ciphertext: every encrypted field says so (`EncryptedField.encrypted`)."""
    return [field.name for field in model._meta.concrete_fields if getattr(field, "encrypted", False)]


def register_audited(model, m2m_fields: set[str] | None = None):
    excluded = set(encrypted_field_names(model)) | {
        field.name
        for field in model._meta.concrete_fields
        if field.name in NEVER_LOGGED or getattr(field, "blind_index", False)
    }
    auditlog.register(model, exclude_fields=sorted(excluded), m2m_fields=m2m_fields or set())
    return model
