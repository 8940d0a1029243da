"""Say once that a shared service (the cache, the channel layer, the database) stopped
answering, and once that it is back: never once per request.

A leaf: it imports nothing of the project, so any app may use it. Code that degrades
gracefully when a service fails calls `failed()` in its except block and `recovered()`
after a call that worked. While the outage lasts, the warning is repeated at most once
per `interval` seconds (with the traceback of the first failure of that interval), so a
long outage stays visible without flooding the logs.
"""

import logging
import threading
import time

OUTAGE_LOG_INTERVAL = 60


class Outage:
    def __init__(self, logger: logging.Logger, service: str, consequence: str, *, interval=OUTAGE_LOG_INTERVAL):
        """`service` names what failed ("The cache"); `consequence` says what readers lose."""
        self.logger = logger
        self.service = service
        self.consequence = consequence
        self.interval = interval
        self.since: float | None = None
        self._logged_at: float | None = None
        self._lock = threading.Lock()

    @property
    def ongoing(self) -> bool:
        return self.since is not None

    def failed(self) -> None:
        """Call from the except block that caught the service's error."""
        now = time.monotonic()
        with self._lock:
            if self.since is None:
                self.since = now
            if self._logged_at is not None and now - self._logged_at < self.interval:
                return
            self._logged_at = now
        self.logger.warning("%s is not answering: %s", self.service, self.consequence, exc_info=True)

    def recovered(self) -> None:
        """Call after a call to the service worked: logs the end of an outage, once."""
        if self.since is None:  # the usual case: one attribute read, no lock
            return
        with self._lock:
            if self.since is None:
                return
            lasted = time.monotonic() - self.since
            self.since = None
            self._logged_at = None
        self.logger.warning("%s is answering again, after %.0f s.", self.service, lasted)
