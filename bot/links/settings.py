"""How politely and how patiently the link check asks: the command's options and their defaults."""

from __future__ import annotations

from dataclasses import dataclass

USER_AGENT = "packman-links/0.1 (weekly check of the evidence links of a packman rating)"
"""Names the checker to the servers it asks, as polite crawlers do."""


@dataclass(frozen=True)
class Settings:
    """Limits of one link check."""

    timeout: float = 15.0
    """Seconds one request may take in all (connect, TLS, redirects, headers)."""
    concurrency: int = 8
    """Requests in flight at once, over all hosts."""
    host_delay: float = 1.0
    """Seconds between the starts of two requests to the same host."""
    retries: int = 2
    """Further tries after a retryable answer (403, 408, 429, 500, 502-504) or a network error."""
    backoff: float = 1.0
    """Pause before the first retry, doubled for each further one (unless Retry-After says)."""
    retry_after_cap: float = 30.0
    """The longest pause a ``Retry-After`` header can ask for; longer ones are cut to this."""
    user_agent: str = USER_AGENT
    """The ``User-Agent`` header of every request."""


DEFAULTS = Settings()
"""The limits ``packman links`` uses unless told otherwise."""
