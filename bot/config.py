"""Settings from the environment and `.env`. Built inside main(), never at import time."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    bot_token: SecretStr | None = None  # required by `run` and Telegram-facing commands
    telegram_api_url: str = DEFAULT_TELEGRAM_API_URL
    bot_username: str | None = None

    database_path: Path = Path("data/bot.sqlite3")
    ediary_provider: Literal["demo", "dnevnik", "mesh"] = "demo"
    demo_database_path: Path = Path("data/demo-ediary.sqlite3")
    demo_per_student: bool = False  # the demo answers as a family's token would: no class-level reads

    # Дневник.ру (EDIARY_PROVIDER=dnevnik): a token from elsewhere, or the partner OAuth2 code grant
    dnevnik_api_url: str = "https://api.dnevnik.ru/v2/"
    dnevnik_school_id: str | None = None
    dnevnik_token: SecretStr | None = None
    dnevnik_client_id: str | None = None
    dnevnik_client_secret: SecretStr | None = None
    dnevnik_redirect_uri: str | None = None
    dnevnik_max_concurrency: int = Field(8, ge=1, le=64)

    # МЭШ platform (EDIARY_PROVIDER=mesh): a token copied from a signed-in browser
    mesh_api_url: str = "https://school.mos.ru"
    mesh_token: SecretStr | None = None
    mesh_refresh_token: SecretStr | None = None
    mesh_profile_id: str | None = None
    mesh_max_concurrency: int = Field(8, ge=1, le=64)

    timezone: str = "Europe/Moscow"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    poll_interval_seconds: int = Field(300, ge=5, le=86400)
    poll_concurrency: int = Field(10, ge=1, le=100)  # e-diary reads of one poll in flight at once
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"

    # linking
    code_ttl_days: int = Field(14, ge=1, le=365)
    code_secret: SecretStr | None = None  # generated into the data directory when unset

    # alerts and delivery
    grade_window_days: int = Field(14, ge=1, le=120)
    send_rate_per_second: float = Field(25, gt=0, le=30)
    max_send_attempts: int = Field(8, ge=1, le=50)

    # progress and reports
    grade_rounding: Annotated[tuple[Decimal, Decimal, Decimal], NoDecode] = (
        Decimal("4.5"),
        Decimal("3.5"),
        Decimal("2.5"),
    )  # the lowest averages (as shown, two decimals) that lead to a 5, a 4 and a 3
    class_comparison: bool = True  # the class average and the child's quarter of the class, never others' marks

    # serving: long polling by default; a webhook behind the school's HTTPS proxy with WEBHOOK_URL
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None  # required with WEBHOOK_URL; Telegram sends it in a header
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(8080, ge=0, le=65535)
    health_host: str = "127.0.0.1"  # polling mode: where /healthz and /metrics listen, with HEALTH_PORT
    health_port: int | None = Field(None, ge=0, le=65535)
    log_format: Literal["text", "json"] = "text"

    # retention (the daily purge)
    outbox_retention_days: int = Field(30, ge=7, le=3650)  # /stats counts this week's alerts from it
    code_retention_days: int = Field(90, ge=1, le=3650)
    audit_detail_retention_days: int = Field(365, ge=30, le=3650)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return value
        token = value.get_secret_value()
        head, sep, tail = token.partition(":")
        if not (sep and head.isdigit() and tail):
            raise ValueError("expected the form 123456:ABC... from @BotFather")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}, expected an IANA name such as Europe/Moscow") from None
        return value

    @field_validator("telegram_api_url", "dnevnik_api_url", "mesh_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http(s) URL")
        return value.rstrip("/")

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("expected the public https:// URL Telegram posts updates to")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("expected 1-256 characters of A-Z, a-z, 0-9, _ and - (e.g. from `openssl rand -hex 32`)")
        return value

    @field_validator("grade_rounding", mode="before")
    @classmethod
    def _split_thresholds(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        try:
            numbers = tuple(Decimal(p) for p in re.split(r"[,;\s]+", value) if p)
        except InvalidOperation:
            numbers = ()
        if len(numbers) != 3 or not all(n.is_finite() for n in numbers):
            raise ValueError(f"expected three numbers (for a 5, a 4 and a 3) such as 4.5,3.5,2.5, got {value!r}")
        return numbers

    @field_validator("grade_rounding")
    @classmethod
    def _thresholds_in_range(cls, value: tuple[Decimal, Decimal, Decimal]) -> tuple[Decimal, Decimal, Decimal]:
        for mark, threshold in zip((5, 4, 3), value, strict=True):
            if not mark - 1 < threshold <= mark:
                raise ValueError(f"the average for a {mark} must be above {mark - 1} and at most {mark} ({threshold})")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            for part in parts:
                if not part.lstrip("-").isdigit():
                    raise ValueError(f"{part!r} is not a Telegram user id (comma-separated numbers)")
            return frozenset(int(p) for p in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value

    def require_token(self) -> str:
        if self.bot_token is None:
            raise SettingsError("BOT_TOKEN is not set (see .env.example)")
        return self.bot_token.get_secret_value()

    def require_webhook_secret(self) -> str:
        if self.webhook_secret is None:
            raise SettingsError("WEBHOOK_SECRET is not set: it is required with WEBHOOK_URL (see .env.example)")
        return self.webhook_secret.get_secret_value()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def data_dir(self) -> Path:
        return self.database_path.parent


class SettingsError(Exception):
    """One clear line naming the bad setting."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = str(err["loc"][0]).upper() if err["loc"] else "settings"
            if err["type"] == "missing":
                lines.append(f"{name} is not set (see .env.example)")
            else:
                msg = err["msg"].removeprefix("Value error, ")
                lines.append(f"{name} is invalid: {msg}")
        raise SettingsError("; ".join(lines)) from None
