"""Delivery: everything that must reach a user goes through the durable outbox (storage/outbox.py).

- queue.py: put a text (split to Telegram's size) or a prepared call into the outbox, respecting quiet hours;
- sender.py: the long-running task that sends due items to many chats at once, in order per chat, within
  Telegram's limits (ratelimit.py), and survives restarts and kill -9 (crash-safe claim / sent marks);
- outcomes.py: what each answer means: sent, retried (429, 5xx, timeouts), held (403), failed;
- lease.py: only one running instance polls the e-diary and sends;
- payloads.py: an outbox item -> the aiogram call it describes; split.py: messages cut to Telegram's size.
"""

from bot.delivery.sender import run_sender
from bot.features import Feature, Task

FEATURE = Feature("delivery", tasks=(Task("outbox-sender", run_sender),))
