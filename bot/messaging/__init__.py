"""Messaging teachers: parents and students write, teachers reply in the chat, and a teacher may start a
conversation with a student's parents (router: handlers/messaging.py).

A thread is (family-side person: a parent or the student, teacher, student). service.py is what the router
calls (who may write to whom, re-checked on every step; posting; /inbox and histories; mute); screens.py and
answers.py what the user sees; relay.py stores a message and queues its relays through the durable outbox in
one transaction (render.py: what a relayed message looks like); replies are routed by the outbox item that
delivered the replied-to message (refs.py: its ref "msg:<id>"). listeners.py: messages waiting for a person
who links now, /forget, and the e-diary retry job. outreach.py (with outreach_screens.py): a teacher's message
to a student's parents, one thread per parent (copies.py: one Telegram message stored in several threads).
"""

from bot.features import Audience, Command, Feature, Job
from bot.i18n import N_
from bot.messaging.listeners import deliver_waiting_messages, forget_messages, retry_ediary_messages

FEATURE = Feature(
    "messaging",
    commands=(
        Command("message", N_("Write to a teacher"), Audience.LINKED, for_teachers=N_("Write to a student's parents")),
        Command(
            "inbox", N_("Conversations with teachers"), Audience.LINKED, for_teachers=N_("Conversations with families")
        ),
    ),
    jobs=(Job("messaging.ediary", retry_ediary_messages, every=lambda settings: settings.poll_interval_seconds),),
    on_person_linked=(deliver_waiting_messages,),
    on_user_forgotten=(forget_messages,),
)
