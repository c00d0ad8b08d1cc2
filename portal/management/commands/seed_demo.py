"""Demo data (API.md): a jurisdiction under one policy, its organisations, the expert library, the users.
Idempotent: run twice, it changes nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.enums import OrganisationKind, Role
from core.models import Jurisdiction, Organisation, User
from projects.policies import DEFAULT_POLICY, POLICIES
from reviews.enums import ExpertField
from reviews.models import ExpertProfile

DEMO_PASSWORD = "Demo-Pass-2026"

# policy → (jurisdiction code, project prefix, BDC name, 机关代字)
JURISDICTIONS = {
    "wendeng-2021": ("wendeng", "WD", "区大数据中心", "文大数据"),
    "zhaoyuan-2021": ("zhaoyuan", "ZY", "市大数据服务中心", "招大数据"),
    "laohekou-2024": ("laohekou", "LHK", "市城市运行管理中心", "河城运"),
    "gongshu-draft": ("gongshu", "GS", "区数据资源局", "拱数据"),
    "fangchenggang-2022": ("fangchenggang", "FCG", "市大数据和行政审批局", "防数据"),
}

ORGANISATIONS = [
    # key, name, kind, short name
    ("dept", "区教育和体育局", OrganisationKind.DEPARTMENT, "教体"),
    ("dept2", "区卫生健康局", OrganisationKind.DEPARTMENT, "卫健"),
    ("town", "天福街道办事处", OrganisationKind.TOWNSHIP, "天福"),
    ("finance", "区财政局", OrganisationKind.FINANCE, "财"),
    ("audit", "区审计局", OrganisationKind.AUDIT, "审"),
    ("supervisor", "信诚信息工程监理有限公司", OrganisationKind.SUPERVISION, ""),
    ("police", "区公安分局", OrganisationKind.POLICE, ""),
    ("secrecy", "区保密办", OrganisationKind.SECRECY, ""),
    ("development", "区发展和改革局", OrganisationKind.DEVELOPMENT, ""),
    ("government", "区人民政府办公室", OrganisationKind.EXTERNAL, "政办"),  # the 领导's office
    ("university", "山东信息职业技术学院", OrganisationKind.EXTERNAL, ""),
    ("institute", "省电子政务研究院", OrganisationKind.EXTERNAL, ""),
]

USERS = [
    # username, role, organisation key, full name
    ("dept", Role.DEPARTMENT, "dept", "张明"),
    ("dept2", Role.DEPARTMENT, "dept2", "李华"),
    ("bdc", Role.BDC, "bdc", "王强"),
    ("finance", Role.FINANCE, "finance", "赵丽"),
    ("auditor", Role.AUDITOR, "audit", "孙伟"),
    ("supervisor", Role.SUPERVISOR, "supervisor", "周杰"),
    ("fgw", Role.DEVELOPMENT, "development", "钱进"),
    ("leader", Role.LEADER, "government", "林国栋"),
    ("sysadmin", Role.SYSADMIN, "bdc", "系统管理员"),
    ("secadmin", Role.SECADMIN, "bdc", "安全管理员"),
    ("auditadmin", Role.AUDITADMIN, "audit", "审计管理员"),
]

EXPERTS = [
    # username, full name, employer key, title, fields
    ("expert1", "陈建国", "university", "教授", [ExpertField.SOFTWARE, ExpertField.DATA]),
    ("expert2", "刘芳", "institute", "高级工程师", [ExpertField.NETWORK, ExpertField.SECURITY]),
    ("expert3", "黄志远", "university", "副教授", [ExpertField.DATA, ExpertField.MANAGEMENT]),
    ("expert4", "吴海燕", "institute", "高级工程师", [ExpertField.SECURITY, ExpertField.VIDEO]),
    (
        "expert5",
        "郑凯",
        "dept",
        "工程师",
        [ExpertField.SOFTWARE, ExpertField.NETWORK],
    ),  # employed by dept: never on its panels
    ("expert6", "冯雪", "institute", "高级会计师", [ExpertField.FINANCE, ExpertField.MANAGEMENT]),
    ("expert7", "何磊", "university", "教授", [ExpertField.VIDEO, ExpertField.SOFTWARE]),
]


class Command(BaseCommand):
    help = "创建演示数据（行政区划、单位、专家库、演示账号）；重复运行不会改变已有数据。"

    def add_arguments(self, parser):
        parser.add_argument("--policy", default=DEFAULT_POLICY, choices=sorted(POLICIES))
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument(
            "--with-projects",
            action="store_true",
            help="另建几个演示项目，经真实流程推进到申报、评审、立项、建设、试运行直至归档等环节",
        )

    def handle(self, *args, policy, password, with_projects=False, **options):
        jurisdiction = self._seed(policy, password)
        if with_projects:
            # Outside the seeding transaction: each step commits on its own, as in the portal, so the
            # review opinion's PDF is rendered (inline by default) before finance approves.
            from portal.demo_projects import demo_projects_create

            demo_projects_create(jurisdiction=jurisdiction, stdout=self.stdout)

    @transaction.atomic
    def _seed(self, policy, password):
        if policy not in JURISDICTIONS:
            raise CommandError(f"未知的管理办法：{policy}")
        code, prefix, bdc_name, bdc_short = JURISDICTIONS[policy]
        p = POLICIES[policy]
        jurisdiction, _ = Jurisdiction.objects.get_or_create(
            code=code, defaults={"name": p.jurisdiction, "policy_code": policy, "project_prefix": prefix}
        )
        orgs = {
            "bdc": Organisation.objects.get_or_create(
                jurisdiction=jurisdiction,
                name=bdc_name,
                defaults={"kind": OrganisationKind.BDC, "short_name": bdc_short},
            )[0]
        }
        for key, name, kind, short in ORGANISATIONS:
            orgs[key] = Organisation.objects.get_or_create(
                jurisdiction=jurisdiction, name=name, defaults={"kind": kind, "short_name": short}
            )[0]
        created = []
        for username, role, org_key, full_name in USERS:
            created += self._user(username, role, orgs[org_key], full_name, password)
        for username, full_name, employer_key, title, fields in EXPERTS:
            created += self._user(username, Role.EXPERT, None, full_name, password)
            ExpertProfile.objects.get_or_create(
                user=User.objects.get(username=username),
                defaults={
                    "fields": list(fields),
                    "employer": orgs[employer_key],
                    "employer_name": orgs[employer_key].name,
                    "jurisdiction": jurisdiction,
                    "title": title,
                },
            )
        self.stdout.write(f"演示数据：{jurisdiction.name}，适用《{p.title}》。")
        if created:
            self.stdout.write(f"新建账号 {len(created)} 个，初始密码：{password}")
        self.stdout.write("演示账号：" + "、".join(u for u, *_ in USERS) + "、expert1 … expert7")
        return jurisdiction

    def _user(self, username, role, organisation, full_name, password) -> list[str]:
        if User.objects.filter(username=username).exists():
            return []
        user = User(username=username, role=role, organisation=organisation, full_name=full_name)
        user.set_password(password)
        user.save()
        return [username]
