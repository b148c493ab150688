"""The bot's Prometheus metrics, one registry per app (tests build many apps in one process, so never the
global default registry). Code elsewhere calls the small methods below through `ctx.metrics`; the names and
labels are the operator's contract (the README lists them)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

CONTENT_TYPE = CONTENT_TYPE_LATEST

# What a handler may take: a button answered from storage in milliseconds, an e-diary read in seconds.
HANDLER_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
POLL_BUCKETS = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter(
            "ediary_updates", "Telegram updates handled, by type and outcome", ["type", "outcome"], registry=r
        )
        self.handler_seconds = Histogram(
            "ediary_handler_seconds", "Time to handle one update", ["type"], buckets=HANDLER_BUCKETS, registry=r
        )
        self.provider_requests = Counter(
            "ediary_provider_requests", "E-diary calls, by endpoint class", ["endpoint"], registry=r
        )
        self.provider_errors = Counter(
            "ediary_provider_errors",
            "Failed e-diary calls, by endpoint class and error",
            ["endpoint", "error"],
            registry=r,
        )
        self.job_seconds = Histogram(
            "ediary_job_seconds",
            "Duration of scheduler jobs (job=poll: one e-diary poll)",
            ["job"],
            buckets=POLL_BUCKETS,
            registry=r,
        )
        self.alerts_queued = Counter(
            "ediary_alerts_queued", "Messages put into the outbox, by kind", ["kind"], registry=r
        )
        self.alerts_sent = Counter(
            "ediary_alerts_sent", "Outbox messages Telegram accepted, by kind", ["kind"], registry=r
        )
        self.flood_waits = Counter(
            "ediary_telegram_flood_waits",
            "Telegram 429 answers (flood control), by Bot API method",
            ["method"],
            registry=r,
        )
        self.outbox_depth = Gauge("ediary_outbox_depth", "Outbox items, by status", ["status"], registry=r)
        self._children: dict[tuple[object, ...], Any] = {}

    def _child(self, metric: Counter | Histogram, *labels: str) -> Any:
        """`metric.labels(*labels)`, looked up once (prometheus_client takes a lock and checks the labels at
        every call; the hot paths count every update and every e-diary call)."""
        key = (id(metric), *labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    # --- the hooks other modules call ------------------------------------------------------------

    def update_handled(self, update_type: str, outcome: str, seconds: float) -> None:
        self._child(self.updates, update_type, outcome).inc()
        self._child(self.handler_seconds, update_type).observe(seconds)

    def provider_call(self, endpoint: str, error: str | None = None) -> None:
        self._child(self.provider_requests, endpoint).inc()  # every e-diary call: 30,000 in a big school's poll
        if error is not None:
            self.provider_errors.labels(endpoint, error).inc()

    def job_finished(self, job: str, seconds: float) -> None:
        self.job_seconds.labels(job).observe(seconds)

    def queued(self, kind: str, count: int = 1) -> None:
        if count:
            self.alerts_queued.labels(kind).inc(count)

    def sent(self, kind: str) -> None:
        self.alerts_sent.labels(kind).inc()

    def flood_wait(self, method: str) -> None:
        self.flood_waits.labels(method).inc()

    def set_outbox_depth(self, counts: dict[str, int]) -> None:
        for status in ("pending", "sending", "blocked", "failed"):
            self.outbox_depth.labels(status).set(counts.get(status, 0))

    def provider_errors_total(self) -> int:
        """Failed e-diary calls since the start, all endpoints (for /stats)."""
        return int(
            sum(
                sample.value
                for metric in self.provider_errors.collect()
                for sample in metric.samples
                if sample.name.endswith("_total")
            )
        )

    def render(self) -> bytes:
        """The Prometheus text exposition of this app's registry."""
        return generate_latest(self.registry)
