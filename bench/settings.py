"""The benchmark's settings: the production settings as deployed (DEBUG off, the Redis cache and cached_db
sessions, the same middleware), with bench-only defaults for what production demands from the environment,
and `bench.urls` in front of the product's URLs (the floor view and an admin changelist of the projects,
neither of them part of the product). Plain HTTP on 127.0.0.1, so the cookies are not marked Secure."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("TIMELINE_KEYS", "bench:bench-only-key-not-a-secret-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/9")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/9")
os.environ.setdefault("MEDIA_ROOT", "/tmp/portal-bench-media")  # noqa: S108
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
