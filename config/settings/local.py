"""Embedded defaults: SQLite, Celery tasks run inline, debug on. For one person's machine only."""

import os

os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
