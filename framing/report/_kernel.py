"""The report's kernel: started under a guard, stopped with the report, Ctrl-C without noise.

:class:`GuardedKernelManager` starts every kernel through ``_kernel_guard.py`` (run as a script,
so it starts in a blink), which takes the kernel and everything it started (joblib workers,
resource trackers) down when the report process dies, even by SIGKILL.

:func:`execute_stoppably` runs papermill in a worker thread. Ctrl-C lands in the main thread
(which is only waiting), never inside the asyncio loop talking to the kernel, where it used to
leave tasks and sockets half closed and print asyncio / zmq tracebacks; the main thread then
stops the guards, waits for papermill to give up on the dead kernel, and re-raises
``KeyboardInterrupt`` for the command line's one-line message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_event_loop

GUARD_SCRIPT = Path(__file__).with_name("_kernel_guard.py")
_T = TypeVar("_T")
_started: list[AsyncKernelManager] = []
_POSIX = os.name == "posix"
_LOGGERS = ("papermill", "traitlets", "nbclient", "asyncio")


class GuardedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs under the guard (see ``_kernel_guard.py``)."""

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        kernel = super().format_kernel_cmd(extra_arguments)
        if not _POSIX:  # the guard needs POSIX signals; elsewhere the kernel runs as before
            return kernel
        _started.append(self)
        return [sys.executable, str(GUARD_SCRIPT), str(os.getpid()), "--", *kernel]

    async def _async_signal_kernel(self, signum: int) -> None:
        # jupyter_client interrupts the kernel (it does before every shutdown) by signalling its
        # whole process group: joblib workers still starting got a KeyboardInterrupt and printed
        # its traceback on our terminal. The guard passes SIGINT to the kernel alone.
        pid = getattr(self.provisioner, "pid", None)
        if _POSIX and signum == signal.SIGINT and pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)
            return
        await super()._async_signal_kernel(signum)


def _stop_guards() -> None:
    """SIGTERM every guard this process started: each kills its kernel and what it left."""
    while _started:
        manager = _started.pop()
        pid = getattr(manager.provisioner, "pid", None)
        if pid:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGTERM)


def _close_event_loop() -> None:
    """Close the event loop jupyter_client ran on in this (worker) thread, and its sockets."""
    loop = ensure_event_loop()
    with contextlib.suppress(RuntimeError):
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
    asyncio.set_event_loop(None)


def execute_stoppably(run: Callable[[], _T]) -> _T:
    """``run()`` in a worker thread; Ctrl-C stops its kernel, waits for it, re-raises."""
    outcome: dict[str, Any] = {}
    # an Event, not Thread.join: a join interrupted by Ctrl-C can leave the thread looking
    # finished while it still runs (CPython 3.11), and papermill holds the process's cwd
    done = threading.Event()

    def target() -> None:
        try:
            outcome["value"] = run()
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            outcome["error"] = exc
        finally:
            _close_event_loop()
            done.set()

    worker = threading.Thread(target=target, name="framing-report-kernel", daemon=True)
    worker.start()
    try:
        while not done.wait(0.2):
            pass
    except KeyboardInterrupt:
        # what papermill and jupyter_client say about the kernel we are killing is not news
        for name in _LOGGERS:
            logging.getLogger(name).disabled = True
        try:
            _stop_guards()
            done.wait(60)
        finally:
            for name in _LOGGERS:
                logging.getLogger(name).disabled = False
        raise
    finally:
        _started.clear()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
