"""Test settings: the real database named by DATABASE_URL (PostgreSQL on CI), the real Redis."""

from .base import *  # noqa: F403
from .base import env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never outside tests
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/portal-test-media")  # noqa: S108
AXES_FAILURE_LIMIT = 5
TIMELINE_KEYS = env(
    "TIMELINE_KEYS", default="test:key-for-the-test-suite-only,old:an-earlier-key-still-listed"
)
