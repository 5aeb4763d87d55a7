"""Settings for duban, read from the environment.

With no environment at all the site runs on a SQLite file next to the code, so one can
check out the code and it works. Production sets DUBAN_ENV=production, a secret key,
allowed hosts and DATABASE_URL.
"""

import re
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from duban.env import env_bool, env_int, env_list, env_str, env_time

BASE_DIR = Path(__file__).resolve().parent.parent

DUBAN_ENV = env_str("DUBAN_ENV", "development")
if DUBAN_ENV not in ("development", "test", "production"):
    raise ImproperlyConfigured(f"DUBAN_ENV must be development, test or production, got {DUBAN_ENV!r}")
PRODUCTION = DUBAN_ENV == "production"

# DJANGO_SECRET_KEY (or SECRET_KEY): production refuses to start without one, or with a short one.
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-not-secret-" + "x" * 40
elif PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 random characters in production")

# Off unless a developer asks for it (DUBAN_DEBUG=1, or the older DEBUG=1): users get the site's own
# Chinese error pages (templates/4xx.html, 500.html), never Django's debug page.
DEBUG = env_bool("DUBAN_DEBUG", env_bool("DEBUG", False))
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS (or ALLOWED_HOSTS) must be set in production")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "duban",  # the floor: its template tags (duban/templatetags), no models
    "org",
    "campaigns",
    "reports",
    "ranking",
    "projects",
    "requisition",
    "economy",
    "land",  # land approval batches and supply (土地报批, 供地)
    "problems",
    "assessment",
    "cadres",  # people lent to the front (抽调), pairings, what their work earns
    "bulletins",
    "doctemplates",  # the offices' own Word templates of the documents
    "dashboard",
    "rest_framework",
    "drf_spectacular",
    "api",
    "accounts",
    "audit",
    "ops",
    "jobs",
    "setup",  # the office sets itself up: units, people, campaigns
    "demo",  # demo and scale data: load_demo, generate_scale_data
]

MIDDLEWARE = [
    "ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duban.middleware.ChineseFirstLocaleMiddleware",
    "duban.middleware.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.context.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "duban.db_router.ReplicaMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "duban.middleware.FileStoreMiddleware",  # last: the first to see a view's exception
]

ROOT_URLCONF = "duban.urls"
WSGI_APPLICATION = "duban.wsgi.application"

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
                "org.context.scope",
            ],
        },
    },
]

_sqlite_default = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _sqlite_default), conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Connection pooling on PostgreSQL (DUBAN_DB_POOL=1): Django 5.2's own pool (psycopg_pool) in each
# process, instead of a connection held per thread (CONN_MAX_AGE). See the README's operations page.
DUBAN_DB_POOL = env_bool("DUBAN_DB_POOL", False)
DUBAN_DB_POOL_MAX = env_int("DUBAN_DB_POOL_MAX", 8, minimum=1)


def _postgres_options(database, pool=DUBAN_DB_POOL):
    if database["ENGINE"] != "django.db.backends.postgresql":
        return database
    options = database.setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", 3)
    if pool:
        options["pool"] = {"min_size": 1, "max_size": DUBAN_DB_POOL_MAX, "timeout": 10}
        database["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django must not hold them too
    return database


_postgres_options(DATABASES["default"])

# A PostgreSQL streaming replica (DUBAN_REPLICA_URL) for the reads that may lag a little: the big
# screen, the Excel exports, the API's lists (duban/db_router.py). A user's own reads stay on the
# primary for DUBAN_REPLICA_PIN_SECONDS after their own write; the replica is left aside while it
# lags more than DUBAN_REPLICA_MAX_LAG_SECONDS or does not answer.
DUBAN_REPLICA_URL = env_str("DUBAN_REPLICA_URL", "")
DUBAN_REPLICA_PIN_SECONDS = env_int("DUBAN_REPLICA_PIN_SECONDS", 15, minimum=0)
DUBAN_REPLICA_MAX_LAG_SECONDS = env_int("DUBAN_REPLICA_MAX_LAG_SECONDS", 10, minimum=1)
DUBAN_REPLICA_CHECK_SECONDS = env_int("DUBAN_REPLICA_CHECK_SECONDS", 2, minimum=1)
DATABASE_ROUTERS = []
if DUBAN_REPLICA_URL:
    if not DUBAN_REPLICA_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DUBAN_REPLICA_URL must be a postgres:// URL of a streaming replica")
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DUBAN_REPLICA_URL needs a PostgreSQL primary (DATABASE_URL)")
    # Not pooled: a pool waits for a connection it cannot make when the replica is down, a plain
    # connection is refused at once and the reads go to the primary.
    DATABASES["replica"] = _postgres_options(
        dj_database_url.parse(DUBAN_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0)), pool=False
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["duban.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state for several app servers: with DUBAN_REDIS_URL (or DUBAN_CACHE_URL for the cache
# alone), e.g. redis://127.0.0.1:6379/2, Django's own RedisCache holds the default cache (API
# throttles, the household search counters), the sessions (cached_db: read from Redis, kept in the
# database too) and, under its own prefix, the computed figures (duban/figure_cache.py). Without
# it each process has its own memory cache, as `make run` needs.
DUBAN_REDIS_URL = env_str("DUBAN_REDIS_URL", "")
DUBAN_CACHE_URL = env_str("DUBAN_CACHE_URL", DUBAN_REDIS_URL)
DUBAN_CACHE_PREFIX = env_str("DUBAN_CACHE_PREFIX", "duban")
DUBAN_FIGURE_CACHE_SECONDS = env_int("DUBAN_FIGURE_CACHE_SECONDS", 6 * 3600, minimum=60)
# The big screen's walls are given their reach's latest data while it is younger than this (0:
# always the data as it stands). A province's Friday: one build per reach per settle, however
# fast reports arrive; a reader who has just written (the replica pin) is never given older data.
DUBAN_SCREEN_SETTLE_SECONDS = env_int("DUBAN_SCREEN_SETTLE_SECONDS", 0, minimum=0, maximum=3600)
if DUBAN_CACHE_URL:
    if not DUBAN_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"DUBAN_CACHE_URL must be a redis:// URL, got {DUBAN_CACHE_URL.split('@')[-1]!r}")
    _redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": DUBAN_CACHE_URL,
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
    }
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": DUBAN_CACHE_PREFIX},
        "figures": {**_redis, "KEY_PREFIX": DUBAN_CACHE_PREFIX + "-fig", "TIMEOUT": DUBAN_FIGURE_CACHE_SECONDS},
    }
    SESSION_ENGINE = "duban.sessions"  # cached_db that carries on from the database when Redis is down

# Uploads and archived bulletins go through Django's storage API: on disk under MEDIA_ROOT by
# default, on an S3-compatible store (django-storages) when DUBAN_S3_BUCKET is set.
DUBAN_S3_BUCKET = env_str("DUBAN_S3_BUCKET", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DUBAN_S3_BUCKET:
    import importlib.util

    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured("DUBAN_S3_BUCKET needs django-storages[s3] (and boto3) installed")
    from botocore.config import Config as _S3Config

    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DUBAN_S3_BUCKET,
            "endpoint_url": env_str("DUBAN_S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("DUBAN_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("DUBAN_S3_SECRET_KEY", "") or None,
            "region_name": env_str("DUBAN_S3_REGION", "") or None,
            "location": env_str("DUBAN_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,  # files are served through our views, never a public URL
            "file_overwrite": False,
            # A store that does not answer fails a request within seconds (the page says so, see
            # duban.middleware.FileStoreMiddleware), before gunicorn's worker timeout: botocore's
            # own defaults wait 60 s a try, five tries.
            "client_config": _S3Config(
                connect_timeout=5, read_timeout=20, retries={"max_attempts": 3, "mode": "standard"}
            ),
        },
    }

# /metrics (Prometheus): answered to loopback clients, or to anyone sending
# "Authorization: Bearer <DUBAN_METRICS_TOKEN>" when that is set. Several gunicorn workers share
# their figures through PROMETHEUS_MULTIPROC_DIR (an empty folder per server, made at start).
DUBAN_METRICS_TOKEN = env_str("DUBAN_METRICS_TOKEN", "")

# Passwords chosen through a form: at least 10 characters of 3 kinds, not common, not like the
# user name, none of the last 5 again (accounts/validators.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutModelBackend"]

# Log-in lockout (accounts/lockout.py): this many failures within this many minutes lock the
# account, and separately the client address, for that many minutes. Behind one NAT address a
# whole office shares the address count: raise DUBAN_LOCKOUT_ADDRESS_FAILURES there.
DUBAN_LOCKOUT_FAILURES = env_int("DUBAN_LOCKOUT_FAILURES", 5, minimum=1)
DUBAN_LOCKOUT_ADDRESS_FAILURES = env_int("DUBAN_LOCKOUT_ADDRESS_FAILURES", 5, minimum=1)
DUBAN_LOCKOUT_MINUTES = env_int("DUBAN_LOCKOUT_MINUTES", 15, minimum=1)
# Reverse proxies in front of the site whose X-Forwarded-For is trusted for the client address.
DUBAN_PROXY_COUNT = env_int("DUBAN_PROXY_COUNT", 0, minimum=0)
# Idle sessions end after this many minutes (accounts.middleware.IdleTimeoutMiddleware); the
# cookie lives a little longer, the middleware decides.
DUBAN_IDLE_MINUTES = env_int("DUBAN_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = DUBAN_IDLE_MINUTES * 60 + 120
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
DUBAN_TOTP_ISSUER = env_str("DUBAN_TOTP_ISSUER", "督办")

# Content Security Policy, in every environment (DUBAN_CSP=off to turn it off): scripts only
# from our own static files; inline style attributes are allowed (templates and ECharts use them).
_csp_default = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DUBAN_CSP = env_str("DUBAN_CSP", _csp_default)
if DUBAN_CSP.strip().lower() in ("off", "false", "0", "no"):
    DUBAN_CSP = ""

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm (package.json + lock file) and are served from node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
]

# Static files are served by WhiteNoise, with DEBUG on or off; outside production straight from
# the finders (no collectstatic needed for `make run`), in production from STATIC_ROOT after
# `manage.py collectstatic`.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# Outside production STATIC_ROOT is usually not collected: that is expected, not worth a warning.
if not PRODUCTION:
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

# A refused CSRF check gets the site's own page (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "duban.errors.csrf_failure"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The office's weekly cut-off: weeks end on this weekday (0 = Monday … 4 = Friday … 6 = Sunday)
# and reports are due by this time on that day.
DUBAN_WEEK_CLOSE_WEEKDAY = env_int("DUBAN_WEEK_CLOSE_WEEKDAY", 4, minimum=0, maximum=6)
DUBAN_WEEK_CLOSE_TIME = env_time("DUBAN_WEEK_CLOSE_TIME", "17:00")

# Reminders (python manage.py send_reminders, from cron): weekly-report reminders this many hours
# before the deadline; the leaders' daily digest at this hour.
DUBAN_REPORT_REMINDER_HOURS = env_int("DUBAN_REPORT_REMINDER_HOURS", 24, minimum=1)
DUBAN_DIGEST_HOUR = env_int("DUBAN_DIGEST_HOUR", 8, minimum=0, maximum=23)

# The big screen refreshes itself every this many seconds (?refresh= overrides it per wall).
DUBAN_SCREEN_REFRESH_SECONDS = env_int("DUBAN_SCREEN_REFRESH_SECONDS", 60, minimum=5, maximum=3600)

# The REST API: tokens for machines, the session for the browser; the same scoping as the pages.
# API tokens (api/models.py) live DUBAN_API_TOKEN_DAYS unless their maker asks for fewer days, and
# never more than DUBAN_API_TOKEN_MAX_DAYS.
DUBAN_API_TOKEN_MAX_DAYS = env_int("DUBAN_API_TOKEN_MAX_DAYS", 365, minimum=1, maximum=3650)
DUBAN_API_TOKEN_DAYS = env_int(
    "DUBAN_API_TOKEN_DAYS", min(90, DUBAN_API_TOKEN_MAX_DAYS), minimum=1, maximum=DUBAN_API_TOKEN_MAX_DAYS
)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: its WWW-Authenticate header makes a refused key a 401, not a 403.
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.paging.Paging",
    # A refused query parameter (duban.params) as a 400 with a `detail`; the rest as DRF does it.
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "PAGE_SIZE": 50,
    # Every API client's requests, counted in the default cache (Redis when DUBAN_REDIS_URL is set:
    # one count across every app server; counted in each process while Redis does not answer).
    "DEFAULT_THROTTLE_CLASSES": ["duban.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("DUBAN_API_RATE", "3000/hour")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# Household searches (?q= on the field page, a village's page, /api/households/) a user may make,
# DRF's rate format: N/second, N/minute, N/hour or N/day. The counter lives in Django's cache: give
# the processes a shared cache (CACHES) for one count across them.
DUBAN_HOUSEHOLD_SEARCH_RATE = env_str("DUBAN_HOUSEHOLD_SEARCH_RATE", "120/hour")
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day|[smhd])", DUBAN_HOUSEHOLD_SEARCH_RATE):
    raise ImproperlyConfigured(f"DUBAN_HOUSEHOLD_SEARCH_RATE must be like 120/hour: {DUBAN_HOUSEHOLD_SEARCH_RATE!r}")
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day|[smhd])", REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"]):
    raise ImproperlyConfigured("DUBAN_API_RATE must be like 3000/hour")
SPECTACULAR_SETTINGS = {
    "TITLE": "duban API",
    "DESCRIPTION": "督办: org units, campaigns, weekly reports, key projects, the requisition ledger, problems, "
    "league tables.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from npm (package.json), served by staticfiles: no CDN on a government network.
    "SWAGGER_UI_DIST": "/" + STATIC_URL.strip("/") + "/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/" + STATIC_URL.strip("/") + "/vendor/swagger-ui/favicon-32x32.png",
}

# `manage.py backup` writes here unless told otherwise (ops/backups.py).
DUBAN_BACKUP_DIR = Path(env_str("DUBAN_BACKUP_DIR", str(BASE_DIR / "backups")))

# Uploaded files (problem attachments, archived bulletins): kept under MEDIA_ROOT and served only through
# views that check the user's scope — never from a path a user chose.
MEDIA_ROOT = Path(env_str("DUBAN_MEDIA_ROOT", str(BASE_DIR / "media")))
DUBAN_UPLOAD_MAX_BYTES = env_int("DUBAN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)

# Excel imports: a sheet of more rows is refused before it is parsed (duban/spreadsheet.py);
# an import of more rows than DUBAN_IMPORT_JOB_ROWS runs as a background job (jobs/).
DUBAN_IMPORT_MAX_ROWS = env_int("DUBAN_IMPORT_MAX_ROWS", 200_000, minimum=1)
DUBAN_IMPORT_JOB_ROWS = env_int("DUBAN_IMPORT_JOB_ROWS", 5_000, minimum=0)

# Background jobs (jobs/): Celery with Redis as the broker, e.g.
# DUBAN_BROKER_URL=redis://127.0.0.1:6379/0, and `celery -A duban worker` beside the site. With no
# broker (make run, most tests) a job runs at once in the request that starts it (eager mode).
# The Job row is what the pages show; the progress of a running job, written while its import's
# transaction is open, goes to the broker's Redis (keys under DUBAN_TASK_QUEUE). A running job
# whose progress has not moved for DUBAN_JOB_STALE_SECONDS is taken as lost (worker killed).
DUBAN_BROKER_URL = env_str("DUBAN_BROKER_URL", "")
DUBAN_TASK_QUEUE = env_str("DUBAN_TASK_QUEUE", "duban")
DUBAN_JOB_STALE_SECONDS = env_int("DUBAN_JOB_STALE_SECONDS", 120, minimum=1)
CELERY_BROKER_URL = DUBAN_BROKER_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not DUBAN_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True  # the Job row holds the outcome
CELERY_TASK_DEFAULT_QUEUE = DUBAN_TASK_QUEUE
CELERY_TASK_ACKS_LATE = True  # a message is done only when its job is
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a killed worker's job comes back, and is marked failed
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{DUBAN_TASK_QUEUE}:"}

# Reminders: e-mail through SMTP, and a group robot (DingTalk / WeCom) webhook. Empty host or URL = channel off.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "duban@localhost")
DUBAN_WEBHOOK_URL = env_str("DUBAN_WEBHOOK_URL", "")
DUBAN_WEBHOOK_KIND = env_str("DUBAN_WEBHOOK_KIND", "dingtalk")  # dingtalk or wecom
DUBAN_WEBHOOK_SECRET = env_str("DUBAN_WEBHOOK_SECRET", "")  # DingTalk's signed-URL option
if DUBAN_WEBHOOK_KIND not in ("dingtalk", "wecom"):
    raise ImproperlyConfigured(f"DUBAN_WEBHOOK_KIND must be dingtalk or wecom, not {DUBAN_WEBHOOK_KIND!r}")

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The load balancer's health check and Prometheus may ask over plain HTTP on the inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
