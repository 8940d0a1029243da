import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DEBUG": "0",
            "SECRET_KEY": "x9" * 32 + "-production-like-secret-for-the-check",
            "ALLOWED_HOSTS": "forum.example.org",
            "SITE_URL": "https://forum.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x9" * 32 + "-production-like-secret", "ALLOWED_HOSTS": "forum.example.org"}


def test_production_fails_the_checks_without_a_site_url_for_escalation_links():
    result = run_manage("check", "--deploy", env_overrides={**PRODUCTION, "SITE_URL": ""})
    assert result.returncode != 0
    assert "forum.E001" in result.stderr and "SITE_URL is not set" in result.stderr


def test_production_fails_the_checks_with_a_plain_http_site_url():
    result = run_manage("check", env_overrides={**PRODUCTION, "SITE_URL": "http://forum.example.org"})
    assert result.returncode != 0
    assert "forum.E002" in result.stderr


def test_development_needs_no_site_url():
    result = run_manage("check", env_overrides={"DEBUG": "1", "SITE_URL": ""})
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={"DEBUG": "0", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
