"""The Telegram side of the conversation, shared by both fakes: `TelegramCore` answers Bot API calls
on wire params (chats, messages, edits, files, callback answers) and applies injected errors.

MockedSession (in-process) and FakeTelegram (HTTP) both answer from it, so unit tests through
`Dispatcher.feed_update` and end-to-end tests see the same message ids, the same errors for
unparsable HTML / unmodified edits / unknown messages, and the same error injection.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiogram.types import TelegramObject

from . import updates as u
from .conditions import FloodLimits, HeldRequests, Hold

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a content and reply markup of the current message"
)
_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
NETWORK = "network"  # fail_next(status=NETWORK): the request gets no HTTP answer at all


class NetworkFailure(Exception):
    """Injected failure: the connection drops before any answer."""


@dataclass
class Failure:
    method: str  # lower-cased method name, "*" for any
    status: int | str
    description: str | None
    retry_after: int | None
    chat_id: int | str | None
    times: int | None  # None = until cleared

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        return self.method in ("*", method.lower()) and (
            self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)
        )


class TelegramCore:
    """The Telegram side of the conversation: chats, messages, files, callback answers."""

    def __init__(self, bot_username: str = "ediary_test_bot") -> None:
        self.bot_user: dict[str, Any] = {
            "id": 42,
            "is_bot": True,
            "first_name": "eDiary",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat_id, message_id) -> current state
        self.deleted: set[tuple[int, int]] = set()
        self.activity: dict[tuple[int, int], int] = {}  # message key -> when last sent/edited
        self.reply_keyboards: dict[int, dict[str, Any] | None] = {}
        self.answers: list[dict[str, Any]] = []
        self.refusals: list[tuple[str, str]] = []  # (method, description) of every call answered with an error
        self.files: dict[str, bytes] = {}  # file_id -> content
        self.listeners: list[Callable[[str, dict[str, Any]], None]] = []
        self._failures: list[Failure] = []
        self.limits: FloodLimits | None = None  # enforce_limits(): Telegram's flood control, 429 beyond it
        self.holds = HeldRequests()  # hold_next(): requests left unanswered until released
        self._overrides: dict[str, Any] = {}
        self._last_message_id: dict[int, int] = {}
        self._update_ids = itertools.count(1)
        self._ticks = itertools.count(1)

    # --- ids, chats, storage --------------------------------------------------------------
    def next_update_id(self) -> int:
        return next(self._update_ids)

    def next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def register_chat(self, chat: dict[str, Any]) -> None:
        self.chats[chat["id"]] = chat

    def chat(self, chat_id: int | None) -> dict[str, Any]:
        if chat_id is None:
            raise u.ApiError(400, "Bad Request: chat_id is empty")
        if chat_id not in self.chats:  # lenient: a bot may write to users no test client plays
            self.chats[chat_id] = u.chat_dict(chat_id, "private" if chat_id > 0 else "group")
        return self.chats[chat_id]

    def store(self, message: dict[str, Any], event: str) -> None:
        key = (message["chat"]["id"], message["message_id"])
        self.messages[key] = message
        self.activity[key] = next(self._ticks)
        self._emit(event, message)

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Current state of the bot's messages in a chat (edits applied, deletions dropped)."""
        return [
            m
            for key, m in self.messages.items()
            if key[0] == chat_id and key not in self.deleted and m["from"]["id"] == self.bot_user["id"]
        ]

    def calls(self, method: str | None = None, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Params of recorded requests, filtered by method name and/or chat_id."""
        return [
            p
            for m, p in self.requests
            if (method is None or m.lower() == method.lower())
            and (chat_id is None or str(p.get("chat_id")) == str(chat_id))
        ]

    def _emit(self, event: str, payload: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            listener(event, payload)

    # --- test controls ------------------------------------------------------------------
    def fail_next(
        self,
        method: str = "*",
        status: int | str = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        chat_id: int | str | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer the next `times` matching calls with an error (times=None: until clear_failures)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        self._failures.append(Failure(method.lower(), status, description, retry_after, chat_id, times))

    def clear_failures(self) -> None:
        self._failures.clear()

    def enforce_limits(self, now: Callable[[], float] = time.monotonic, **limits: Any) -> FloodLimits:
        """Answer 429 beyond Telegram's limits, measured on `now` (seconds); see conditions.FloodLimits."""
        self.limits = FloodLimits(now, **limits)
        return self.limits

    def hold_next(self, method: str = "*", *, chat_id: int | None = None) -> Hold:
        """Leave the next matching request unanswered until `hold.release()` (a hang; the client may time out)."""
        return self.holds.add(method, chat_id)

    def respond(self, method: str, result: Any) -> None:
        """Answer `method` with a fixed result, or result(params) if callable (for methods not modelled here)."""
        self._overrides[method.lower()] = result

    # --- request handling ---------------------------------------------------------------
    def check(self, method: str, params: dict[str, Any]) -> None:
        """Record a request and apply injected failures (ApiError / NetworkFailure)."""
        self.requests.append((method, params))
        for failure in self._failures:
            if failure.matches(method, params):
                if failure.times is not None:
                    failure.times -= 1
                    if failure.times <= 0:
                        self._failures.remove(failure)
                if failure.status == NETWORK:
                    raise NetworkFailure(method)
                status = int(failure.status)
                text = failure.description or _DESCRIPTIONS.get(status, "Error")
                raise u.ApiError(status, text.format(retry_after=failure.retry_after), failure.retry_after)
        if self.limits is not None and (refusal := self.limits.admit(method, u.param_int(params, "chat_id"))):
            raise u.ApiError(429, f"Too Many Requests: retry after {refusal.retry_after}", refusal.retry_after)

    def handle(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """One Bot API call -> (HTTP status, JSON body).  Raises NetworkFailure if injected."""
        try:
            self.check(method, params)
            return 200, {"ok": True, "result": self.dispatch(method, params, files or {})}
        except u.ApiError as error:
            self.refusals.append((method, error.body["description"]))
            return error.status, error.body

    def dispatch(self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        name = method.lower()
        if name in self._overrides:
            result = self._overrides[name]
            result = result(params) if callable(result) else result
            return u.as_dict(result) if isinstance(result, TelegramObject) else result
        if name in ("deletewebhook", "setmycommands", "deletemycommands", "sendchataction"):
            return True
        handler = getattr(self, f"_m_{name}", None)
        if handler is None:
            raise u.ApiError(404, "Not Found: method not found")
        return handler(params, files)

    def _m_getme(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return self.bot_user

    def _m_getupdates(self, params: dict[str, Any], files: Any) -> list[Any]:
        return []  # the HTTP fake serves real long polling; in-process tests feed updates directly

    def _m_getchat(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        gifts = dict.fromkeys(
            ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels"), False
        )
        return {
            **self.chat(u.param_int(params, "chat_id")),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }

    def _m_getfile(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        file_id = params.get("file_id")
        if file_id not in self.files:
            raise u.ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(self.files[file_id]),
            "file_path": f"files/{file_id}",
        }

    def _markup(self, params: dict[str, Any], chat_id: int) -> dict[str, Any] | None:
        """Inline markup for the message; reply keyboards are remembered per chat instead."""
        markup = u.param_json(params, "reply_markup") or {}
        if "keyboard" in markup:
            self.reply_keyboards[chat_id] = markup
        elif markup.get("remove_keyboard"):
            self.reply_keyboards[chat_id] = None
        for button in (b for row in markup.get("inline_keyboard", []) for b in row):
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise u.ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup if "inline_keyboard" in markup else None

    def _send(self, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        chat_id = u.param_int(params, "chat_id")
        chat, markup = self.chat(chat_id), self._markup(params, chat_id)
        reply_to = (u.param_json(params, "reply_parameters") or {}).get("message_id")
        original = self.messages.get((chat_id, int(reply_to or u.param_int(params, "reply_to_message_id") or 0)))
        replied = {k: v for k, v in original.items() if k != "reply_to_message"} if original else None
        message = u.message_dict(
            self.next_message_id(chat_id), chat, self.bot_user, **content, reply_markup=markup, reply_to_message=replied
        )
        self.store(message, "sent")
        return message

    def _file(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]], field: str) -> tuple[str, str | None]:
        """(file_id, file name) of an uploaded (attach://, multipart) or re-sent (file_id/URL) file."""
        value = params.get(field) or ""
        key = value.removeprefix("attach://") if value.startswith("attach://") else field
        if key in files:
            name, data = files[key]
            file_id = f"{field}-{len(self.files) + 1}"
            self.files[file_id] = data
            return file_id, name
        if not value:
            raise u.ApiError(400, f"Bad Request: there is no {field} in the request")
        return value, None

    def _m_sendmessage(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return self._send(params, u.render_content(params, "text", 4096))

    def _m_senddocument(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> dict[str, Any]:
        file_id, name = self._file(params, files, "document")
        document = u.document_dict(name or "document", file_id, size=len(self.files.get(file_id, b"")))
        return self._send(params, {"document": document, **u.render_content(params, "caption", 1024)})

    def _m_sendphoto(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> dict[str, Any]:
        file_id, _ = self._file(params, files, "photo")
        photo = u.photo_sizes(file_id, size=len(self.files.get(file_id, b"")))
        return self._send(params, {"photo": photo, **u.render_content(params, "caption", 1024)})

    def _m_copymessage(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        key = (u.param_int(params, "from_chat_id"), u.param_int(params, "message_id"))
        source = self.messages.get(key) or {"text": f"copy of message {key[1]} from chat {key[0]}"}  # lenient
        content = {
            k: v
            for k, v in source.items()
            if k in ("text", "entities", "photo", "document", "caption", "caption_entities")
        }
        if "caption" in params:
            content.update(u.render_content(params, "caption", 1024))
        return {"message_id": self._send(params, content)["message_id"]}

    def _editable(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        key = (u.param_int(params, "chat_id"), u.param_int(params, "message_id"))
        message = self.messages.get(key)
        if message is None or key in self.deleted:
            raise u.ApiError(400, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.bot_user["id"]:
            raise u.ApiError(400, "Bad Request: message can't be edited")
        return key[0], message

    def _edit(self, params: dict[str, Any], field: str | None) -> dict[str, Any] | bool:
        if params.get("inline_message_id"):
            return True
        chat_id, message = self._editable(params)
        edited = dict(message)
        if field:
            if field not in message and field == "text":
                raise u.ApiError(400, "Bad Request: there is no text in the message to edit")
            edited.update(u.render_content(params, field, 4096 if field == "text" else 1024))
        markup = self._markup(params, chat_id)  # omitted markup removes the keyboard, as in Telegram
        edited.pop("reply_markup", None)
        if markup:
            edited["reply_markup"] = markup
        edited = {k: v for k, v in edited.items() if v is not None}
        if {k: v for k, v in edited.items() if k != "edit_date"} == {
            k: v for k, v in message.items() if k != "edit_date"
        }:
            raise u.ApiError(400, NOT_MODIFIED)
        edited["edit_date"] = u.now()
        self.store(edited, "edited")
        return edited

    def _m_editmessagetext(self, params: dict[str, Any], files: Any) -> dict[str, Any] | bool:
        return self._edit(params, "text")

    def _m_editmessagecaption(self, params: dict[str, Any], files: Any) -> dict[str, Any] | bool:
        return self._edit(params, "caption")

    def _m_editmessagereplymarkup(self, params: dict[str, Any], files: Any) -> dict[str, Any] | bool:
        return self._edit(params, None)

    def _m_editmessagemedia(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> dict[str, Any]:
        """A photo (uploaded or re-sent) with its caption in place of a media message's (photos only)."""
        media = u.param_json(params, "media") or {}
        if media.get("type") != "photo":
            raise u.ApiError(400, "Bad Request: the fake edits photos only")
        chat_id, message = self._editable(params)
        if not any(k in message for k in ("photo", "document", "video", "animation", "audio")):
            raise u.ApiError(400, "Bad Request: there is no media in the message to edit")
        file_id, _ = self._file({"photo": media.get("media")}, files, "photo")
        edited = {k: v for k, v in message.items() if k not in ("photo", "caption", "caption_entities", "reply_markup")}
        edited["photo"] = u.photo_sizes(file_id, size=len(self.files.get(file_id, b"")))
        edited.update(u.render_content(media, "caption", 1024))
        markup = self._markup(params, chat_id)  # omitted markup removes the keyboard, as in Telegram
        if markup:
            edited["reply_markup"] = markup
        edited["edit_date"] = u.now()
        self.store(edited, "edited")
        return edited

    def _m_deletemessage(self, params: dict[str, Any], files: Any) -> bool:
        key = (u.param_int(params, "chat_id"), u.param_int(params, "message_id"))
        if key not in self.messages or key in self.deleted:
            raise u.ApiError(400, "Bad Request: message to delete not found")
        self.deleted.add(key)
        self._emit("deleted", self.messages[key])
        return True

    def _m_answercallbackquery(self, params: dict[str, Any], files: Any) -> bool:
        query_id = params.get("callback_query_id")
        if any(a["callback_query_id"] == query_id for a in self.answers):
            raise u.ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        answer = {
            "callback_query_id": query_id,
            "text": params.get("text"),
            "show_alert": str(params.get("show_alert")).lower() == "true",
            "url": params.get("url"),
        }
        self.answers.append(answer)
        self._emit("answer", answer)
        return True
