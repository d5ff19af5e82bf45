"""Settings read the environment strictly, and production settings pass Django's deploy checks.

Each case runs in a fresh interpreter because settings are read once, at import.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest


def run_with_env(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS", "SECRET_KEY"}}
    clean["DJANGO_SETTINGS_MODULE"] = "beatbridge.settings"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("TIME_ZONE", "Nowhere/Foo"),
        ("TIME_ZONE", ""),
        ("HTTPS", "sometimes"),
        ("CONN_MAX_AGE", "forever"),
        ("LANGUAGE_CODE", "xx"),
        ("DATABASE_URL", "nosuchdb://here"),
        ("SECRET_KEY_FILE", "/nonexistent/secret"),
    ],
)
def test_a_bad_environment_value_is_refused_naming_the_variable(tmp_path, variable, value):
    env = {"SECRET_KEY": "x" * 50, "BEATBRIDGE_DATA_DIR": str(tmp_path), variable: value}
    if variable == "SECRET_KEY_FILE":
        env.pop("SECRET_KEY")

    result = run_with_env("from django.conf import settings; settings.DEBUG", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = run_with_env(
        "from beatbridge.__main__ import main; import sys; "
        "sys.argv = ['beatbridge', 'check', '--deploy', '--fail-level', 'WARNING']; main()",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        BEATBRIDGE_DATA_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_secret_key_is_read_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file-" + "k" * 40 + "\n")

    result = run_with_env(
        "from django.conf import settings; print(settings.SECRET_KEY)",
        SECRET_KEY_FILE=str(key_file),
        BEATBRIDGE_DATA_DIR=str(tmp_path),
    )

    assert result.stdout.strip() == "from-a-file-" + "k" * 40


def test_without_a_secret_key_one_is_generated_once_and_kept(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"

    first = run_with_env(code, BEATBRIDGE_DATA_DIR=str(tmp_path))
    second = run_with_env(code, BEATBRIDGE_DATA_DIR=str(tmp_path))

    assert first.returncode == 0, first.stderr
    assert len(first.stdout.strip()) >= 50
    assert first.stdout == second.stdout
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
