"""The kernel guard without Jupyter: stand-in "kernels" that start workers the way joblib does
(a child in its own session, one that ignores SIGTERM as resource trackers do)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from framing.report._kernel import GUARD_SCRIPT
from tests.kill_harness import wait_for_none

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the guard finds orphans through /proc (Linux)")

#: A kernel that starts two long-lived workers, one detached (its own session, as loky's are
#: not, but as any could be) and one that ignores SIGTERM, writes READY, then runs on.
_KERNEL = textwrap.dedent("""
    import os, pathlib, signal, subprocess, sys, time
    sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
    stubborn = [sys.executable, "-c", "import signal, time; "
                "signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"]
    subprocess.Popen(sleeper, start_new_session=True)
    subprocess.Popen(stubborn)
    time.sleep(0.5)
    pathlib.Path(os.environ["READY"]).write_text("ready")
    time.sleep(float(sys.argv[1]))
""")


def _environment(tmp_path: Path) -> tuple[str, dict[str, str]]:
    token = uuid.uuid4().hex
    return token, {**os.environ, "FRAMING_TEST_TOKEN": token, "READY": str(tmp_path / "ready")}


def _wait_for(path: Path, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        assert time.monotonic() < deadline, "the stand-in kernel did not start"
        time.sleep(0.05)


def test_a_kernel_that_fails_by_itself_is_reported() -> None:
    kernel = [sys.executable, "-c", "import sys; print('no such module', file=sys.stderr); "
              "sys.exit(3)"]
    result = subprocess.run([sys.executable, str(GUARD_SCRIPT), str(os.getpid()), "--", *kernel],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 3
    assert "no such module" in result.stderr


def test_what_a_finished_kernel_left_is_ended_quietly(tmp_path: Path) -> None:
    token, env = _environment(tmp_path)
    kernel = [sys.executable, "-c", _KERNEL, "0"]
    result = subprocess.run([sys.executable, str(GUARD_SCRIPT), str(os.getpid()), "--", *kernel],
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    assert wait_for_none(token, timeout_s=3) == []


@pytest.mark.parametrize("how", ["report killed", "guard stopped"])
def test_everything_below_the_guard_ends_with_the_report(tmp_path: Path, how: str) -> None:
    token, env = _environment(tmp_path)
    guard = [sys.executable, str(GUARD_SCRIPT), "{pid}", "--", sys.executable, "-c", _KERNEL,
             "120"]
    # a stand-in for `framing report`: it starts the guard (in its own session, as
    # jupyter_client does) and waits; only the guard and what it starts carry the token
    report = subprocess.Popen(
        [sys.executable, "-c", "import os, subprocess, sys, time; "
         f"argv = [a.replace('{{pid}}', str(os.getpid())) for a in {guard!r}]; "
         f"env = {{**os.environ, 'FRAMING_TEST_TOKEN': {token!r}}}; "
         "print(subprocess.Popen(argv, env=env, start_new_session=True).pid, flush=True); "
         "time.sleep(120)"],
        env={k: v for k, v in env.items() if k != "FRAMING_TEST_TOKEN"},
        stdout=subprocess.PIPE, text=True)
    try:
        guard_pid = int(report.stdout.readline())
        _wait_for(tmp_path / "ready")
        if how == "report killed":
            report.kill()
        else:
            os.kill(guard_pid, signal.SIGTERM)  # what the report does on Ctrl-C
        assert wait_for_none(token, timeout_s=8) == []
    finally:
        report.kill()
        report.wait(10)
        report.stdout.close()
