"""What an operator watches: Prometheus metrics (metrics.py), the e-diary calls counted (metered.py), the
log context of each line (logcontext.py) and the update middleware that feeds both (middleware.py).
Core layer: features and the shared packages call `ctx.metrics`; nothing here knows a feature."""
