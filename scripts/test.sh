#!/usr/bin/env bash
# The whole test suite, on the real PostgreSQL and Redis of this machine, with a real Celery worker
# and Debian's Chromium for the browser tests. Installs whatever is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_BROWSER=1 bash scripts/setup.sh
bash scripts/services.sh

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/14}
export DJANGO_SETTINGS_MODULE=config.settings.test
PY=.venv/bin/python

echo "== 代码规范（ruff）"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== 分层依赖（import-linter，docs/decisions/0003）"
.venv/bin/lint-imports --no-cache

echo "== 迁移与部署检查"
$PY manage.py makemigrations --check --dry-run >/dev/null
SECRET_KEY=check-deploy-only-$(date +%s)-not-a-real-secret-0123456789abcdefghij \
    ALLOWED_HOSTS=portal.example.gov.cn TIMELINE_KEYS=check:deploy-only-$(date +%s)-not-a-real-key \
    $PY manage.py check --deploy --fail-level WARNING --settings=config.settings.production

echo "== 测试（PostgreSQL、Redis、Celery worker、Chromium）"
$PY -m pytest -p no:cacheprovider --durations=15 "$@"
