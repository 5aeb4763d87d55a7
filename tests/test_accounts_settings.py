"""Production settings refuse to start without a secret key and allowed hosts, pass
`check --deploy`, and every response carries the Content Security Policy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.middleware import ContentSecurityPolicyMiddleware

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k3y-" + "".join(chr(ord("a") + (i * 7) % 26) for i in range(60))


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DUBAN_", "SECRET_KEY", "ALLOWED_"))}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "env, complaint",
    [
        ({"DJANGO_ALLOWED_HOSTS": "duban.example.gov.cn"}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short", "DJANGO_ALLOWED_HOSTS": "duban.example.gov.cn"}, "at least 50"),
        ({"DJANGO_SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
        (
            {"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "duban.example.gov.cn", "DEBUG": "true"},
            "DEBUG must be off",
        ),
    ],
)
def test_production_refuses_to_start_without_its_settings(env, complaint):
    done = manage("check", DUBAN_ENV="production", **env)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and complaint in done.stderr


def test_check_deploy_is_clean_under_production_settings():
    done = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DUBAN_ENV="production", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS="duban.example.gov.cn",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues" in done.stdout


def test_the_production_settings_module_is_production_too():
    done = manage("check", DJANGO_SETTINGS_MODULE="duban.settings_production", DJANGO_ALLOWED_HOSTS="x.gov.cn")
    assert done.returncode != 0 and "DJANGO_SECRET_KEY must be set" in done.stderr


def test_production_cookies_and_hsts():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    done = manage(
        "shell", "-v", "0", "-c", code,
        DUBAN_ENV="production", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS="duban.example.gov.cn",
    )  # fmt: skip
    assert done.stdout.split() == ["True", "True", "31536000", "True", "False"], done.stderr


@pytest.mark.parametrize("url", ["login", "home"])
def test_every_page_carries_the_content_security_policy(world, client, url):
    client.force_login(world.owner)
    policy = client.get(reverse(url))["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy


def test_anonymous_and_error_responses_carry_it_too(db, client):
    assert "Content-Security-Policy" in client.get(reverse("login"))
    assert "Content-Security-Policy" in client.get("/no-such-page/")


def test_the_policy_can_be_turned_off(rf):
    with override_settings(DUBAN_CSP=""):
        middleware = ContentSecurityPolicyMiddleware(lambda request: __import__("django.http").http.HttpResponse())
        assert "Content-Security-Policy" not in middleware(rf.get("/"))


def test_templates_have_no_inline_scripts_or_handlers():
    """Inline <script> code and on…= attributes would be blocked by the policy (json_script
    data blocks are fine: they are not run)."""
    import re

    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        if "javascript:" in text:
            offenders.append(f"{path.relative_to(ROOT)}: javascript:")
    assert offenders == []
