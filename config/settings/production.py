"""Production: every secret from the environment, HTTPS only, nothing embedded."""

from .base import *  # noqa: F403
from .base import env, planner_costs

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: a deployment without one must not start
TIMELINE_KEYS = env(
    "TIMELINE_KEYS"
)  # the timeline's seal key: from the environment only (docs/operations.md)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
planner_costs(DATABASES["default"])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
X_FRAME_OPTIONS = "DENY"

# More than one machine (docs/operations.md): no state on a web node. The cache is Redis (Django's own
# RedisCache), shared by every node; sessions are read from it and written through to the database
# (cached_db), so a login on one node is valid on the others and survives a restart of Redis. Files go to
# the object store (STORAGE_BUCKET, config/settings/base.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default="redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="portal"),
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
