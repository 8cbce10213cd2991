"""Development and demo keys: generated once into var/ and never committed."""

import base64
import secrets
from pathlib import Path

PSEUDONYM_PURPOSES = ("log", "signal_index", "registry")


def _read_or_create(path: Path, make) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _b64key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def secret_key(var_dir: Path) -> str:
    return _read_or_create(var_dir / "secret_key.txt", lambda: secrets.token_urlsafe(50))


def person_keys(var_dir: Path) -> str:
    return _read_or_create(var_dir / "person_keys.txt", lambda: f"k1:{_b64key()}")


def pseudonym_keys(var_dir: Path) -> str:
    return _read_or_create(
        var_dir / "pseudonym_keys.txt",
        lambda: ",".join(f"{purpose}:{_b64key()}" for purpose in PSEUDONYM_PURPOSES),
    )


def log_keys(var_dir: Path) -> str:
    return _read_or_create(var_dir / "log_keys.txt", lambda: f"l1:{_b64key()}")


def log_checkpoint_keys(var_dir: Path) -> str:
    return _read_or_create(var_dir / "log_checkpoint_keys.txt", lambda: f"c1:{_b64key()}")
