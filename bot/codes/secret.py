"""The key for code hashes: CODE_SECRET, or a random one generated into the data directory on first run.

Only HMAC-SHA256(key, code) is stored, so a copy of the database does not reveal usable codes. Changing
the key invalidates every code issued so far (people already linked stay linked).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path

from bot.config import Settings, SettingsError

log = logging.getLogger(__name__)

SECRET_FILE_NAME = "code_secret"
MIN_SECRET_LENGTH = 16


class CodeHasher:
    """Keyed hashes of codes (what the database stores) and of Telegram ids (the rate limit's key)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def code(self, canonical_code: str) -> str:
        return hmac.new(self._key, b"code:" + canonical_code.encode(), hashlib.sha256).hexdigest()

    def user(self, user_id: int) -> str:
        return hmac.new(self._key, b"user:" + str(user_id).encode(), hashlib.sha256).hexdigest()


_hashers: dict[tuple[str, str], CodeHasher] = {}


def secret_path(settings: Settings) -> Path:
    return settings.data_dir / SECRET_FILE_NAME


def code_hasher(settings: Settings) -> CodeHasher:
    """The hasher for these settings; creates the secret file on first use when CODE_SECRET is unset."""
    configured = settings.code_secret.get_secret_value() if settings.code_secret is not None else None
    cache_key = ("env", configured) if configured is not None else ("file", str(secret_path(settings).resolve()))
    hasher = _hashers.get(cache_key)
    if hasher is None:
        hasher = CodeHasher(_configured_key(configured) if configured is not None else _file_key(secret_path(settings)))
        _hashers[cache_key] = hasher
    return hasher


def _configured_key(value: str) -> bytes:
    value = value.strip()
    if len(value) < MIN_SECRET_LENGTH:
        raise SettingsError(
            f"CODE_SECRET is invalid: use at least {MIN_SECRET_LENGTH} characters (e.g. `openssl rand -hex 32`)"
        )
    return value.encode()


def _file_key(path: Path) -> bytes:
    try:
        if not path.exists():
            _create_secret_file(path)
        return _read_key(path)
    except OSError as exc:
        raise SettingsError(f"CODE_SECRET is not set and {path} cannot be used: {exc.strerror or exc}") from None


def _create_secret_file(path: Path) -> None:
    """Write the key to a private temporary file, then link it into place: another process starting at the
    same moment either wins or reads the complete file, never a half-written one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fp:
            fp.write(secrets.token_hex(32) + "\n")
            fp.flush()
            os.fsync(fp.fileno())
        try:
            os.link(tmp, path)
            log.info("generated the code secret in %s", path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def _read_key(path: Path) -> bytes:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, 0o600)
        log.warning("tightened the permissions of %s to 0600", path)
    value = path.read_text(encoding="ascii", errors="replace").strip()
    if len(value) < MIN_SECRET_LENGTH:
        raise SettingsError(
            f"CODE_SECRET is not set and {path} is empty or damaged: restore it from a backup, or delete it "
            "to generate a new one (codes issued so far will stop working)"
        )
    return value.encode()
