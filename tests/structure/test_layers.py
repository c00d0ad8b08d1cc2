"""The layers hold (docs/decisions/0003): import-linter's contract in pyproject.toml, run by scripts/test.sh, is
kept by the code as it is and broken by a wrong-way import, which it names."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / ".venv" / "bin" / "lint-imports"


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_layers_contract_is_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_way_import_breaks_the_contract(tmp_path):
    """core (the ground floor) importing reviews: a copy of the tree with one such module fails, naming it."""
    copy = tmp_path / "tree"
    ignore = shutil.ignore_patterns(".venv", ".git", "node_modules", "media", "__pycache__", "*.sqlite3")
    shutil.copytree(ROOT, copy, ignore=ignore)
    (copy / "core" / "wrong_way.py").write_text(
        "from reviews.models import Draw  # noqa: F401\n", encoding="utf-8"
    )
    result = _lint(copy)
    assert result.returncode != 0
    assert "core.wrong_way -> reviews.models" in result.stdout
