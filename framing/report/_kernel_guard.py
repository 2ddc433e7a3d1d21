"""Run a report's Jupyter kernel under a guard, so that nothing the kernel started outlives the run.

    python -m framing.report._kernel_guard REPORT_PID -- KERNEL_ARGV...

A kernel notices its parent's death (ipykernel polls it) and exits, but what the kernel started
does not: joblib's loky workers and the resource trackers, orphaned, kept running for minutes
after a killed ``framing report``. The guard sits between the report and the kernel:

- it is the parent of the kernel (which dies with it: ``PR_SET_PDEATHSIG``) and, on Linux, the
  *subreaper* of everything below (``PR_SET_CHILD_SUBREAPER``), so an orphaned worker becomes
  the guard's child rather than init's and can still be found;
- when the report process is gone (SIGKILLed, or crashed) or the guard is told to stop
  (SIGTERM: Ctrl-C in the report), it kills the kernel, then every process still below it;
- when the kernel ends normally it ends what the kernel left behind, then exits with the
  kernel's status, which is what jupyter_client sees.

Jupyter interrupts a kernel (it does before every shutdown) by signalling its whole process
group, which also reached the kernel's workers (a worker still importing printed a
KeyboardInterrupt traceback); ``_kernel.GuardedKernelManager`` signals the guard alone, and
the guard passes SIGINT on to the kernel process.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
#: Seconds the kernel's leftovers get to end after SIGTERM (a resource tracker unlinks what it
#: tracks when its pipe closes) before SIGKILL.
_GRACE_S = 2.0
_POLL_S = 0.1


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _processes() -> dict[int, tuple[int, bool]]:
    """Every process as pid -> (parent pid, is a zombie) (Linux /proc; elsewhere none)."""
    table = {}
    with contextlib.suppress(OSError):
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            table[int(entry.name)] = (int(fields[1]), fields[0] == "Z")
    return table


def _descendants(pid: int) -> list[int]:
    """Live processes below ``pid``. A zombie (a process that just died) is looked through:
    its children may not have been moved up to the guard yet when /proc was read."""
    children: dict[int, list[int]] = {}
    table = _processes()
    for child, (parent, _) in table.items():
        children.setdefault(parent, []).append(child)
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            queue.append(child)
            if not table[child][1]:
                found.append(child)
    return found


def _reap() -> dict[int, int]:
    """Collect every child that has ended (the kernel, and orphans reparented to the guard)."""
    ended = {}
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended
        if pid == 0:
            return ended
        ended[pid] = os.waitstatus_to_exitcode(status)


def _end_everything_below() -> None:
    """End every process below the guard: SIGTERM, then after a grace period SIGKILL.

    Done when three scans in a row find nothing (a process dying during a scan can hide its
    children from that one scan).
    """
    me = os.getpid()
    started = time.monotonic()
    asked: set[int] = set()
    quiet_scans = 0
    while quiet_scans < 3 and time.monotonic() - started < _GRACE_S + 5:
        _reap()
        below = _descendants(me)
        quiet_scans = 0 if below else quiet_scans + 1
        if time.monotonic() - started < _GRACE_S:
            for pid in set(below) - asked:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGTERM)
                asked.add(pid)
        else:
            for pid in below:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        time.sleep(_POLL_S)
    if not sys.platform.startswith("linux"):
        # no /proc: the kernel's process group (the guard leads it) is the best we can reach
        with contextlib.suppress(OSError):
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            os.killpg(os.getpgid(0), signal.SIGTERM)


def _kernel_preexec() -> None:
    # the kernel gets the default handlers back, and dies if the guard does
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def guard(report_pid: int, kernel_argv: list[str]) -> int:
    """Run ``kernel_argv`` until it ends or ``report_pid`` is gone; then end all it left."""
    stop = []
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # until the kernel is there to receive it
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    # the kernel watches its parent, which is now the guard
    env = {**os.environ, "JPY_PARENT_PID": str(os.getpid())}
    # The kernel's own output, and that of every process it starts, goes to a log rather than
    # the report's terminal: what a cell prints is in the notebook already, and what is left
    # is noise there (loky's resource tracker warning about the semaphores of workers killed
    # with the kernel). The log is shown only when the kernel ends with an error of its own.
    log = tempfile.TemporaryFile()
    kernel = subprocess.Popen(kernel_argv, env=env, stdout=log, stderr=log,  # noqa: PLW1509
                              preexec_fn=_kernel_preexec)

    def interrupt(*_: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(kernel.pid, signal.SIGINT)

    # an interrupt is for the kernel, not for the workers it started (nor for the guard)
    signal.signal(signal.SIGINT, interrupt)
    status = None
    while status is None:
        status = _reap().get(kernel.pid)
        if status is None and (stop or os.getppid() != report_pid):
            # the report is gone, or stopping: nobody will talk to the kernel again
            with contextlib.suppress(ProcessLookupError):
                os.kill(kernel.pid, signal.SIGKILL)
            _end_everything_below()
            return 1
        time.sleep(_POLL_S)
    _end_everything_below()
    if status != 0:  # the kernel failed by itself (it did not start, or crashed): say why
        _show_tail(log)
    return status if status >= 0 else 128 - status


def _show_tail(log: IO[bytes], limit: int = 20_000) -> None:
    with contextlib.suppress(OSError):
        size = log.seek(0, os.SEEK_END)
        log.seek(max(0, size - limit))
        sys.stderr.buffer.write(log.read())
        sys.stderr.flush()


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--" or not argv[0].isdigit():
        print("usage: python -m framing.report._kernel_guard REPORT_PID -- KERNEL_ARGV...",
              file=sys.stderr)
        return 2
    return guard(int(argv[0]), argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
