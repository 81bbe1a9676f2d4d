"""The load test (`make load`, bench/load/): production, served over plain http on 127.0.0.1.

Everything is production's (DEBUG off, whitenoise with hashed static files, the same
middleware, sessions, axes and CSP) except what a browser-less client talking plain http to
gunicorn, with no nginx and no authenticator app, cannot get through:

- no redirect to https and no Secure flag on the session and CSRF cookies: over http a
  client (a browser too) never sends a Secure cookie back, so every user would stay logged out;
- no second factor: the demo's provincial and national officers have no TOTP device;
- no proxy in front: axes takes the address from REMOTE_ADDR (production counts nginx's
  X-Forwarded-For).

Never use it on a server that others reach.
"""

from .production import *  # noqa: F403
from .production import BASE_DIR

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
TWO_FACTOR_REQUIRED = False
AXES_IPWARE_PROXY_COUNT = 0

# Its own collected files, so that the load test never touches a deployment's staticfiles/.
STATIC_ROOT = BASE_DIR / "var" / "load" / "staticfiles"
