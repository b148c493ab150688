"""Messaging teachers: parents and students write, teachers reply in the chat.

A thread is (family-side person: a parent or the student, teacher, student). Messages are stored and
relayed through the durable outbox in one transaction (relay.py); replies are routed by the outbox row that
delivered the replied-to message (ref "msg:<id>"). listeners.py: messages waiting for a person who links
now, /forget, and the e-diary retry job.
"""

from bot.features import Audience, Command, Feature, Job
from bot.i18n import N_
from bot.messaging.listeners import deliver_waiting_messages, forget_messages, retry_ediary_messages

FEATURE = Feature(
    "messaging",
    commands=(
        Command("message", N_("Write to a teacher"), Audience.LINKED),
        Command("inbox", N_("Conversations with teachers"), Audience.LINKED),
    ),
    jobs=(Job("messaging.ediary", retry_ediary_messages, every=lambda settings: settings.poll_interval_seconds),),
    on_person_linked=(deliver_waiting_messages,),
    on_user_forgotten=(forget_messages,),
)
