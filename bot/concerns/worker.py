"""Journey 3 for the worker: raise an anonymous message, keep the 🧾 reply key, read answers.

The dialog is not saved (`persistent=False`) and its draft lives in memory only
(`Concerns.drafts`): a restart forgets both, and a tap or a reply to the writing
prompt after that says the draft was lost. Nothing a worker writes here is
logged; failures are logged without the update (see `is_anonymous`).
"""

from __future__ import annotations

import logging
import sqlite3

from telegram import ForceReply, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler, filters

from bot.concerns import routes
from bot.concerns.content import OTHER
from bot.concerns.service import MAX_CHARS, Concerns, Draft, OverLimit, Submitted, problem_with
from bot.context import Ctx
from bot.i18n import N_
from bot.menu import show_menu
from bot.models import Member
from bot.ui import Button, ack, buttons, esc, message_of

_LOGGER = logging.getLogger(__name__)

PICKING, WRITING, CHECKING, ADDING = (
    "concern.picking",
    "concern.writing",
    "concern.checking",
    "concern.adding",
)
END = ConversationHandler.END

# The first line of the writing prompt: a reply to it after a restart is a lost draft.
PROMPT = N_("✍️ Write your message now, in your own words.")
REPLY_KEY = N_("🧾 Open my reply key")


def concerns_of(ctx: Ctx) -> Concerns:
    return ctx.services.get(Concerns)


def _user_id(update: Update) -> int:
    user = update.effective_user
    if user is None:
        raise RuntimeError("a concern needs a person")
    return user.id


# ------------------------------------------------------------------ raising


async def start(update: Update, ctx: Ctx) -> str | int:
    """🔒 Anonymous message: what is kept and what is not, then the topics."""
    _ = ctx.tr.gettext
    if ctx.member is None:
        await show_menu(
            update, ctx, _("To join your team, scan the invite QR code on your team's poster.")
        )
        return END
    concerns = concerns_of(ctx)
    concerns.start_draft(_user_id(update), Draft())
    locale = ctx.tr.locale
    topics: list[Button] = [
        (c.name(locale), ctx.button(routes.CATEGORY, i))
        for i, c in enumerate(concerns.content.categories)
    ]
    rows = [topics[i : i + 2] for i in range(0, len(topics), 2)]
    text = "\n".join(
        [
            _("🔒 <b>Anonymous message</b>"),
            _(
                "Kept: your words, the topic, the day (not the time) and your team or a larger group. Never your name or your Telegram account."
            ),
            _("Nobody in the plant can see who wrote it. Pick a topic:"),
        ]
    )
    await message_of(update).reply_text(
        text,
        reply_markup=buttons(
            *rows,
            [(_("ℹ️ How it stays anonymous"), ctx.button(routes.ABOUT))],
            [(_("✖️ Cancel"), ctx.button(routes.CANCEL))],
        ),
    )
    return PICKING


async def about(update: Update, ctx: Ctx) -> None:
    """ℹ️ The full explanation, as a message of its own so the topics stay on screen."""
    _ = ctx.tr.gettext
    await ack(update)
    await message_of(update).reply_text(
        "\n".join(
            [
                _("ℹ️ <b>How your anonymous message stays anonymous</b>"),
                _(
                    "• Not kept with it: your name, your Telegram account, the time, which chat it came from."
                ),
                _(
                    "• Kept: your words, the topic, the day, and your team only if it has at least {k} people (otherwise your workshop, or the whole plant)."
                ).format(k=ctx.tr.number(ctx.services.settings.anon_k)),
                _(
                    "• Your 🧾 reply key works only in this chat. Shiftmate keeps a scrambled copy that cannot be turned back into the key."
                ),
                _(
                    "• Admins read the words, so do not write your name or details only you would know."
                ),
                _(
                    "• Your draft is never saved: if Shiftmate restarts while you write, it is gone."
                ),
                _("• Photos and voice messages are not taken: they can identify you."),
            ]
        )
    )


async def pick(update: Update, ctx: Ctx) -> str | int:
    """A topic was tapped: ask for the words."""
    _ = ctx.tr.gettext
    draft = concerns_of(ctx).draft(_user_id(update))
    categories = concerns_of(ctx).content.categories
    position = ctx.int_arg(0)
    if draft is None or not 0 <= position < len(categories):
        return await lost(update, ctx)
    draft.category = categories[position].id
    await ack(update)
    await message_of(update).edit_text(
        _("🔒 Anonymous message · {topic}").format(
            topic=esc(categories[position].name(ctx.tr.locale))
        )
    )
    await _ask_for_words(update, ctx)
    return WRITING


async def _ask_for_words(update: Update, ctx: Ctx) -> None:
    _ = ctx.tr.gettext
    await message_of(update).reply_text(
        "\n".join(
            [
                _(PROMPT),
                _("Text only, at most {n} characters. Or /cancel.").format(
                    n=ctx.tr.number(MAX_CHARS)
                ),
            ]
        ),
        reply_markup=ForceReply(input_field_placeholder=_("Your anonymous message")),
    )


async def typed(update: Update, ctx: Ctx) -> str | int:
    """The words arrived: check them, then show what will be sent."""
    _ = ctx.tr.gettext
    message = message_of(update)
    draft = concerns_of(ctx).draft(_user_id(update))
    if draft is None:
        return await lost(update, ctx)
    text = message.text or ""
    if await refused(ctx, message, text):
        return WRITING
    draft.text = text.strip()
    draft.typed_message_id = message.message_id
    text, markup = _check_screen(ctx, draft)
    await message.reply_text(text, reply_markup=markup)
    return CHECKING


async def refused(ctx: Ctx, message: Message, text: str) -> bool:
    """Say why these words cannot be taken (empty, emoji only, too long); False if they can."""
    _ = ctx.tr.gettext
    problem = problem_with(text)
    if problem is None:
        return False
    if problem == "empty":
        reply = _("Please write a few words, or /cancel.")
    elif problem == "no_words":
        reply = _("Please write it in words: emoji alone cannot be read as a message. Or /cancel.")
    else:
        reply = _(
            "That is {count} characters; the most is {most}. Please shorten it and send it again, or /cancel."
        ).format(count=ctx.tr.number(len(text.strip())), most=ctx.tr.number(MAX_CHARS))
    await message.reply_text(reply)
    return True


async def text_only(update: Update, ctx: Ctx) -> None:
    """A photo, voice note or sticker where words were asked for."""
    await message_of(update).reply_text(
        ctx.tr.gettext(
            "Text only, please: photos, voice messages and stickers are not taken, because they can identify you. Write it in words, or /cancel."
        )
    )


async def not_text(update: Update, ctx: Ctx) -> str | int:
    """A photo, voice note or sticker while writing."""
    await text_only(update, ctx)
    return WRITING


def _check_screen(ctx: Ctx, draft: Draft) -> tuple[str, InlineKeyboardMarkup]:
    _ = ctx.tr.gettext
    category = concerns_of(ctx).content.category(draft.category or "")
    topic = category.name(ctx.tr.locale) if category else ""
    on, off = "✅", "⬜️"
    text = "\n".join(
        [
            _("Please check your anonymous message · {topic}").format(topic=esc(topic)),
            "",
            f"<blockquote>{esc(draft.text or '')}</blockquote>",
        ]
    )
    return (
        text,
        buttons(
            [(_("📨 Send anonymously"), ctx.button(routes.SEND))],
            [
                (
                    f"{on if draft.notify else off} " + _("Tell me when there is an answer"),
                    ctx.button(routes.NOTIFY),
                )
            ],
            [
                (
                    f"{on if draft.remove else off} " + _("Remove my message from this chat"),
                    ctx.button(routes.REMOVE),
                )
            ],
            [
                (_("✏️ Write it again"), ctx.button(routes.REWRITE)),
                (_("✖️ Cancel"), ctx.button(routes.CANCEL)),
            ],
        ),
    )


async def toggle_notify(update: Update, ctx: Ctx) -> str | int:
    return await _toggle(update, ctx, "notify")


async def toggle_remove(update: Update, ctx: Ctx) -> str | int:
    return await _toggle(update, ctx, "remove")


async def _toggle(update: Update, ctx: Ctx, option: str) -> str | int:
    draft = concerns_of(ctx).draft(_user_id(update))
    if draft is None or draft.text is None:
        return await lost(update, ctx)
    setattr(draft, option, not getattr(draft, option))
    await ack(update)
    text, markup = _check_screen(ctx, draft)
    await message_of(update).edit_text(text, reply_markup=markup)
    return CHECKING


async def rewrite(update: Update, ctx: Ctx) -> str | int:
    draft = concerns_of(ctx).draft(_user_id(update))
    if draft is None:
        return await lost(update, ctx)
    draft.text = None
    await ack(update)
    await message_of(update).edit_text(ctx.tr.gettext("✏️ OK, write it again."))
    await _ask_for_words(update, ctx)
    return WRITING


async def cancel(update: Update, ctx: Ctx) -> int:
    concerns_of(ctx).forget(_user_id(update))
    await ack(update)
    await message_of(update).edit_text(ctx.tr.gettext("OK, cancelled. Nothing was sent or kept."))
    return END


async def send(update: Update, ctx: Ctx) -> str | int:
    """📨: store it (then tell the worker), hand over the reply key, alert if urgent."""
    _ = ctx.tr.gettext
    user_id = _user_id(update)
    concerns = concerns_of(ctx)
    draft = concerns.draft(user_id)
    if draft is None or draft.text is None or draft.category is None:
        return await lost(update, ctx)
    message = message_of(update)
    member = ctx.member
    try:
        done = await concerns.submit(
            user_id,
            member.team_id if member else None,
            message.chat_id,
            ctx.tr.locale,
            draft,
        )
    except OverLimit:
        concerns.forget(user_id)
        await ack(update)
        await message.edit_text(
            _(
                "You have reached today's limit for anonymous messages ({n}). Please write it again tomorrow. In danger, call 110 or 120 now."
            ).format(n=ctx.tr.number(ctx.services.settings.concerns_per_day))
        )
        return END
    except sqlite3.OperationalError:
        # Locked or full: the transaction rolled back, so nothing of it is stored. The
        # same 📨 tapped again is a new try, not a double tap.
        ctx.services.taps.forget(message.chat_id)
        await ack(update)
        await message.reply_text(
            _(
                "😓 It could not be saved just now, so nothing was sent. Your draft is still here: tap 📨 Send anonymously again in a minute."
            )
        )
        return CHECKING
    concerns.forget(user_id)
    await ack(update)
    await message.edit_text(_("✅ Received, anonymously. Thank you for speaking up."))
    if draft.remove and draft.typed_message_id is not None:
        await _remove(ctx, message.chat_id, draft.typed_message_id)
    await _hand_over_the_key(update, ctx, done)
    return END


async def _hand_over_the_key(update: Update, ctx: Ctx, done: Submitted) -> None:
    """The 🧾 reply key, helplines if the words call for them, and the admins' alert."""
    _ = ctx.tr.gettext
    message = message_of(update)
    await message.reply_text(
        _(
            "🧾 This is your reply key. Tap it to read answers and to add to your message. It works only in this chat: keep this message."
        ),
        reply_markup=buttons(
            [(_(REPLY_KEY), ctx.button(routes.THREAD, done.concern_id, done.key))]
        ),
    )
    if done.helpline:
        await message.reply_text(concerns_of(ctx).content.helpline(ctx.tr.locale))
    if done.urgent:
        ctx.application.create_task(alert_soon(ctx), name="deliver-concern-alert")
    await show_menu(update, ctx, _("An admin will read it. You can close this chat now."))


async def ask_anonymously(update: Update, ctx: Ctx, text: str) -> None:
    """A question with no answer in the FAQ, passed on as an anonymous message (topic: other).

    Offered to the policy-question feature as `services.hooks["anonymous_question"]`;
    everything about it follows the rules of the anonymous messages.
    """
    _ = ctx.tr.gettext
    user_id = _user_id(update)
    concerns = concerns_of(ctx)
    message = message_of(update)
    draft = Draft(category=OTHER, text=text)  # the content check requires this category
    if problem_with(text) is not None:
        await message.reply_text(_("Please write a few words, or /cancel."))
        return
    member = ctx.member
    try:
        done = await concerns.submit(
            user_id, member.team_id if member else None, message.chat_id, ctx.tr.locale, draft
        )
    except OverLimit:
        await message.reply_text(
            _(
                "You have reached today's limit for anonymous messages ({n}). Please write it again tomorrow. In danger, call 110 or 120 now."
            ).format(n=ctx.tr.number(ctx.services.settings.concerns_per_day))
        )
        return
    except sqlite3.OperationalError:
        await message.reply_text(
            _(
                "😓 It could not be saved just now, so nothing was sent. Please ask again in a minute."
            )
        )
        return
    await message.reply_text(_("✅ Received, anonymously. Thank you for speaking up."))
    await _hand_over_the_key(update, ctx, done)


async def _remove(ctx: Ctx, chat_id: int, message_id: int) -> None:
    try:
        await ctx.bot.delete_message(chat_id, message_id)
    except BadRequest as err:  # too old (48 hours), or already gone
        _LOGGER.info("Could not remove a worker's own message: %s", err.message)


async def alert_soon(ctx: Ctx) -> None:
    from bot.concerns.alerts import send_alerts  # noqa: PLC0415 - avoids a cycle with alerts' views

    await send_alerts(ctx)


async def lost(update: Update, ctx: Ctx) -> int:
    """A step of a draft this process does not hold: sent already, cancelled, or lost to a restart."""
    concerns_of(ctx).forget(_user_id(update))
    text = ctx.tr.gettext(
        "This draft is no longer here: it was sent or cancelled, or Shiftmate restarted (drafts are never saved). Nothing more was sent. To write a new one, tap 🔒 Anonymous message."
    )
    if update.callback_query is not None:
        await ack(update)
    await message_of(update).reply_text(text)
    return END


class RepliesToPrompt(filters.MessageFilter):
    """A message that replies to a message of Shiftmate's starting with ✍️ (the prompt)."""

    def filter(self, message: Message) -> bool:
        reply_to = message.reply_to_message
        return (
            reply_to is not None
            and reply_to.from_user is not None
            and reply_to.from_user.is_bot
            and (reply_to.text or "").startswith("✍️")
        )


def replies_to_prompt(update: Update, ctx: Ctx) -> bool:
    """Typed text that answers the writing prompt, though no dialog waits for it."""
    message = update.message
    reply_to: Message | None = message.reply_to_message if message is not None else None
    if reply_to is None or reply_to.from_user is None or reply_to.from_user.id != ctx.bot.id:
        return False
    first_line = (reply_to.text or "").split("\n", 1)[0]
    return first_line in ctx.services.i18n.every_translation(PROMPT)


async def lost_reply(update: Update, ctx: Ctx) -> None:
    """Text typed into the prompt of a draft the bot no longer holds (nothing of it is kept)."""
    if replies_to_prompt(update, ctx):
        await lost(update, ctx)
    else:
        await show_menu(
            update,
            ctx,
            ctx.tr.gettext("Please use the buttons below. /help explains what each one does."),
        )


async def my_data(ctx: Ctx, member: Member) -> list[str]:
    """What /mydata says about anonymous messages: that none is stored about the person."""
    return [
        ctx.tr.gettext(
            "🔒 Anonymous messages: nothing links them to you, so none is listed here. Only your 🧾 reply keys open them."
        )
    ]
