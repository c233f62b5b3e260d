#!/usr/bin/env python3
"""Bootstrap and run the bot or its tests: the README's two Quickstart commands.

    python3 dev.py start [bot.py arguments...]   # run the bot (installs runtime pins first)
    python3 dev.py test  [pytest arguments...]   # lint, then the whole test suite
    python3 dev.py bench [--size small|movement|tenx ...]  # the benchmark (bench/run.py)

Each creates `.venv/` on first use and reinstalls only when a lock file changes, so it
needs nothing but Python 3.11+ on the machine.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCKS = {
    "start": ROOT / "requirements.lock",
    "test": ROOT / "requirements-dev.lock",
    "bench": ROOT / "requirements-dev.lock",  # SimCord drives the bot
}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def lock_digest(lock: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted({lock, LOCKS["start"]}):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_environment(mode: str) -> Path:
    """Create the virtual environment and install the pinned packages when they changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"Partnerships Bot needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    python = venv_python()
    if not python.exists():
        print("Creating .venv ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = LOCKS[mode]
    stamp = VENV / f".installed-{mode}"
    wanted = lock_digest(lock)
    if not stamp.exists() or stamp.read_text() != wanted:
        print(f"Installing pinned packages from {lock.name} ...", file=sys.stderr)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(lock)],
            check=True,
            cwd=ROOT,
        )
        stamp.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in LOCKS:
        print(__doc__, file=sys.stderr)
        return 2
    mode, rest = argv[0], argv[1:]
    python = ensure_environment(mode)
    if mode == "start":
        return subprocess.call([str(python), str(ROOT / "bot.py"), *rest], cwd=ROOT)
    if mode == "bench":
        return subprocess.call([str(python), "-m", "bench.run", *rest], cwd=ROOT)
    lint = subprocess.call([str(python), "-m", "ruff", "check", "."], cwd=ROOT)
    if lint != 0:
        return lint
    return subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
