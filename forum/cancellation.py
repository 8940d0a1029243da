"""Cancellations that Python 3.11 loses on the way.

asyncio.wait_for on Python 3.11 drops a cancellation that arrives as the wait it guards
completes (redis-py writes each command with it), so a task cancelled inside the Redis
client can carry on as if nobody had asked. The task still counts the request
(Task.cancelling()), so a loop that must end when cancelled checks it at each turn.
Check only in tasks that are never cancelled on purpose and then carried on."""

import asyncio


def lost() -> bool:
    """Whether the running task was asked to stop and is still going."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def raise_if_lost() -> None:
    """Raise the CancelledError the running task should have had; a no-op in a task nobody
    cancelled."""
    if lost():
        raise asyncio.CancelledError("a cancellation lost on the way")
