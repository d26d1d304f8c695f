"""One HTTP client per provider call site: budget first, then the request, then its answer.

Every provider module sends through `ProviderHttp.request`, which waits for the budget
(`bot.sync.ratelimit`), sends, records the provider's rate headers, and turns answers into
errors a person can read: 401/403 are `AuthRefused` (the key or token no longer works), 429
waits in place when the provider asks for a short pause and otherwise raises `RateLimited`
(the import stops and resumes from the last stored item), 5xx and network faults are retried
twice with back-off and then raise `ProviderDown`. Tokens travel in headers or bodies only,
never in a URL, and no error message carries a request's headers, so a token cannot reach a
log line; httpx's own logger stays at WARNING (`bot.wiring.configure_logging`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from bot.sync.budgets import RequestBudget
from bot.sync.ratelimit import retry_after_s

RETRIES = 2
BUDGET_TRIES = 3  # waits for the budget in place before the import stops (a clock that stalls)


class SyncError(Exception):
    """A sync failure, in words that may be shown to the athlete and logged."""


class AuthRefused(SyncError):
    """The provider refused the key or token (revoked, expired, mistyped)."""


class RateLimited(SyncError):
    """The provider's rate limit is reached; ``wait_s`` until it may be asked again."""

    def __init__(self, message: str, wait_s: float) -> None:
        super().__init__(message)
        self.wait_s = wait_s


class ProviderDown(SyncError):
    """The provider did not answer usefully (5xx, a timeout, no connection)."""


class MalformedPayload(SyncError):
    """The provider answered with something that is not what its API reference says."""


class ProviderHttp:
    """Requests to one provider (``name`` for messages) under one budget."""

    def __init__(
        self,
        name: str,
        base_url: str,
        budget: RequestBudget,
        *,
        timeout_s: float,
        max_wait_s: float,
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        retries: int = RETRIES,
    ) -> None:
        self.name = name
        self.retries = retries
        self.budget = budget
        self.max_wait_s = max_wait_s
        self._sleep = sleep
        self._client = httpx.Client(
            base_url=base_url,
            timeout=timeout_s,
            auth=auth,
            headers=dict(headers or {}),
            follow_redirects=True,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> ProviderHttp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _take_from_budget(self) -> None:
        """Take one request from the budget, waiting in place for a short wait only."""
        wait = 0.0
        for _ in range(BUDGET_TRIES):
            wait = self.budget.acquire()
            if wait <= 0:
                return
            if wait > self.max_wait_s:
                break
            self._sleep(wait)
        raise RateLimited(
            f"{self.name}'s rate limit is reached; the import resumes in "
            f"{max(wait / 60, 1):.0f} min",
            wait,
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send one request under the budget; the response of a 2xx or 404, else an error."""
        for attempt in range(self.retries + 1):
            self._take_from_budget()
            try:
                response = self._client.request(
                    method, path, params=params, data=data, headers=headers
                )
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise ProviderDown(
                        f"{self.name} could not be reached ({type(exc).__name__})"
                    ) from None
                self._sleep(0.5 * 2**attempt)
                continue
            self.budget.observe(response.headers)
            status = response.status_code
            if status == 429:
                wait = retry_after_s(response.headers.get("Retry-After"), time.time())
                wait = wait if wait is not None else max(self.budget.wait_s(), 60.0)
                self.budget.block_for(wait)
                if wait > self.max_wait_s or attempt == self.retries:
                    raise RateLimited(
                        f"{self.name} asked us to slow down; the import "
                        f"resumes in {max(wait / 60, 1):.0f} min",
                        wait,
                    )
                self._sleep(wait)
                continue
            if status in (401, 403):
                raise AuthRefused(f"{self.name} refused the credentials (HTTP {status})")
            if status >= 500:
                if attempt == self.retries:
                    raise ProviderDown(f"{self.name} answered HTTP {status}; try /sync later")
                self._sleep(0.5 * 2**attempt)
                continue
            if status >= 400 and status != 404:
                raise SyncError(f"{self.name} refused the request (HTTP {status})")
            return response
        raise ProviderDown(f"{self.name} did not answer")  # the loop always returns first

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """A request whose answer must be JSON (`MalformedPayload` otherwise, or on 404)."""
        response = self.request(method, path, **kwargs)
        if response.status_code == 404:
            raise SyncError(
                f"{self.name} has no {path.split('?')[0].rsplit('/', 1)[-1]} "
                "for this account (HTTP 404)"
            )
        try:
            return response.json()
        except ValueError:
            raise MalformedPayload(f"{self.name} sent an answer that is not JSON") from None
