"""Production settings: `check --deploy` is clean and the HTTPS/proxy switches do what they say."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**extra):
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "kb.example.org",
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


def settings_in(env, *names):
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, default=str))"
    )
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_debug_off_and_https_on(tmp_path):
    # As deployed: static files collected first (uncompressed here, for speed).
    env = production_env(DJANGO_STATIC_ROOT=str(tmp_path), DJANGO_STATIC_COMPRESS="0")
    collected = run_manage("collectstatic", "--noinput", "-v0", **env)
    assert collected.returncode == 0, collected.stderr

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_before_static_files_are_collected(tmp_path):
    result = run_manage("check", "--deploy", **production_env(DJANGO_STATIC_ROOT=str(tmp_path / "none")))

    assert result.returncode != 0
    assert "cmo_kb.E001" in result.stderr and "collectstatic --noinput" in result.stderr


def test_check_deploy_fails_with_a_short_secret_key():
    env = production_env(DJANGO_SECRET_KEY="short")  # noqa: S106 - a weak key is the point of the test
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_debug_off_without_secret_key_refuses_to_start():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]

    result = run_manage("check", **env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_https_is_on_by_default_when_debug_is_off():
    values = settings_in(
        production_env(),
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "SESSION_COOKIE_AGE",
    )

    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "SESSION_COOKIE_AGE": 8 * 3600,
    }


def test_https_can_be_switched_off_for_plain_http_on_loopback():
    values = settings_in(
        production_env(DJANGO_HTTPS="0"), "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS"
    )

    assert values == {"SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False, "SECURE_HSTS_SECONDS": 0}


def test_proxy_settings_come_from_the_environment():
    values = settings_in(
        production_env(
            DJANGO_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
            DJANGO_USE_X_FORWARDED_HOST="1",
            DJANGO_CSRF_TRUSTED_ORIGINS="https://kb.example.org,https://kb2.example.org",
            DJANGO_TRUSTED_PROXY_COUNT="1",
        ),
        "SECURE_PROXY_SSL_HEADER",
        "USE_X_FORWARDED_HOST",
        "CSRF_TRUSTED_ORIGINS",
        "TRUSTED_PROXY_COUNT",
    )

    assert values == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "USE_X_FORWARDED_HOST": True,
        "CSRF_TRUSTED_ORIGINS": ["https://kb.example.org", "https://kb2.example.org"],
        "TRUSTED_PROXY_COUNT": 1,
    }


def test_a_malformed_proxy_header_setting_is_refused_with_a_clear_error():
    result = run_manage("check", **production_env(DJANGO_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO"))

    assert result.returncode != 0
    assert "DJANGO_PROXY_SSL_HEADER must be 'HEADER,value'" in result.stderr


@pytest.mark.django_db
def test_https_redirect_spares_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/").status_code == 301
    assert client.get("/").headers["Location"] == "https://testserver/"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_behind_the_proxy_a_forwarded_https_request_is_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    assert client.get("/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
    assert client.get("/", headers={"X-Forwarded-Proto": "http"}).status_code == 301
