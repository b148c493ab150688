"""The e-diary provider with every call counted in the app's metrics, by endpoint class: the same view for
the demo school, Дневник.ру and МЭШ, without a line in any provider."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, cast

from bot.ediary.provider import READS, EdiaryProvider, ProviderError
from bot.observability.metrics import Metrics

# Protocol reads by what they read (bot/ediary/provider.py READS), plus the one write; a provider's own extras
# (and close) pass through uncounted.
ENDPOINT_CLASSES: dict[str, str] = {**READS, "send_message": "messages"}


def error_label(error: BaseException) -> str:
    """A short, bounded label: the provider error's class, or a timeout; never the message."""
    if isinstance(error, ProviderError):
        return type(error).__name__
    if isinstance(error, TimeoutError):
        return "TimeoutError"
    return "other"


class MeteredProvider:
    def __init__(self, provider: EdiaryProvider, metrics: Metrics) -> None:
        self.provider = provider
        self.metrics = metrics

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.provider, name)
        endpoint = ENDPOINT_CLASSES.get(name)
        if endpoint is None or not inspect.iscoroutinefunction(value):
            return value
        return functools.partial(_counted, self.metrics, endpoint, value)


async def _counted(
    metrics: Metrics, endpoint: str, call: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any
) -> Any:
    try:
        result = await call(*args, **kwargs)
    except Exception as error:
        metrics.provider_call(endpoint, error_label(error))
        raise
    metrics.provider_call(endpoint)
    return result


def metered(provider: EdiaryProvider, metrics: Metrics) -> EdiaryProvider:
    """The provider, counted; a provider already counted is returned as it is."""
    if isinstance(provider, MeteredProvider):
        return provider
    return cast(EdiaryProvider, MeteredProvider(provider, metrics))


def unwrapped(provider: EdiaryProvider) -> EdiaryProvider:
    """The provider under the counting (for code that needs the concrete class)."""
    return provider.provider if isinstance(provider, MeteredProvider) else provider
