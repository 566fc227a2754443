"""Reading settings from the environment.

Every problem is reported as a ``ConfigError`` whose message names the
setting, so the command line can print one clear line instead of a traceback.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


class ConfigError(ImproperlyConfigured):
    """A setting from the environment has a value we cannot use."""


TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ConfigError(f"{name}: expected true or false, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name}: must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(env_str("ACTLOCAL_DATA_DIR", "var")).resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"ACTLOCAL_DATA_DIR: cannot create {path}: {exc.strerror}") from None
    return path


def secret_key(directory: Path) -> str:
    """The SECRET_KEY from the environment, else one generated once into the data dir.

    The file is created with O_EXCL so concurrent gunicorn workers agree on one key.
    """
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    path = directory / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    for _attempt in range(50):
        key = path.read_text().strip()
        if key:
            return key
        # Another process created the file and has not written it yet.
        import time

        time.sleep(0.02)
    raise ConfigError(f"SECRET_KEY: the generated key file {path} is empty")


def database(url: str, directory: Path) -> dict[str, Any]:
    if not url:
        config: dict[str, Any] = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(directory / "actlocal.sqlite3"),
        }
    else:
        try:
            config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        except Exception as exc:  # dj-database-url raises several kinds
            raise ConfigError(f"DATABASE_URL: cannot parse {redact_url(url)!r}: {exc}") from None
        if not config.get("ENGINE"):
            raise ConfigError(f"DATABASE_URL: unsupported database in {redact_url(url)!r}")
        if config["ENGINE"] not in {
            "django.db.backends.sqlite3",
            "django.db.backends.postgresql",
        }:
            raise ConfigError(
                f"DATABASE_URL: {config['ENGINE']} is not supported; use sqlite:// or postgres://"
            )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # IMMEDIATE serializes writers at BEGIN, so capacity checks cannot race.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
        config["TEST"] = {"NAME": str(directory / "test-actlocal.sqlite3")}
    return config


def redact_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def email(url: str, directory: Path) -> dict[str, Any]:
    """Settings for Django's mail from an EMAIL_URL.

    smtp://user:pass@host:port (smtp+tls:// for STARTTLS, smtps:// for TLS),
    file:///path (one file per message), console:, memory:, dummy:.
    """
    if not url:
        url = f"file://{directory / 'mail'}"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    result: dict[str, Any] = {}
    if scheme in {"smtp", "smtp+tls", "smtps"}:
        if not parts.hostname:
            raise ConfigError(f"EMAIL_URL: no host in {redact_url(url)!r}")
        try:
            port = parts.port or (465 if scheme == "smtps" else 25)
        except ValueError:
            raise ConfigError(f"EMAIL_URL: bad port in {redact_url(url)!r}") from None
        query = parse_qs(parts.query)
        result = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": scheme == "smtp+tls",
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_TIMEOUT": int(query.get("timeout", ["20"])[0]),
        }
    elif scheme == "file":
        path = Path(unquote(parts.path or str(directory / "mail")))
        result = {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(path),
        }
    elif scheme == "console":
        result = {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    elif scheme == "memory":
        result = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    elif scheme == "dummy":
        result = {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    else:
        raise ConfigError(
            f"EMAIL_URL: unknown scheme {scheme!r}; use smtp://, smtps://, smtp+tls://, "
            "file://, console:, memory: or dummy:"
        )
    return result


def base_url(raw: str, default: str) -> str:
    value = (raw or default).rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"ACTLOCAL_BASE_URL: expected http(s)://host[:port], got {raw!r}")
    return value


def time_zone(raw: str) -> str:
    import zoneinfo

    value = raw or "America/New_York"
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"TIME_ZONE: unknown time zone {value!r}") from None
    return value
