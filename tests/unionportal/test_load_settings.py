"""The load test's settings (`make load`) are production's, less only what plain http on 127.0.0.1 needs."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RELAXED = {
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "TWO_FACTOR_REQUIRED",
    "AXES_IPWARE_PROXY_COUNT",
    "STATIC_ROOT",
}

# Each setting's repr, without the memory addresses of the objects some apps put there.
DUMP = """
import json, re
from django.conf import settings
print(json.dumps({n: re.sub(" at 0x[0-9a-f]+", "", repr(getattr(settings, n))) for n in dir(settings) if n.isupper()}))
"""


def settings_of(module: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": module, "SECRET_KEY": secrets.token_urlsafe(60)}
    for name in ("SECURE_SSL_REDIRECT", "TWO_FACTOR_REQUIRED", "AXES_PROXY_COUNT", "DEBUG"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", DUMP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_load_settings_differ_from_production_only_where_plain_http_needs_it():
    production = settings_of("unionportal.settings.production")
    load = settings_of("unionportal.settings.load")
    changed = {name for name in production.keys() | load.keys() if production.get(name) != load.get(name)}
    assert changed - {"SETTINGS_MODULE", "SECRET_KEY"} == RELAXED
    assert load["DEBUG"] == "False" and load["DEMO_DATA_ALLOWED"] == "False"
    assert load["SESSION_COOKIE_SECURE"] == "False" and load["TWO_FACTOR_REQUIRED"] == "False"
