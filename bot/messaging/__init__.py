"""Messaging teachers: parents and students write, teachers reply in the chat.

A thread is (family-side person: a parent or the student, teacher, student). Messages are stored and
relayed through the durable outbox in one transaction (relay.py); replies are routed by the outbox row that
delivered the replied-to message (ref "msg:<id>"). Importing this package registers the event listeners and
the e-diary retry job (listeners.py).
"""

from bot.messaging import listeners as _listeners  # noqa: F401  (registers listeners and the job)
