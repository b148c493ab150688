# ediary-bot: one image for both deployments (long polling, or a webhook behind the school's HTTPS proxy).
#   docker build -t ediary-bot .
#   docker run -d --env-file .env -v ediary-data:/data ediary-bot
# matplotlib's font cache is built here, once, not at every start of the non-root user.
# The bot reads its catalogs from the source tree (locales/ beside bot/), so the source is installed as it is.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    MPLCONFIGDIR=/opt/matplotlib

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY locales ./locales
RUN python -m venv /opt/venv \
    && pip install -e . \
    && python -c "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot" \
    && chmod -R a+rX /opt/matplotlib \
    && useradd --system --uid 10001 --user-group --home-dir /data --no-create-home --shell /usr/sbin/nologin ediary \
    && mkdir -p /data \
    && chown ediary:ediary /data \
    && chmod 0700 /data

# Everything the bot keeps (its database, the generated code secret, the demo school) lives in /data.
ENV DATABASE_PATH=/data/bot.sqlite3 \
    DEMO_DATABASE_PATH=/data/demo-ediary.sqlite3 \
    LOG_FORMAT=json \
    WEBHOOK_HOST=0.0.0.0 \
    WEBHOOK_PORT=8080 \
    HEALTH_HOST=0.0.0.0 \
    HEALTH_PORT=8080
VOLUME ["/data"]
# /healthz and /metrics in both modes; in webhook mode also Telegram's updates (through the proxy)
EXPOSE 8080

USER ediary
WORKDIR /data
# 200 from /healthz, else unhealthy (urlopen raises on 503 and on no answer)
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=8)"]
# SIGTERM: no new updates are taken; those already acknowledged to Telegram are handled, then it exits
STOPSIGNAL SIGTERM
ENTRYPOINT ["ediary-bot"]
CMD ["run"]
