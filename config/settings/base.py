"""Settings shared by every environment. Everything deployment-specific comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
# The key that seals the timeline (core.seal), never kept in the database: "id:secret" pairs, the first in use,
# the others kept only to verify what they sealed. The "dev" key is refused outside DEBUG (check core.E011).
TIMELINE_KEYS = env("TIMELINE_KEYS", default="dev:only-for-one-machine-never-a-secret")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_fsm",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "auditlog",
    "csp",
    "core",
    "projects",
    "reviews",
    "acceptance",
    "sharing",
    "performance",
    "archive",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionIdleRenewal",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.MethodNotAllowedPage",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # axes must be last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False


def planner_costs(database: dict) -> dict:
    """The planner's cost of a random page read on PostgreSQL: its default (4) is a spinning disk's; on SSD or
    with the working set in memory 1.1 is the usual setting, and with 4 a department's projects (a few
    thousand, by id) are found by reading the whole projects table (133 ms at 100,000 projects, not 21 ms)."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        cost = env.float("DB_RANDOM_PAGE_COST", default=1.1)
        database.setdefault("OPTIONS", {}).setdefault("options", f"-c random_page_cost={cost}")
    return database


planner_costs(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out user before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# 等保三级: passwords of at least 10 characters mixing classes, not like or containing the username, not common,
# not a name or word with digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.passwords.UsernameInPasswordValidator"},
    {"NAME": "core.passwords.SimplePatternValidator"},
    {"NAME": "core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# Idle timeout: the session lives SESSION_IDLE_MINUTES after the last request, and no longer. Its expiry is
# pushed back by core.middleware.SessionIdleRenewal at most once a minute (SESSION_RENEW_SECONDS), not by a
# write on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# API tokens (core.auth.ExpiringTokenAuthentication): valid TOKEN_TTL_HOURS from issue, and, like a session,
# no longer than the idle timeout after their last use. A password change deletes the user's tokens.
TOKEN_TTL = timedelta(hours=env.int("TOKEN_TTL_HOURS", default=8))
TOKEN_IDLE_TIMEOUT = timedelta(seconds=SESSION_COOKIE_AGE)

# Lockout (django-axes): five failures for one username from one address lock that pair for 30 minutes, and
# AXES_ADDRESS_FAILURE_LIMIT failures from one address, whatever the usernames, lock the address. Every
# login is logged. The pair, not the username alone: otherwise anyone anywhere could lock an account out.
# The address limit is higher because a bureau's staff share one government NAT address (docs/decisions/0001);
# core.auth.LockoutHandler gives each parameter set its own limit (axes itself compares them all with one).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "core.auth.LockoutHandler"
# The client address behind the reverse proxy: TRUSTED_PROXY_COUNT is the number of proxies in front of Django
# (0: REMOTE_ADDR is the client). Without it every login would come from the proxy's address and share one
# address limit; with it, the address the outermost trusted proxy saw (core.auth.client_ip_address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.auth.client_ip_address"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "core.views.lockout_response"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): nothing but the portal's own files; no inline script or style, no
# frames, no plugins. The pages load static/js/*.js and static/css/portal.css only; the Swagger UI at
# /api/v1/docs/ loads its script from its own URL (SpectacularSwaggerSplitView) and adds the hash of its one
# <style> block (config/api_urls.py). Images may be data: URIs (Swagger UI's icons in its CSS).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media-not-served/"  # documents are only ever served through the permission-checked view

# Every stored file — uploaded documents, issued PDFs, archive packages, exports — goes through Django's
# storage API (FileField / storages["default"]), never open() on a path: with STORAGE_BUCKET set, on
# S3-compatible object storage every web node and worker shares (django-storages, boto3); without it, the
# local MEDIA_ROOT (one machine). The bucket stays private: downloads are streamed through the permission-
# checked views, never a bucket URL (docs/operations.md, "More than one machine").
STORAGE_BUCKET = env("STORAGE_BUCKET", default="")
if STORAGE_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": env("STORAGE_ENDPOINT_URL", default=None),
            "access_key": env("STORAGE_ACCESS_KEY_ID", default=None),
            "secret_key": env("STORAGE_SECRET_ACCESS_KEY", default=None),
            "region_name": env("STORAGE_REGION", default=None),
            "addressing_style": env("STORAGE_ADDRESSING_STYLE", default=None),  # "path" for most local stores
            "location": env("STORAGE_PREFIX", default=""),
            "default_acl": None,  # the bucket's own (private) policy
            "file_overwrite": False,  # as on the file system: a name taken gets a suffix, nothing is replaced
            "querystring_auth": True,  # should a URL ever be made, it is signed and short-lived
            "querystring_expire": 60,
            "max_memory_size": 5 * 1024 * 1024,  # a download larger than this spools to a temporary file
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: the limit is enforced by the document service on the real size, not on the header.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_MB", default=50) * 1024 * 1024
# The largest archive package an auditor may drop on the verification page (larger: manage.py archive_verify).
ARCHIVE_VERIFY_MAX_MB = env.int("ARCHIVE_VERIFY_MAX_MB", default=2048)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api_fields.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    # JSON only: no browsable HTML page (the API's own page is /api/v1/docs/), so an error is JSON whatever
    # the client's Accept says, and an Accept that excludes JSON is a 406 in JSON.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "URL_FORMAT_OVERRIDE": None,  # no ?format=: what a response is follows from the endpoint and Accept
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政务信息化项目全生命周期管理平台 API",
    "DESCRIPTION": "申报、评审、立项、采购备案、建设、验收、绩效评价的接口。错误以 JSON 返回，detail 为中文说明。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation's refusals (400/401/403/404/406/415) with the JSON error body, beside its own (core.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.error_responses",
    ],
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The queue the official documents' PDF tasks go to (empty: Celery's default queue).
CELERY_PDF_QUEUE = env("CELERY_PDF_QUEUE", default="")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tasks are acknowledged when done (acks_late): Redis gives a message not acknowledged within the visibility
# timeout to another worker, e.g. that of a worker killed mid-task (kombu's default is an hour), and looks
# for such messages every 10 s. Every task's hard time limit stays below it, or a task still running would be
# handed out a second time; raise both together. The letters' PDF task has limits of its own (60/90 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=240)
CELERY_BEAT_SCHEDULE = {
    # 时间线锚定: every night the records verified (kept for the auditor), then anchored — Monday to Saturday
    # incrementally, from the last anchor on (new entries, heads, rows counted); on Sunday every entry of
    # every project in full (core/verification.py; docs/operations.md).
    "timeline-anchor-daily": {
        "task": "core.tasks.timeline_anchor_daily",
        "schedule": crontab(hour=1, minute=15, day_of_week="mon-sat"),
        "kwargs": {"full": False},
    },
    "timeline-anchor-weekly-full": {
        "task": "core.tasks.timeline_anchor_daily",
        "schedule": crontab(hour=1, minute=15, day_of_week="sun"),
        "kwargs": {"full": True},
    },
    # 预警: every morning before office hours (Asia/Shanghai), deadlines checked and expired approvals cancelled.
    "deadlines-daily": {
        "task": "projects.tasks.deadlines_check_daily",
        "schedule": crontab(hour=6, minute=30),
    },
    # The letters' outbox: every minute, each letter still owed a PDF that the broker never took (it was down)
    # or took and lost (Letter.STALE_AFTER_SECONDS) is queued again, on the PDF queue.
    # Archive packages asked for while the broker was down (or whose message was lost), queued again.
    "archive-packages-requeue": {
        "task": "archive.tasks.packages_requeue",
        "schedule": 300,
        "options": {"expires": 300, **({"queue": CELERY_PDF_QUEUE} if CELERY_PDF_QUEUE else {})},
    },
    "letters-requeue": {
        "task": "core.tasks.letters_requeue",
        "schedule": env.int("CELERY_PDF_REQUEUE_EVERY", default=60),
        "options": {"expires": 60, **({"queue": CELERY_PDF_QUEUE} if CELERY_PDF_QUEUE else {})},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint reports every page at INFO; its font warnings (missing glyphs, no harfbuzz-subset) stay visible.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
