"""What pre-shift study shows: a worker's one message at each step, a team leader's status and summary.

A worker's session is one message, edited in place at every step (Telegram's
limits make every new message count): the invitation, today's lesson, each
question with the feedback on the one before, the score and the mood check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.callbacks import Route
from bot.db.study import Attendance, Schedule, Session
from bot.i18n import Translator
from bot.models import Team
from bot.preshift import routes
from bot.preshift.bank import Bank, Module, Question, in_language
from bot.ui import Button, buttons, esc, team_label

Screen = tuple[str, InlineKeyboardMarkup | None]
Sign = Callable[..., str]  # (route, *args) -> signed button data for the reader
LETTERS = "ABCD"
FACES = {5: "😀", 4: "🙂", 3: "😐", 2: "🙁", 1: "😞"}
NAMES_SHOWN = 30


def _lines(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p is not None)


# ------------------------------------------------------------------ worker


def invitation(
    tr: Translator, sign: Sign, name: str, module: Module, session: Session, questions: int
) -> Screen:
    _ = tr.gettext
    text = _lines(
        _("🔔 {name}, today's pre-shift study: {title}").format(
            name=esc(name), title=esc(in_language(module.title, tr.locale))
        ),
        _("Today's lesson and {n} questions, about two minutes. Open until {time}.").format(
            n=tr.number(questions), time=tr.time_of_day(session.closes_at)
        ),
    )
    return text, buttons([(_("▶️ Start"), sign(routes.BEGIN, session.id))])


def lesson(tr: Translator, sign: Sign, module: Module, session_id: int) -> Screen:
    _ = tr.gettext
    text = _lines(
        _("📖 Today's lesson: {title}").format(title=esc(in_language(module.title, tr.locale))),
        "",
        esc(in_language(module.card, tr.locale)),
    )
    return text, buttons([(_("✅ I've read the lesson"), sign(routes.CARD_READ, session_id))])


def question(
    tr: Translator,
    sign: Sign,
    session_id: int,
    position: int,
    total: int,
    asked: Question,
    order: list[int],
    *,
    before: str | None = None,
) -> Screen:
    text = _lines(
        before,
        "" if before else None,
        tr.gettext("❓ {n}/{total} {question}").format(
            n=tr.number(position),
            total=tr.number(total),
            question=esc(in_language(asked.ask, tr.locale)),
        ),
    )
    rows: list[list[Button]] = [
        [
            (
                f"{LETTERS[shown]} {in_language(asked.options[option].text, tr.locale)}",
                sign(routes.ANSWER, session_id, position, shown),
            )
        ]
        for shown, option in enumerate(order)
    ]
    return text, buttons(*rows)


def feedback(tr: Translator, asked: Question, chosen: int, order: list[int]) -> str:
    _ = tr.gettext
    explain = esc(in_language(asked.explain, tr.locale))
    if chosen == asked.right:
        return _("✅ Right! {explain}").format(explain=explain)
    shown = order.index(asked.right)
    right = f"{LETTERS[shown]} {in_language(asked.options[asked.right].text, tr.locale)}"
    return _("❌ Not quite: the answer is {right}. {explain}").format(
        right=esc(right), explain=explain
    )


def finished(
    tr: Translator, sign: Sign, session_id: int, right: int, total: int, *, before: str | None
) -> Screen:
    _ = tr.gettext
    text = _lines(
        before,
        "" if before else None,
        _("🎉 Done! {right} of {total} right.").format(
            right=tr.number(right), total=tr.number(total)
        ),
        _("How do you feel today? (anonymous: only how many tapped each face is kept)"),
    )
    faces = [(face, sign(routes.MOOD, session_id, mood)) for mood, face in FACES.items()]
    return text, buttons(faces)


def thanked(tr: Translator, right: int, total: int, *, late: bool) -> Screen:
    _ = tr.gettext
    score = _("🎉 Done! {right} of {total} right.").format(
        right=tr.number(right), total=tr.number(total)
    )
    note = (
        _("Thank you! It counts as late: the time to take it had ended.")
        if late
        else _("Thank you, see you at the next pre-shift study.")
    )
    return _lines(score, note), None


def reminder(tr: Translator, title: str, closes_at: datetime) -> str:
    return tr.gettext(
        "⏰ Your pre-shift study ({title}) closes at {time}. Tap ▶️ Start on the message above."
    ).format(title=esc(title), time=tr.time_of_day(closes_at))


# ------------------------------------------------------------------ leader


@dataclass(frozen=True)
class Tally:
    total: int
    done: int
    late: int
    in_person: int
    not_yet: list[str]
    late_names: list[str]
    absent: list[str]
    unreachable: int
    right: int
    asked: int
    last_reminder: datetime | None = None

    @classmethod
    def of(cls, attendance: list[Attendance]) -> Tally:
        counted = [a for a in attendance if a.status != "left"]
        taken = [a for a in counted if a.status in ("done", "late")]
        return cls(
            total=len(counted),
            done=sum(a.status == "done" for a in counted),
            late=sum(a.status == "late" for a in counted),
            late_names=[a.display_name for a in counted if a.status == "late"],
            in_person=sum(a.status == "in_person" for a in counted),
            not_yet=[a.display_name for a in counted if a.status in ("pending", "started")],
            absent=[a.display_name for a in counted if a.status == "absent"],
            unreachable=sum(
                a.status in ("pending", "started") and not a.reachable for a in counted
            ),
            right=sum(a.right for a in taken),
            asked=sum(len(a.picked.questions) for a in taken),
            last_reminder=max((a.reminded_at for a in counted if a.reminded_at), default=None),
        )

    @property
    def taken_part(self) -> int:
        return self.done + self.late + self.in_person


def _names(tr: Translator, names: list[str]) -> str:
    shown = [esc(n) for n in names[:NAMES_SHOWN]]
    if len(names) > NAMES_SHOWN:
        more = len(names) - NAMES_SHOWN
        shown.append(tr.ngettext("{n} more", "{n} more", more).format(n=tr.number(more)))
    return tr.names(shown)


def _average(tr: Translator, tally: Tally) -> str | None:
    answered = tally.done + tally.late
    if not answered:
        return None
    per_person = tally.asked / answered
    return tr.gettext("Average per person: {score} of {total} questions right").format(
        score=tr.number(round(tally.right / answered, 1)), total=tr.number(round(per_person, 1))
    )


def status(
    tr: Translator, sign: Sign, team: Team, module: Module, session: Session, tally: Tally
) -> Screen:
    """The live status while the window is open, and the summary after."""
    _ = tr.gettext
    title = esc(in_language(module.title, tr.locale))
    head = _("📚 Pre-shift study · {team} · {title}").format(team=team_label(team), title=title)
    progress = _("{done} of {total} have taken part").format(
        done=tr.number(tally.taken_part), total=tr.number(tally.total)
    )
    if session.finished_at is not None:
        lines = [
            head,
            _("✅ Summary of {date}").format(date=tr.date(session.day)),
            progress,
            _average(tr, tally),
            _("⏰ Late: {names}").format(names=_names(tr, tally.late_names))
            if tally.late
            else None,
            _("✋ In person: {n}").format(n=tr.number(tally.in_person))
            if tally.in_person
            else None,
            _("Absent: {names}").format(names=_names(tr, tally.absent)) if tally.absent else None,
        ]
        return _lines(*lines), None
    if session.closed_at is not None:
        lines = [
            head,
            _("⏹ Closed at {time}").format(time=tr.time_of_day(session.closed_at)),
            progress,
            _average(tr, tally),
            _("⏰ Late: {names}").format(names=_names(tr, tally.late_names))
            if tally.late
            else None,
            _("Not yet: {names}\nThey can still do it today; it counts as late.").format(
                names=_names(tr, tally.not_yet)
            )
            if tally.not_yet
            else None,
        ]
        rows = []
        if tally.not_yet:
            rows = [
                [(_("🔔 Remind them"), sign(routes.NUDGE, session.id))],
                [(_("✋ In person"), sign(routes.IN_PERSON, session.id, 0))],
            ]
        return _lines(*lines), buttons(*rows) if rows else None
    lines = [
        head,
        _("🗓 Started by the shift schedule.") if session.schedule_id is not None else None,
        _("⏳ Open until {time}").format(time=tr.time_of_day(session.closes_at)),
        progress,
        _average(tr, tally),
        _("Not yet: {n}").format(n=tr.number(len(tally.not_yet))) if tally.not_yet else None,
        _("🚫 Cannot be reached: {n}").format(n=tr.number(tally.unreachable))
        if tally.unreachable
        else None,
        _("🔔 Last reminder at {time}").format(time=tr.time_of_day(tally.last_reminder))
        if tally.last_reminder
        else None,
    ]
    return _lines(*lines), buttons(
        [
            (_("🔔 Remind the rest"), sign(routes.NUDGE, session.id)),
            (_("✋ In person"), sign(routes.IN_PERSON, session.id, 0)),
        ],
        [
            (_("⏱ 15 more minutes"), sign(routes.EXTEND, session.id)),
            (_("⏹ Close now"), sign(routes.CLOSE, session.id)),
        ],
    )


def group_notice(tr: Translator, team: Team, module: Module, session: Session) -> str:
    return tr.gettext(
        "📚 Pre-shift study for {team} has started: {title}. Open until {time}; each member has it in their chat with Shiftmate."
    ).format(
        team=team_label(team),
        title=esc(in_language(module.title, tr.locale)),
        time=tr.time_of_day(session.closes_at),
    )


def weekdays(tr: Translator, mask: int) -> str:
    """Mon–Fri, every day, or the days one by one, in the reader's language."""
    _ = tr.gettext
    if mask == 0b1111111:
        return _("every day")
    if mask == 0b0011111:
        return _("Monday to Friday")
    names = [
        _("Mon"),
        _("Tue"),
        _("Wed"),
        _("Thu"),
        _("Fri"),
        _("Sat"),
        _("Sun"),
    ]
    return tr.names([names[d] for d in range(7) if mask >> d & 1])


def schedule_line(tr: Translator, schedule: Schedule) -> str:
    return tr.gettext("{days}, shift at {shift}, study opens {lead} minutes before").format(
        days=weekdays(tr, schedule.weekdays),
        shift=schedule.shift_at.strftime("%H:%M"),
        lead=tr.number(schedule.lead_minutes),
    )


def topic_name(tr: Translator, bank: Bank, topic_id: str) -> str:
    topic = bank.topic(topic_id)
    return in_language(topic.name, tr.locale) if topic else topic_id


def route_button(label: str, sign: Sign, route: Route, *args: int) -> Button:
    return label, sign(route, *args)
