# Shortcuts for the scripts the README describes.
.PHONY: run test lint format worker beat

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

worker:
	.venv/bin/celery -A config worker --loglevel=INFO

beat:
	.venv/bin/celery -A config beat --loglevel=INFO
