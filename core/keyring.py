"""The keyring: versioned master keys, data-key wrapping, blind indexes (privacy invariants 1 and 2).

Envelope encryption. Each person (or anonymous situation) has a random 256-bit data key; rows store
only ciphertext made with it. The data key is stored wrapped (AES-256-GCM) by a master key that never
enters the database: it comes from the environment or from a key file. Rotating the master key
rewraps data keys without touching rows; destroying a data key makes every row it protects unreadable
(crypto-shredding).

Fail closed: any missing key, unknown version or failed authentication raises a `KeyringError`
subclass; nothing here ever returns ciphertext or an empty value in place of plaintext.

This module imports no model so that settings can check keys before Django starts.
"""

import base64
import binascii
import contextvars
import hashlib
import hmac
import os
import re
import unicodedata
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
FORMAT_V1 = b"\x01"


class KeyringError(Exception):
    """A key is missing, malformed or wrong. Never caught to return a default."""


class DecryptionError(KeyringError):
    """The ciphertext does not authenticate: wrong key, wrong row or column, or tampering."""


class DataKeyDestroyed(KeyringError):
    """The data key was destroyed (crypto-shredding): the data is gone for good."""


def _decode_key(text: str, what: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError(f"{what} is not valid base64") from None
    if len(key) != KEY_BYTES:
        raise KeyringError(f"{what} must be {KEY_BYTES} bytes, got {len(key)}")
    return key


def load_master_keys(env_value: str, key_dir: str) -> dict[int, bytes]:
    """Read master keys from "1:<b64>,2:<b64>" or from files master-<n>.key in key_dir."""
    keys: dict[int, bytes] = {}
    if env_value.strip():
        for item in env_value.split(","):
            version, sep, encoded = item.strip().partition(":")
            if not sep or not version.isdigit():
                raise KeyringError("PARCOURS_MASTER_KEYS must read '1:<base64>,2:<base64>'")
            keys[int(version)] = _decode_key(encoded, f"master key {version}")
    elif key_dir:
        for path in sorted(Path(key_dir).glob("master-*.key")):
            match = re.fullmatch(r"master-(\d+)\.key", path.name)
            if match:
                keys[int(match.group(1))] = _decode_key(path.read_text(), f"master key file {path.name}")
    if not keys:
        raise KeyringError("no master key found (set PARCOURS_MASTER_KEYS or PARCOURS_KEY_DIR)")
    return keys


def load_named_key(env_value: str, key_dir: str, filename: str, what: str) -> bytes:
    """A single key from the environment or from `filename` in key_dir (blind-index and audit keys)."""
    if env_value.strip():
        return _decode_key(env_value, what)
    path = Path(key_dir) / filename if key_dir else None
    if path and path.exists():
        return _decode_key(path.read_text(), f"{what} file")
    raise KeyringError(f"no {what} found")


def load_blind_index_key(env_value: str, key_dir: str) -> bytes:
    try:
        return load_named_key(env_value, key_dir, "blind-index.key", "blind-index key")
    except KeyringError as exc:
        raise KeyringError(f"{exc} (set PARCOURS_BLIND_INDEX_KEY or PARCOURS_KEY_DIR)") from None


def load_next_blind_index_key(env_value: str, key_dir: str) -> bytes | None:
    """The new blind-index key during a rotation (PARCOURS_BLIND_INDEX_KEY_NEXT or
    blind-index-next.key), or None outside a rotation."""
    try:
        return load_named_key(env_value, key_dir, "blind-index-next.key", "next blind-index key")
    except KeyringError as exc:
        if env_value.strip():
            raise KeyringError(f"{exc} (PARCOURS_BLIND_INDEX_KEY_NEXT)") from None
        return None


def load_audit_key(env_value: str, key_dir: str) -> bytes:
    """The audit-chain MAC key: kept apart from the encryption keys and out of the database."""
    try:
        return load_named_key(env_value, key_dir, "audit.key", "audit-chain key")
    except KeyringError as exc:
        raise KeyringError(f"{exc} (set PARCOURS_AUDIT_KEY or PARCOURS_KEY_DIR)") from None


def generate_key_files(key_dir: Path) -> list[Path]:
    """Create development keys if absent (used by `make run`; production keys come from a vault)."""
    key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = []
    for name in ("master-1.key", "blind-index.key", "audit.key"):
        path = key_dir / name
        if not path.exists():
            path.write_text(base64.b64encode(os.urandom(KEY_BYTES)).decode() + "\n")
            path.chmod(0o600)
            written.append(path)
    return written


def normalise(value: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name, for blind indexes."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    spaced = re.sub(r"[\s\-'’.]+", " ", stripped.casefold())
    return spaced.strip()


class IndexKey:
    """One blind-index key: the exact identity index, and the match keys made with subkeys of it.

    Its fingerprint (a MAC of a constant, never the key) is stored on each person, so that a rotation
    knows which rows are still under the old key and lookups compare each row with its own key."""

    def __init__(self, key: bytes):
        self._key = key
        self.fingerprint = hmac.new(key, b"parcours.blind-index.fingerprint", hashlib.sha256).hexdigest()[:16]

    def blind_index(self, *parts: str) -> str:
        message = "|".join(normalise(part) for part in parts)
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()

    @cache  # noqa: B019 - a handful of kinds per key, for the life of the process's keyring
    def _match_subkey(self, kind: str) -> bytes:
        """A subkey per kind of match key (HKDF, RFC 5869): a digest of one kind cannot be compared
        with a digest of another, and no subkey gives back the blind-index key."""
        info = f"parcours.match|{kind}".encode()
        return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(self._key)

    def match_digest(self, kind: str, text: str) -> str:
        """HMAC-SHA256 of already normalised text under the subkey of `kind`, in hex."""
        return hmac.new(self._match_subkey(kind), text.encode(), hashlib.sha256).hexdigest()

    def match_hash(self, kind: str):
        """The keyed hash a Bloom filter of `kind` is built with (raw HMAC-SHA256 bytes)."""
        subkey = self._match_subkey(kind)
        return lambda text: hmac.new(subkey, text.encode(), hashlib.sha256).digest()


class Keyring:
    def __init__(
        self, master_keys: dict[int, bytes], blind_index_key: bytes, next_blind_index_key: bytes | None = None
    ):
        self._master_keys = dict(master_keys)
        self.current_version = max(self._master_keys)
        # During a blind-index rotation the next key writes and both keys are looked up.
        keys = [next_blind_index_key, blind_index_key] if next_blind_index_key else [blind_index_key]
        self.index_keys = tuple(IndexKey(key) for key in keys)
        self.index_key = self.index_keys[0]

    # --- data keys --------------------------------------------------------------------------------
    @staticmethod
    def _wrap_aad(key_id: str) -> bytes:
        return f"parcours.access.datakey|{key_id}".encode()

    def wrap(self, key_id: str, data_key: bytes) -> tuple[bytes, int]:
        nonce = os.urandom(NONCE_BYTES)
        master = AESGCM(self._master_keys[self.current_version])
        return nonce + master.encrypt(nonce, data_key, self._wrap_aad(key_id)), self.current_version

    def unwrap(self, key_id: str, wrapped: bytes | None, version: int) -> bytes:
        if wrapped is None:
            raise DataKeyDestroyed(f"data key {key_id} was destroyed")
        try:
            master = self._master_keys[version]
        except KeyError:
            raise KeyringError(f"master key version {version} is not loaded") from None
        wrapped = bytes(wrapped)
        try:
            return AESGCM(master).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], self._wrap_aad(key_id))
        except InvalidTag:
            raise DecryptionError(f"data key {key_id} does not unwrap with master key {version}") from None

    # --- values -----------------------------------------------------------------------------------
    @staticmethod
    def encrypt(data_key: bytes, plaintext: str, aad: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return FORMAT_V1 + nonce + AESGCM(data_key).encrypt(nonce, plaintext.encode(), aad.encode())

    @staticmethod
    def decrypt(data_key: bytes, token: bytes, aad: str) -> str:
        token = bytes(token)
        if token[:1] != FORMAT_V1:
            raise DecryptionError("unknown ciphertext format")
        nonce, body = token[1 : 1 + NONCE_BYTES], token[1 + NONCE_BYTES :]
        try:
            return AESGCM(data_key).decrypt(nonce, body, aad.encode()).decode()
        except InvalidTag:
            raise DecryptionError(f"ciphertext does not authenticate for {aad.split('|')[0]}") from None

    # --- blind indexes ----------------------------------------------------------------------------
    def blind_index(self, *parts: str) -> str:
        return self.index_key.blind_index(*parts)


@cache
def get_keyring() -> Keyring:
    from django.conf import settings

    return Keyring(
        load_master_keys(settings.PARCOURS_MASTER_KEYS, settings.PARCOURS_KEY_DIR),
        load_blind_index_key(settings.PARCOURS_BLIND_INDEX_KEY, settings.PARCOURS_KEY_DIR),
        load_next_blind_index_key(settings.PARCOURS_BLIND_INDEX_KEY_NEXT, settings.PARCOURS_KEY_DIR),
    )


# Unwrapped data keys live only for the duration of one request (or one command batch):
# unwrapping costs one AES operation, and a process-wide cache would keep every key in memory.
_unwrapped: contextvars.ContextVar[dict | None] = contextvars.ContextVar("parcours_unwrapped_keys", default=None)


@contextmanager
def data_key_cache():
    token = _unwrapped.set({})
    try:
        yield
    finally:
        _unwrapped.reset(token)


def unwrap_cached(key_id: str, wrapped: bytes | None, version: int) -> bytes:
    cache_dict = _unwrapped.get()
    if cache_dict is not None and key_id in cache_dict:
        return cache_dict[key_id]
    key = get_keyring().unwrap(key_id, wrapped, version)
    if cache_dict is not None:
        cache_dict[key_id] = key
    return key


def forget_cached(key_id: str) -> None:
    cache_dict = _unwrapped.get()
    if cache_dict is not None:
        cache_dict.pop(key_id, None)
