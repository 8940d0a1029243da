"""A pytest plugin for finding hangs (not loaded by default): once one test has run for
HANG_AFTER seconds (default 60), it writes every thread's stack (with py-spy when it is
installed) and every pending asyncio task of every open event loop, with the whole chain
of what each one awaits, to $HANG_DUMP (default hang-dump-<pid>.txt). This is what
found issue 18's CI hang (docs/performance.md, "Issue 18, ninth pass").

    .venv/bin/python -m pytest -p tests.hang_dump tests/forum/test_realtime_consumer.py
"""

import asyncio
import gc
import os
import shutil
import subprocess
import sys
import threading
import time
import traceback

HANG_AFTER = float(os.environ.get("HANG_AFTER", "60"))
_running = {"test": None, "since": None, "dumped": False}


def _write(text: str) -> None:
    with open(os.environ.get("HANG_DUMP", f"hang-dump-{os.getpid()}.txt"), "a") as dump:
        dump.write(text)


def _awaited_chain(task: asyncio.Task) -> str:
    """Where a task waits: each coroutine it is inside of, down to the future it awaits."""
    lines, awaited = [], task.get_coro()
    while awaited is not None and len(lines) < 60:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is None:
            lines.append(f"  -> {awaited!r}"[:400])
            break
        lines.append(f"  {frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}")
        inner = getattr(awaited, "cr_await", None)
        awaited = inner if inner is not None else getattr(awaited, "gi_yieldfrom", None)
    return "\n".join(lines) + "\n"


def _dump() -> None:
    _write(f"=== {_running['test']} has run for {time.monotonic() - _running['since']:.0f} s\n")
    py_spy = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
    if os.path.exists(py_spy):
        spied = subprocess.run(  # noqa: S603 - a local tool on our own process
            [py_spy, "dump", "--locals", "--pid", str(os.getpid())], capture_output=True, text=True, timeout=60
        )
        _write("=== py-spy\n" + spied.stdout + spied.stderr)
    for thread_id, frame in sys._current_frames().items():
        _write(f"\n--- thread {thread_id}\n" + "".join(traceback.format_stack(frame)))
    loops = [found for found in gc.get_objects() if issubclass(type(found), asyncio.AbstractEventLoop)]
    for loop in loops:
        if loop.is_closed():
            continue
        _write(f"\n=== loop {loop!r}\n")
        for task in asyncio.all_tasks(loop):
            _write(f"\n--- task {task!r}\n{_awaited_chain(task)}")
    _write("=== end\n")


def _watch() -> None:
    while True:
        time.sleep(2)
        since = _running["since"]
        if since and not _running["dumped"] and time.monotonic() - since > HANG_AFTER:
            _running["dumped"] = True
            try:
                _dump()
            except Exception:  # noqa: BLE001 - a diagnostic tool must not take the run down
                _write("the dump failed:\n" + traceback.format_exc())


def pytest_configure(config):
    threading.Thread(target=_watch, name="hang-dump", daemon=True).start()


def pytest_runtest_logstart(nodeid, location):
    _running.update(test=nodeid, since=time.monotonic(), dumped=False)


def pytest_runtest_logfinish(nodeid, location):
    _running["since"] = None
