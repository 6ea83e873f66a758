"""What the admin panel and the leader's team view show: each screen as text and buttons.

A screen fits a phone: at most ten rows of buttons and a page of lines. Long
lists turn pages with ◀️ ▶️, and the page number is in the text, not on a
button that does nothing. Names people typed are escaped for HTML.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.callbacks import Route
from bot.context import Ctx
from bot.i18n import Translator
from bot.models import Member, Page, PlantCounts, Team, Workshop
from bot.org import routes
from bot.ui import Button, buttons, column, esc, member_team_label, page_line, pager, team_label

Screen = tuple[str, InlineKeyboardMarkup]


def teams_count(tr: Translator, n: int) -> str:
    return tr.ngettext("{n} team", "{n} teams", n).format(n=tr.number(n))


def members_count(tr: Translator, n: int) -> str:
    return tr.ngettext("{n} member", "{n} members", n).format(n=tr.number(n))


def staff_type(tr: Translator, temporary: bool) -> str:
    return tr.gettext("temporary staff") if temporary else tr.gettext("regular staff")


def _lines(*parts: str | None) -> str:
    return "\n".join(part for part in parts if part is not None)


def _back(ctx: Ctx, route: Route, *args: int) -> list[Button]:
    return [(ctx.tr.gettext("⬅️ Back"), ctx.button(route, *args))]


def home(ctx: Ctx, counts: PlantCounts) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    summary = " · ".join(
        [
            tr.ngettext("{n} workshop", "{n} workshops", counts.workshops).format(
                n=tr.number(counts.workshops)
            ),
            teams_count(tr, counts.teams),
            members_count(tr, counts.members),
        ]
    )
    return _lines(_("🛠 Admin"), summary), buttons(
        [(_("🏭 Workshops and teams"), ctx.button(routes.WORKSHOPS, 0))],
        [(_("🔍 Find a person or team"), ctx.button(routes.FIND))],
        [(_("🛡 Admins"), ctx.button(routes.ADMINS, 0))],
    )


def workshops(ctx: Ctx, page: Page[Workshop]) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    if page.total:
        text = _lines(_("🏭 Workshops\nTap one to see its teams."), page_line(tr, page))
    else:
        text = _("🏭 There are no workshops yet.\nStart by adding one, then add its teams.")
    rows = column(
        [
            (
                _("{workshop} ({teams})").format(
                    workshop=w.name, teams=teams_count(tr, w.team_count)
                ),
                ctx.button(routes.WORKSHOP, w.id, 0),
            )
            for w in page.items
        ]
    )
    rows += pager(page, lambda n: ctx.button(routes.WORKSHOPS, n))
    rows.append([(_("➕ New workshop"), ctx.button(routes.NEW_WORKSHOP))])
    rows.append(_back(ctx, routes.ADMIN_HOME))
    return text, buttons(*rows)


def workshop(ctx: Ctx, unit: Workshop, page: Page[Team]) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    text = _lines(
        _("🏭 {workshop}").format(workshop=esc(unit.name)),
        teams_count(tr, page.total) if page.total else _("No teams yet."),
        page_line(tr, page),
    )
    rows = column(
        [
            (
                _("{team} ({members})").format(
                    team=t.name, members=members_count(tr, t.member_count)
                ),
                ctx.button(routes.TEAM, t.id),
            )
            for t in page.items
        ]
    )
    rows += pager(page, lambda n: ctx.button(routes.WORKSHOP, unit.id, n))
    rows.append([(_("➕ New team"), ctx.button(routes.NEW_TEAM, unit.id))])
    rows.append(
        [
            (_("✏️ Change the name"), ctx.button(routes.RENAME_WORKSHOP, unit.id)),
            (_("⛔ Close the workshop"), ctx.button(routes.CLOSE_WORKSHOP_ASK, unit.id)),
        ]
    )
    rows.append(_back(ctx, routes.WORKSHOPS, 0))
    return text, buttons(*rows)


def team(
    ctx: Ctx,
    unit: Team,
    leaders: list[Member],
    invite_until: str | None,
    *,
    note: str | None = None,
) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    text = _lines(
        note,
        _("👥 {team}").format(team=esc(unit.name)),
        _("🏭 {workshop}").format(workshop=esc(unit.workshop_name)),
        members_count(tr, unit.member_count),
        _("Team leader: {names}").format(names=tr.names([esc(m.display_name) for m in leaders]))
        if leaders
        else _("Team leader: none yet"),
        _("Invite QR code: valid until {date}").format(date=invite_until)
        if invite_until
        else _("Invite QR code: none yet (tap 🔗 Invite QR code to make one)"),
    )
    rows: list[list[Button]] = [
        [
            (_("📋 Members"), ctx.button(routes.MEMBERS, unit.id, 0)),
            (_("🔗 Invite QR code"), ctx.button(routes.INVITE, unit.id)),
        ],
    ]
    if ctx.is_admin:
        rows.append([(_("👷 Team leaders"), ctx.button(routes.LEADERS, unit.id, 0))])
        rows.append(
            [
                (_("✏️ Change the name"), ctx.button(routes.RENAME_TEAM, unit.id)),
                (_("⛔ Close the team"), ctx.button(routes.CLOSE_TEAM_ASK, unit.id)),
            ]
        )
        rows.append(_back(ctx, routes.WORKSHOP, unit.workshop_id, 0))
    else:
        rows.append(_back(ctx, routes.MY_TEAMS, 0))
    return text, buttons(*rows)


def _member_line(tr: Translator, index: int, member: Member) -> str:
    details = [staff_type(tr, member.is_temporary)]
    if member.leads_team:
        details.insert(0, tr.gettext("⭐ team leader"))
    if member.joined_team_at is not None:
        details.append(tr.gettext("since {date}").format(date=tr.date(member.joined_team_at)))
    if not member.reachable:
        details.append(tr.gettext("🚫 cannot be reached"))
    return f"{tr.number(index)}. {esc(member.display_name)} · " + " · ".join(details)


def members(ctx: Ctx, unit: Team, page: Page[Member]) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    lines = [_("📋 Members of {team} ({n})").format(team=esc(unit.name), n=tr.number(page.total))]
    if not page.total:
        lines.append(_("Nobody has joined yet. Share the invite QR code with the team."))
    lines += [_member_line(tr, page.first + i + 1, m) for i, m in enumerate(page.items)]
    rows: list[list[Button]] = []
    if ctx.is_admin:
        rows += column(
            [(m.display_name, ctx.button(routes.MEMBER, m.id, unit.id)) for m in page.items]
        )
    rows += pager(page, lambda n: ctx.button(routes.MEMBERS, unit.id, n))
    rows.append(_back(ctx, routes.TEAM, unit.id))
    return _lines(*lines, page_line(tr, page)), buttons(*rows)


def leaders(ctx: Ctx, unit: Team, page: Page[Member], *, note: str | None = None) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    lines = [note, _("👷 Team leaders of {team}").format(team=esc(unit.name))]
    if not page.total:
        lines.append(
            _("No team leader yet. Pick a member, or send a leader invite to someone new.")
        )
    lines += [f"• {esc(m.display_name)}" for m in page.items]
    rows = column(
        [
            (
                tr.pgettext("remove a team leader", "✖️ Remove {name}").format(name=m.display_name),
                ctx.button(routes.REMOVE_LEADER, m.id, unit.id),
            )
            for m in page.items
        ]
    )
    rows += pager(page, lambda n: ctx.button(routes.LEADERS, unit.id, n))
    rows.append([(_("➕ Pick from the members"), ctx.button(routes.PICK_LEADER, unit.id, 0))])
    rows.append([(_("✉️ Leader invite"), ctx.button(routes.LEADER_INVITE, unit.id))])
    rows.append(_back(ctx, routes.TEAM, unit.id))
    return _lines(*lines, page_line(tr, page)), buttons(*rows)


def pick_leader(ctx: Ctx, unit: Team, page: Page[Member]) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    if page.total:
        text = _lines(
            _("Who should lead {team}?").format(team=team_label(unit)), page_line(tr, page)
        )
    else:
        text = _("Nobody has joined this team yet. Send a leader invite instead.")
    rows = column(
        [
            (
                _("⭐ {name}").format(name=m.display_name) if m.leads_team else m.display_name,
                ctx.button(routes.ASSIGN_LEADER, m.id, unit.id),
            )
            for m in page.items
        ]
    )
    rows += pager(page, lambda n: ctx.button(routes.PICK_LEADER, unit.id, n))
    rows.append(_back(ctx, routes.LEADERS, unit.id, 0))
    return text, buttons(*rows)


def member(ctx: Ctx, person: Member, back: int, *, is_admin: bool) -> Screen:
    """One person, with what an admin can change.

    `back` is where ⬅️ returns: a team's member list (its id), or a page of search
    results (0 for the first page, -n for page n).
    """
    _, tr = ctx.tr.gettext, ctx.tr
    lines = [
        _("👤 {name}").format(name=esc(person.display_name)),
        _("Team: {team}").format(team=member_team_label(person))
        if person.team_id
        else _("Team: none"),
        _("Temporary staff") if person.is_temporary else _("Regular staff"),
        _("Joined Shiftmate: {date}").format(date=tr.date(person.created_at)),
    ]
    if person.leads_team:
        lines.append(_("⭐ Leads this team."))
    if is_admin:
        lines.append(_("🛡 Is an admin."))
    if not person.reachable:
        lines.append(_("🚫 Cannot be reached: they blocked Shiftmate or deleted their account."))
    rows: list[list[Button]] = []
    if person.team_id:
        rows.append(
            [
                (
                    _("✖️ No longer team leader") if person.leads_team else _("⭐ Make team leader"),
                    ctx.button(routes.SET_LEADER, person.id, back, 0 if person.leads_team else 1),
                )
            ]
        )
    rows.append(
        [
            (
                _("Change to regular staff")
                if person.is_temporary
                else _("Change to temporary staff"),
                ctx.button(routes.SET_TEMPORARY, person.id, back, 0 if person.is_temporary else 1),
            )
        ]
    )
    if person.telegram_id not in ctx.services.settings.admins:
        rows.append(
            [
                (
                    _("✖️ Take away admin rights") if is_admin else _("🛡 Make admin"),
                    ctx.button(routes.SET_ADMIN, person.id, back, 0 if is_admin else 1),
                )
            ]
        )
    if person.team_id:
        rows.append(
            [(_("🚪 Remove from the team"), ctx.button(routes.REMOVE_MEMBER_ASK, person.id, back))]
        )
    if back > 0:
        rows.append(_back(ctx, routes.MEMBERS, back, 0))
    else:
        rows.append(_back(ctx, routes.FIND_PAGE, -back))
    return _lines(*lines), buttons(*rows)


def admins(ctx: Ctx, configured: list[Member], page: Page[Member], missing: int) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    lines = [_("🛡 Admins")]
    lines += [_("• {name} (set by the plant)").format(name=esc(m.display_name)) for m in configured]
    if missing > 0:
        lines.append(
            tr.ngettext(
                "• {n} more admin set by the plant has not opened Shiftmate yet",
                "• {n} more admins set by the plant have not opened Shiftmate yet",
                missing,
            ).format(n=tr.number(missing))
        )
    lines += [f"• {esc(m.display_name)}" for m in page.items]
    lines.append(_("To make someone an admin, find them with 🔍, then tap their name."))
    rows = column(
        [
            (
                tr.pgettext("remove an admin", "✖️ Remove {name}").format(name=m.display_name),
                ctx.button(routes.REMOVE_ADMIN, m.id),
            )
            for m in page.items
        ]
    )
    rows += pager(page, lambda n: ctx.button(routes.ADMINS, n))
    rows.append([(_("🔍 Find a person"), ctx.button(routes.FIND))])
    rows.append(_back(ctx, routes.ADMIN_HOME))
    return _lines(*lines, page_line(tr, page)), buttons(*rows)


def found(ctx: Ctx, query: str, team_total: int, page: Page[Team | Member]) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    people_total = page.total - team_total
    if page.total:
        text = _lines(
            _("🔍 “{query}”: {teams}, {people}").format(
                query=esc(query),
                teams=teams_count(tr, team_total),
                people=tr.ngettext("{n} person", "{n} people", people_total).format(
                    n=tr.number(people_total)
                ),
            ),
            page_line(tr, page),
        )
    else:
        text = _("🔍 Nothing matches “{query}”.\nTry a shorter part of the name.").format(
            query=esc(query)
        )
    rows: list[list[Button]] = []
    for item in page.items:
        if isinstance(item, Team):
            label = _("👥 {team}").format(team=f"{item.name} · {item.workshop_name}")
            rows.append([(label, ctx.button(routes.TEAM, item.id))])
        else:
            where = f"{item.team_name} · {item.workshop_name}" if item.team_id else _("no team")
            rows.append(
                [
                    (
                        _("👤 {name} ({team})").format(name=item.display_name, team=where),
                        ctx.button(routes.MEMBER, item.id, -page.number),
                    )
                ]
            )
    rows += pager(page, lambda n: ctx.button(routes.FIND_PAGE, n))
    rows.append([(_("🔍 Search again"), ctx.button(routes.FIND))])
    rows.append(_back(ctx, routes.ADMIN_HOME))
    return text, buttons(*rows)


def my_teams(ctx: Ctx, page: Page[Team]) -> Screen:
    """The teams a leader leads, to pick one."""
    text = _lines(ctx.tr.gettext("👥 Which team?"), page_line(ctx.tr, page))
    rows = column(
        [(f"{t.name} · {t.workshop_name}", ctx.button(routes.TEAM, t.id)) for t in page.items]
    )
    rows += pager(page, lambda n: ctx.button(routes.MY_TEAMS, n))
    return text, buttons(*rows)


def confirm(ctx: Ctx, text: str, yes: Button, no: Button) -> Screen:
    return text, buttons([yes], [no])


def cancel_button(ctx: Ctx, route: Route, *args: int) -> Button:
    return ctx.tr.gettext("Cancel"), ctx.button(route, *args)


def invite_caption(ctx: Ctx, unit: Team, link: str, until: str) -> str:
    _ = ctx.tr.gettext
    return _lines(
        _("🔗 Invite QR code for {team}").format(team=team_label(unit)),
        link,
        _(
            "Valid until {date}. Print this picture and put it up where the team gathers, or forward this message to the team."
        ).format(date=until),
    )
