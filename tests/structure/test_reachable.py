"""A step that no user can reach does not exist: every public function of a service module is called from
somewhere outside the tests (a page, the API, an action, another service, a task, the demo seed). A service
only the tests call is either dead or a door the users lack."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "projects", "reviews", "acceptance", "sharing", "portal")
# The modules that hold the writes (services) of each app.
SERVICE_MODULES = [
    p
    for app in APPS
    for p in (ROOT / app).rglob("*.py")
    if p.stem in ("services", "library", "issuing", "plan", "letters", "timeline", "warnings")
    and "migrations" not in p.parts
]


def _public_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]


def _source_outside_tests() -> str:
    files = [
        p for app in (*APPS, "config") for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts
    ]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def test_every_public_service_has_a_caller_outside_the_tests():
    source = _source_outside_tests()
    uncalled = []
    for path in SERVICE_MODULES:
        for name in _public_functions(path):
            uses = re.findall(rf"(?<![\w.]def ){re.escape(name)}\b", source)
            definitions = re.findall(rf"\bdef {re.escape(name)}\b", source)
            if len(uses) - len(definitions) < 1:
                uncalled.append(f"{path.relative_to(ROOT)}: {name}")
    assert uncalled == [], "没有调用者的公开服务函数（只有测试调用，用户无法触及）：" + "；".join(uncalled)


def test_the_check_finds_an_uncalled_service(tmp_path):
    """The check above can fail: a function no one calls is found."""
    module = tmp_path / "services.py"
    module.write_text(
        "def called():\n    pass\n\n\ndef orphan():\n    pass\n\n\ncalled()\n", encoding="utf-8"
    )
    source = module.read_text(encoding="utf-8")
    found = [
        name
        for name in _public_functions(module)
        if len(re.findall(rf"(?<![\w.]def ){name}\b", source)) - len(re.findall(rf"\bdef {name}\b", source))
        < 1
    ]
    assert found == ["orphan"]
