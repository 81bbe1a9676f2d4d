"""Settings shared by every environment. Values that differ come from the environment."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "treebeard",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "bootstrap",  # django-bootstrap-static: Bootstrap's CSS and JS served locally
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's and Redoc's files served locally (no CDN)
    "unionportal",
    "organizations",
    "members",
    "imports",
    "programs",
    "indicators",
    "reports",
    "restructure",
    "audit",
    "notifications",
    "api",
    "demo",  # the demo and benchmark builders (load_demo, build_synthetic); nothing imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "unionportal.sessions.SessionMiddleware",  # Django's, its row rewritten at most once a minute
    "unionportal.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After the user is known (the error pages show the menu), before any view looks a code up.
    "unionportal.middleware.RefuseControlCharactersMiddleware",
    "unionportal.middleware.LoginRequiredMiddleware",  # 401 to a script, not the login page
    "organizations.middleware.RequireTwoFactorMiddleware",
    "audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "unionportal.urls"
WSGI_APPLICATION = "unionportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "organizations.context_processors.user_scope",
                "notifications.context_processors.unread_notifications",
                "notifications.context_processors.todo_count",
            ],
            "builtins": [
                "unionportal.templatetags.vn",
                "unionportal.templatetags.bs",
                "unionportal.templatetags.links",
            ],
        },
    },
]

# Django's form renderer, with the text inputs and the selects written in Python (unionportal/widgets.py).
FORM_RENDERER = "unionportal.widgets.WidgetRenderer"

# An embedded SQLite database unless DATABASE_URL says otherwise (PostgreSQL in CI and production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database holds concurrent work: a background import writes while the pages
    # poll its progress and people save grid cells. WAL lets readers go on while one writes;
    # every transaction takes the write lock when it begins (IMMEDIATE), so that two writers
    # queue on the busy timeout instead of one failing with "database is locked" when it turns
    # a read into a write (SQLite cannot wait there: it would deadlock). synchronous=NORMAL is
    # safe under WAL (a power cut may lose the last commits, never corrupts the file).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,  # seconds a writer waits for the lock (sqlite3's busy timeout)
            "transaction_mode": "IMMEDIATE",
            "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000"),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Logins: lockout after repeated failures, counted per username *and* address together, so
# one office behind one address is not locked out because one person mistyped (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))  # 1 behind nginx
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Sessions end after 30 idle minutes (every request pushes the expiry on) and with the browser.
SESSION_ENGINE = "unionportal.sessions"  # the database's, refusing forged keys before they reach it
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
# Idle sessions end: each request pushes the expiry on, writing the row at most once a minute
# (unionportal.sessions.SessionMiddleware) rather than on every request (SESSION_SAVE_EVERY_REQUEST).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor authentication (TOTP, django-otp) for provincial and national officers and
# administrators. Production requires it; `make run`'s demo leaves it off so the demo
# logins work without an authenticator app (TWO_FACTOR_REQUIRED=1 turns it on).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = "UnionPortal"

# Content-Security-Policy: scripts, styles and images from this site only; no inline
# scripts or style attributes anywhere (behaviour lives in static/js/portal.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGIN_URL = "login"
# A refused CSRF check gets a page in Vietnamese that links back (a script gets JSON).
CSRF_FAILURE_VIEW = "unionportal.session_views.csrf_failure"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first, English selectable.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own "vi" formats have no thousands grouping and US-style date input;
# ours (unionportal/formats/vi) give 2.358, 53,98 and dd/mm/yyyy.
FORMAT_MODULE_PATH = ["unionportal.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"

# Background jobs: "thread" (embedded default, no other service) or "celery" (production's
# workers on a real queue, e.g. Redis). CACHE_URL shares job progress between processes.
JOBS_BACKEND = os.environ.get("JOBS_BACKEND", "thread")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# The scheduled work of production (`celery -A unionportal beat`): the deadline sweep every morning
# in Việt Nam, the webhook deliveries whose back-off has passed, and the waiting emails. The embedded mode runs the
# same two commands from cron (README.md).
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "unionportal.run_job",
        "schedule": crontab(hour=7, minute=0),
        "args": ("notifications.sweep.send_reminders_job",),
    },
    "deliver-webhooks": {
        "task": "unionportal.run_job",
        "schedule": crontab(minute="*/5"),
        "args": ("notifications.webhooks.deliver_due_job",),
    },
    # Restructuring plans scheduled for today (restructure/scheduling.py), just after midnight in Việt Nam.
    "apply-due-plans": {
        "task": "unionportal.run_job",
        "schedule": crontab(hour=0, minute=15),
        "args": ("restructure.scheduling.apply_due_plans_job",),
    },
    # Emails whose retry is due, and each user's digest of the day once NOTIFICATION_DIGEST_HOUR has come.
    "send-notification-emails": {
        "task": "unionportal.run_job",
        "schedule": crontab(minute="*/10"),
        "args": ("notifications.delivery.send_waiting_job",),
    },
}
# The portal's address as people outside it reach it: the links in webhooks and e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
if os.environ.get("CACHE_URL", "").startswith("redis://"):
    CACHES = {
        "default": {
            # Django's, with one client per pool instead of one per call (unionportal/redis_cache.py).
            "BACKEND": "unionportal.redis_cache.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        }
    }
# How long a dashboard's computed part is kept in the cache (unionportal/generations.py: every write
# of figures moves its key, so this only bounds the memory). Only with a cache shared by every
# process (Redis): with the default per-process cache, one process would not see another's writes.
REPORT_CACHE_SECONDS = int(
    os.environ.get("REPORT_CACHE_SECONDS", "3600" if os.environ.get("CACHE_URL", "").startswith("redis://") else "0")
)

# Uploaded spreadsheets: the upload itself (bytes on the wire), then what the file holds once
# unpacked, checked before any cell is read (unionportal/spreadsheets/guard.py). The defaults
# fit the largest real file (a province's members): 200,000 rows, 100 columns, 200 MB unpacked.
# The reading runs in a child process with `memory_bytes` of address space and `seconds` of CPU.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 20 * 1024 * 1024))
SPREADSHEET_LIMITS = {
    "rows": 200_000,
    "columns": 100,
    "uncompressed_bytes": 200 * 1024 * 1024,
    "parts": 1_000,
    "shared_strings_bytes": 100 * 1024 * 1024,
    "cell_chars": 32_767,
    "memory_bytes": int(os.environ.get("SPREADSHEET_MEMORY_MB", 1024)) * 1024 * 1024,
    "seconds": 120,
}

# The API (/api/v1/, docs/api.md). Tokens only (no session), problem details for every error.
# A body larger than API_MAX_BODY_BYTES is refused by its Content-Length before it is read (413);
# a bulk call holds at most API_MAX_BULK_ROWS rows. API_RATE is per token (DRF's "n/second|minute|hour|day").
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", 40 * 1024 * 1024))
API_MAX_BULK_ROWS = int(os.environ.get("API_MAX_BULK_ROWS", 100_000))
# A write of figures (data-values/, dataValueSets/) goes cell by cell through the grid's service: fewer rows a call.
API_MAX_VALUE_ROWS = int(os.environ.get("API_MAX_VALUE_ROWS", 2_000))
API_RATE = os.environ.get("API_RATE", "600/minute")
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", 365))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "UnionPortal API",
    "DESCRIPTION": "API của Cổng thông tin chương trình công đoàn: cùng phạm vi, cùng quyền, cùng kiểm tra như trên trang web.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets are both called "kind" (a restructuring's, a report's): each its own enum name.
    "ENUM_NAME_OVERRIDES": {
        "ReportKindEnum": "reports.models.ReportKind",
        "SubmissionStateEnum": "indicators.models.submission.SubmissionStatus",
        "PeriodStateEnum": ["closed", "open", "locked"],
    },
}

# `load_demo` creates accounts with a published password; production.py turns it off.
DEMO_DATA_ALLOWED = True

# Emails (the notifications): Django's SMTP backend, configured from the environment.
# SITE_URL (above) is the portal's address as its users reach it: every link in an email starts with it.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))  # seconds: a hung server fails the job, to be retried
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "UnionPortal <no-reply@localhost>")
# The local hour after which `send_notification_digest` sends the day's digests (once per user and day).
NOTIFICATION_DIGEST_HOUR = int(os.environ.get("NOTIFICATION_DIGEST_HOUR", "7"))

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# A dashboard whose figures have moved since it was computed (cells typed in the grid, anywhere below
# it) may be served as computed up to this many seconds earlier, rather than computed again for every
# cell typed (reports/views/dashboard.py). Never across a restructuring, a target or an acceptance.
REPORT_STALE_SECONDS = int(os.environ.get("REPORT_STALE_SECONDS", "5" if REPORT_CACHE_SECONDS else "0"))
