import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides):
    """manage.py in a fresh process with the project's own settings module and none of
    the development mode the tests set for themselves (tests/settings.py)."""
    dropped = {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "CSP_REPORT_ONLY"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
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


PRINT = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY[:12], {})"


def test_production_is_the_default_debug_off_and_no_key_made_up():
    result = run_manage("check", env_overrides={})
    assert result.returncode != 0
    assert "Set SECRET_KEY when DEBUG is off (production is the default)" in result.stderr


def test_production_enforces_the_content_security_policy():
    result = run_manage(
        "shell", "-c", PRINT.format("bool(settings.CONTENT_SECURITY_POLICY), hasattr(settings, "
                                    "'CONTENT_SECURITY_POLICY_REPORT_ONLY')"),
        env_overrides={"SECRET_KEY": "x9" * 32, "ALLOWED_HOSTS": "forum.example.org"},
    )
    assert result.returncode == 0, result.stderr
    debug, _, enforced, report_only = result.stdout.splitlines()[-1].split()
    assert (debug, enforced, report_only) == ("False", "True", "False")


def test_development_mode_is_asked_for_and_its_key_is_made_per_process_not_committed():
    keys = set()
    for _ in range(2):
        result = run_manage("shell", "-c", PRINT.format("'dev'"), env_overrides={"DEBUG": "1"})
        assert result.returncode == 0, result.stderr
        debug, key, _ = result.stdout.splitlines()[-1].split()
        assert debug == "True"
        keys.add(key)
    assert len(keys) == 2
