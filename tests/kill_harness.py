"""Run the ``framing`` command in a child process that can be killed at a chosen point.

Used by tests/test_kill.py and benchmarks/kill_sweep.py. The child runs this file as a
script: ``FRAMING_PAUSE_AT`` names a hook of :mod:`framing.corpus._atomic` (``before_swap``:
the new output is complete, the old one still in place; ``between_renames``: the two-rename
swap's window, with ``FRAMING_NO_EXCHANGE=1``), where the child writes the file
``FRAMING_READY`` and sleeps, so the parent can SIGKILL it exactly there. Production code has
no test switch: the hooks are no-op functions that this script replaces.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
REPO = HERE.parent.parent


def spawn(argv: list[str], cwd: Path, *, pause_at: str | None = None,
          no_exchange: bool = False) -> tuple[subprocess.Popen, Path]:
    """Start ``framing ARGV`` in its own process group; returns it and its ready file."""
    ready = cwd / f".ready-{time.monotonic_ns()}"
    env = {**os.environ, "PYTHONPATH": str(REPO), "FRAMING_READY": str(ready)}
    if pause_at:
        env["FRAMING_PAUSE_AT"] = pause_at
    if no_exchange:
        env["FRAMING_NO_EXCHANGE"] = "1"
    process = subprocess.Popen(
        [sys.executable, str(HERE), *argv], cwd=cwd, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    return process, ready


def wait_until_ready(process: subprocess.Popen, ready: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready.exists():
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"the command ended before its pause point:\n{out}\n{err}")
        if time.monotonic() > deadline:
            kill_group(process)
            raise AssertionError("the command did not reach its pause point")
        time.sleep(0.02)


def finish(process: subprocess.Popen, timeout_s: float = 120) -> int:
    """Wait for the command; its exit status (its output is printed when it failed)."""
    out, err = process.communicate(timeout=timeout_s)
    if process.returncode:
        print(out, err)
    return process.returncode


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to the command's whole process group (workers included)."""
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    process.communicate()


def group_alive(pgid: int) -> list[int]:
    """Pids still alive in process group ``pgid`` (Linux /proc)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def marked_processes(token: str) -> list[int]:
    """Pids alive whose environment holds ``token`` (Linux /proc).

    Set a unique ``FRAMING_TEST_TOKEN`` before :func:`spawn`: every process the command starts,
    at any depth and whatever its parent or process group now, inherits it, so this finds the
    orphans a killed command left.
    """
    needle = f"FRAMING_TEST_TOKEN={token}".encode()
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if needle in environment.split(b"\0") and state != "Z":
            alive.append(int(entry.name))
    return alive


def wait_for_none(token: str, timeout_s: float) -> list[int]:
    """Wait until no process carries ``token``; the survivors at ``timeout_s`` (killed then)."""
    deadline = time.monotonic() + timeout_s
    while (alive := marked_processes(token)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in alive:  # a failing test leaves nothing running
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return alive


def _main() -> int:
    import framing.corpus._atomic as atomic

    point = os.environ.get("FRAMING_PAUSE_AT")
    if os.environ.get("FRAMING_NO_EXCHANGE"):
        atomic._exchange = None
    if point:
        def pause() -> None:
            Path(os.environ["FRAMING_READY"]).write_text(json.dumps({"pid": os.getpid()}))
            time.sleep(600)

        setattr(atomic, f"_{point}", pause)
    from framing.cli import main

    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(_main())
