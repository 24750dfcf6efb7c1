"""Encrypted model fields (privacy invariant 1).

A value is encrypted with AES-256-GCM under the data key named by the row's `key_field` foreign key,
with a fresh 96-bit nonce and the associated data `app_label.model.field|pk`. The associated data
binds a ciphertext to its row and column: copied into another row or column, it fails to decrypt.

Rows read from the database hold a `Sealed` token; it is decrypted on first attribute access, so
querysets that never touch an encrypted attribute never unwrap a key. Saving an untouched field
writes its ciphertext back as it was. Models with encrypted fields need a primary key known before
the first save (a UUID default), since the key is part of the associated data.
"""

import datetime

from django import forms
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from core.keyring import Keyring


class Sealed:
    """Ciphertext as loaded from the database; never prints its content."""

    __slots__ = ("token",)

    def __init__(self, token: bytes):
        self.token = bytes(token)

    def __repr__(self) -> str:
        return "[chiffré]"

    __str__ = __repr__

    def __eq__(self, other) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)


class EncryptedAttribute(DeferredAttribute):
    # A data descriptor (with __set__), so that reads go through __get__ even once the value is in
    # the instance's __dict__.
    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.open(instance, value)
            instance.__dict__[self.field.attname] = value
        return value


class EncryptedField(models.BinaryField):
    descriptor_class = EncryptedAttribute
    # Never serialised, never searchable, never shown in audit diffs.
    encrypted = True

    def __init__(self, *args, key_field: str = "data_key", **kwargs):
        self.key_field = key_field
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["key_field"] = self.key_field
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    # --- conversions between Python values and the text that is encrypted -------------------------
    def to_text(self, value) -> str:
        if not isinstance(value, str):
            raise TypeError(f"{self.name} expects text, got {type(value).__name__}")
        return value

    def from_text(self, text: str):
        return text

    # --- encryption -----------------------------------------------------------------------------------
    def associated_data(self, instance) -> str:
        if instance.pk is None:
            raise ValueError(f"{instance._meta.label} needs its primary key before encrypting {self.name}")
        return f"{instance._meta.label_lower}.{self.name}|{instance.pk}"

    def _data_key(self, instance) -> bytes:
        data_key = getattr(instance, self.key_field)
        if data_key is None:
            raise ValueError(f"{instance._meta.label}.{self.key_field} is not set")
        return data_key.plaintext()

    def open(self, instance, sealed: Sealed):
        text = Keyring.decrypt(self._data_key(instance), sealed.token, self.associated_data(instance))
        return self.from_text(text)

    def seal(self, instance, value) -> bytes:
        return Keyring.encrypt(self._data_key(instance), self.to_text(value), self.associated_data(instance))

    # --- Django field API -----------------------------------------------------------------------------
    def get_default(self):
        return self.default if self.has_default() else None

    def from_db_value(self, value, expression, connection):
        return None if value is None else Sealed(value)

    def pre_save(self, model_instance, add):
        value = model_instance.__dict__.get(self.attname)
        if value is None:
            return None
        if isinstance(value, Sealed):
            return value.token
        return self.seal(model_instance, value)

    def get_prep_value(self, value):
        if isinstance(value, Sealed):
            return value.token
        if value is not None and not isinstance(value, (bytes, memoryview)):
            raise TypeError(f"{self.name}: plaintext must be encrypted by pre_save, never written as is")
        return super().get_prep_value(value)

    def to_python(self, value):
        return value

    def value_to_string(self, obj):
        return "[chiffré]"

    def formfield(self, **kwargs):
        defaults = {"required": not self.blank, "label": self.verbose_name, "help_text": self.help_text}
        defaults.update(kwargs)
        return self.form_class(**defaults)

    form_class = forms.CharField


class EncryptedTextField(EncryptedField):
    def __init__(self, *args, max_length: int | None = None, **kwargs):
        self.text_max_length = max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.text_max_length is not None:
            kwargs["max_length"] = self.text_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        if self.text_max_length is not None:
            kwargs.setdefault("max_length", self.text_max_length)
        return super().formfield(**kwargs)


class EncryptedDateField(EncryptedField):
    form_class = forms.DateField

    def to_text(self, value) -> str:
        if not isinstance(value, datetime.date):
            raise TypeError(f"{self.name} expects a date, got {type(value).__name__}")
        return value.isoformat()

    def from_text(self, text: str):
        return datetime.date.fromisoformat(text)


class BlindIndexField(models.CharField):
    """A keyed digest (HMAC) that finds rows without plaintext (privacy invariant 2): the blind index
    of an identity and the match keys. Not personal data in clear, but never shown in a change diff,
    and listed as « empreinte HMAC » in the DPO's inventory, by this type rather than by name."""

    blind_index = True

    def __init__(self, *args, **kwargs):
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs
