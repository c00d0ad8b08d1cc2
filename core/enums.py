from django.db import models


class Role(models.TextChoices):
    DEPARTMENT = "department", "建设单位"
    BDC = "bdc", "大数据中心"
    EXPERT = "expert", "专家"
    FINANCE = "finance", "财政局"
    AUDITOR = "auditor", "审计局"
    SUPERVISOR = "supervisor", "监理单位"
    DEVELOPMENT = "development", "发展改革部门"
    LEADER = "leader", "领导"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITADMIN = "auditadmin", "审计管理员"


OPERATOR_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", "区直部门"
    TOWNSHIP = "township", "镇街"
    BDC = "bdc", "大数据中心"
    FINANCE = "finance", "财政局"
    AUDIT = "audit", "审计局"
    SUPERVISION = "supervision", "监理单位"
    POLICE = "police", "公安部门"
    SECRECY = "secrecy", "保密办"
    DEVELOPMENT = "development", "发展改革部门"
    EXTERNAL = "external", "其他单位"
