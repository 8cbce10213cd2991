"""Run Django in a fresh process with exactly the environment a deployment would give it."""

import base64
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MANAGE = REPO / "manage.py"
# Only what a process needs to run; nothing from the developer's or CI's Django environment.
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def _b64key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def production_env(tmp_path: Path) -> dict[str, str]:
    """A complete, valid set of production variables with fake values (nothing real)."""
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return {
        "DJANGO_SETTINGS_MODULE": "schakel.conf.production",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "ALLOWED_HOSTS": "schakel.example.nl",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "SCHAKEL_PERSON_KEYS": f"k1:{_b64key()}",
        "SCHAKEL_PSEUDONYM_KEYS": (
            f"log:{_b64key()},signal_index:{_b64key()},registry:{_b64key()}"
        ),
        "SCHAKEL_LOG_KEYS": f"l1:{_b64key()}",
        "SCHAKEL_LOG_CHECKPOINT_KEYS": f"c1:{_b64key()}",
        "SCHAKEL_LOG_CHECKPOINT_DIR": str(tmp_path / "log-checkpoints"),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp://schakel:not-a-password@mail.example.nl:587",
        "SCHAKEL_BASE_URL": "https://schakel.example.nl",
    }


def run_django(args: list[str], env: dict[str, str], *, manage: bool = True):
    """Run `manage.py ARGS` (or `python ARGS`) with `env` on top of a minimal base environment."""
    base = {name: os.environ[name] for name in _INHERITED if name in os.environ}
    base["PYTHONPATH"] = str(REPO / "src")
    command = [sys.executable, str(MANAGE), *args] if manage else [sys.executable, *args]
    return subprocess.run(  # noqa: S603 - fixed argument list, no shell
        command, env={**base, **env}, cwd=REPO, capture_output=True, text=True, timeout=120
    )
