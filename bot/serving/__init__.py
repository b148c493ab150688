"""How the bot meets the outside world: long polling (polling.py) or Telegram's webhook (webhook.py), both
with /healthz (health.py) and /metrics on an aiohttp server (http.py), and a shutdown that handles every
update Telegram was told we received (drain.py)."""
