"""Settings from the environment: bad values stop with one clear line naming the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import free_port

ACTLOCAL = str(Path(sys.executable).with_name("actlocal"))


def run(tmp_path: Path, args: str = "check", **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))}
    base.update({"ACTLOCAL_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [ACTLOCAL, *args.split()],
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DATABASE_URL", "notaurl://x", "DATABASE_URL: cannot parse"),
        ("DATABASE_URL", "mysql://root@127.0.0.1/x", "DATABASE_URL:"),
        ("EMAIL_URL", "carrier-pigeon://coop", "EMAIL_URL: unknown scheme"),
        ("TIME_ZONE", "Mars/Olympus_Mons", "TIME_ZONE: unknown time zone"),
        ("DEBUG", "perhaps", "DEBUG: expected true or false"),
        ("ACTLOCAL_BASE_URL", "example.org", "ACTLOCAL_BASE_URL: expected http(s)"),
        ("ACTLOCAL_MAX_UPLOAD_MB", "lots", "ACTLOCAL_MAX_UPLOAD_MB: expected a whole number"),
    ],
)
def test_bad_setting_prints_one_line_naming_it(tmp_path, name, value, expected):
    result = run(tmp_path, **{name: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_unreachable_database_prints_one_line(tmp_path):
    result = run(
        tmp_path,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/nothing",
        args="migrate",
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("actlocal: DATABASE_URL: cannot reach the database")
    assert "Traceback" not in result.stderr


def test_secret_key_is_generated_once_and_kept(tmp_path):
    assert run(tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert run(tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = run(
        tmp_path,
        args="check --deploy --fail-level WARNING",
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-" + "x9Y" * 20,
        ALLOWED_HOSTS="actlocal.example.org",
        ACTLOCAL_BASE_URL="https://actlocal.example.org",
        ACTLOCAL_HTTPS="true",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
