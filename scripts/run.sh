#!/usr/bin/env bash
# The portal on http://127.0.0.1:8000 with embedded defaults: SQLite, Celery tasks run inline,
# demo data loaded. Installs whatever is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export DJANGO_SETTINGS_MODULE=config.settings.local
PY=.venv/bin/python

$PY manage.py migrate --noinput
$PY manage.py seed_demo --with-projects --password "${DEMO_PASSWORD:-Demo-Pass-2026}"
cat <<TEXT

政务信息化项目全生命周期管理平台：http://127.0.0.1:8000/
演示账号（密码均为 ${DEMO_PASSWORD:-Demo-Pass-2026}）：
  dept / dept2  建设单位        bdc       大数据中心      finance   财政局
  auditor       审计局          supervisor 监理单位       fgw       发展改革部门
  leader        领导（只读，数据看板）
  expert1 … expert7 专家
  sysadmin / secadmin / auditadmin  系统管理员 / 安全管理员 / 审计管理员（后台 /admin/）

TEXT
exec $PY manage.py runserver "${PORT_BIND:-127.0.0.1:8000}"
