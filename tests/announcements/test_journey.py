"""Journey 5 end to end: compose, preview, send through the outbox, read receipts, a
reminder, correcting, recalling; and the bad inputs the issue names."""

from __future__ import annotations

from datetime import timedelta

from bot.announcements.service import Announcements
from bot.clock import FakeClock
from bot.config import Settings
from bot.db.announcements import Audience
from bot.fake_telegram.users import Person
from bot.sim.harness import Harness
from tests.concerns.helpers import admin_at_hand, team_of
from tests.conftest import ADMIN_ID
from tests.helpers import make_team, on_virtual_time
from tests.onboarding.test_join import joined


async def table_count(harness: Harness, table: str) -> int:
    row = await harness.services.db.fetch_one(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed names
    return int(row[0]) if row else 0


async def compose(admin: Person, text: str) -> None:
    await admin.send("/announcements")
    await admin.tap("New notice")
    await admin.send(text)


async def test_an_announcement_to_everyone_with_read_receipts_a_reminder_a_correction(
    harness: Harness, clock: FakeClock
) -> None:
    admin = await admin_at_hand(harness)
    workers = await team_of(harness, [101, 102, 103])
    await compose(admin, "The canteen is closed on Friday for cleaning.")
    draft = admin.bot_messages()[-1]
    assert "To: everyone · 4 people" in (draft.text or "")
    await admin.tap("Ask for “I have read it”")
    await admin.tap("Preview")
    preview = admin.bot_messages()[-2]
    assert preview.text == "The canteen is closed on Friday for cleaning."
    assert any("I have read it" in b["text"] for b in preview.buttons)
    assert "Send it to 4 people?" in (admin.bot_messages()[-1].text or "")
    await admin.tap("Yes, send it")
    await harness.quiet()
    for worker in workers:
        got = worker.bot_messages()[-1]
        assert got.text == "The canteen is closed on Friday for cleaning."
    status = next(m for m in reversed(admin.bot_messages()) if "Notice" in (m.text or ""))
    assert "Sent to 4 of 4 people" in (status.text or "")
    assert await table_count(harness, "outbox") == 4

    # "I have read it", tapped twice, counts once.
    first = await workers[0].tap("I have read it")
    assert "marked as read" in (first.alert or first.text or "")
    await workers[0].tap("Read")
    assert await table_count(harness, "announcement_acks") == 1
    mine = await workers[0].send("/mydata")
    assert "You have tapped “I have read it” on 1 notice." in mine.text

    # A day later, one reminder to those who have not read it (not to worker 101).
    clock.advance(timedelta(hours=25))
    await harness.tick()
    await harness.tick()
    reminded = [w for w in workers if "Reminder" in (w.bot_messages()[-1].text or "")]
    assert [w.user.id for w in reminded] == [102, 103]

    # Corrected in every chat.
    await admin.send("/announcements")
    await admin.tap("sent")
    await admin.tap("Correct it everywhere")
    await admin.send("The canteen is closed on Saturday for cleaning.")
    await harness.quiet()
    for worker in workers:
        texts = [m.text or "" for m in worker.bot_messages()]
        assert "The canteen is closed on Saturday for cleaning." in texts
        assert "The canteen is closed on Friday for cleaning." not in texts
    corrected = next(m for m in workers[0].bot_messages() if "Saturday" in (m.text or ""))
    assert [b["text"] for b in corrected.buttons] == ["✅ Read"]  # read before: still read
    unread = next(m for m in workers[1].bot_messages() if "Saturday" in (m.text or ""))
    assert [b["text"] for b in unread.buttons] == ["✅ I have read it"]


async def test_an_announcement_to_one_team_is_recalled(harness: Harness) -> None:
    admin = await admin_at_hand(harness)
    team_a = await team_of(harness, [111, 112], team="A")
    link_b = await make_team(harness, "Salt", "B")
    other = await joined(harness, 113, link_b)
    await compose(admin, "Team A: meeting at 14:00 by pan 3.")
    await admin.tap("Who gets it")
    await admin.tap("Chosen teams")
    await admin.tap("A · Salt")
    await admin.tap("Done")
    assert "2 people" in (admin.bot_messages()[-1].text or "")
    await admin.tap("Preview")
    await admin.tap("Yes, send it")
    await harness.quiet()
    assert all("meeting at 14:00" in (w.bot_messages()[-1].text or "") for w in team_a)
    assert not any("meeting" in (m.text or "") for m in other.bot_messages())
    await admin.send("/announcements")
    await admin.tap("sent")
    await admin.tap("Recall it everywhere")
    await admin.tap("Yes, recall it")
    await harness.quiet()
    for worker in team_a:
        assert not any("meeting at 14:00" in (m.text or "") for m in worker.bot_messages())


async def test_bad_inputs_get_a_clear_reply_and_store_nothing(harness: Harness) -> None:
    admin = await admin_at_hand(harness)
    (worker,) = await team_of(harness, [121])
    # A non-admin.
    refused = await worker.send("/announcements")
    assert "Only admins" in refused.text or "don't know that command" in refused.text
    await admin.send("/announcements")
    await admin.tap("New notice")
    # A caption over what a bot may send (Premium apps let people type 4,096): refused
    # with the reason, never cut.
    too_long = await admin.send_photo(caption="长" * 1025)
    assert "1,025 characters; Telegram allows 1,024" in too_long.text
    # An empty announcement: a photo without words.
    empty = await admin.send_photo()
    assert "A notice needs words" in empty.text
    # An unsupported attachment: a sticker, a spreadsheet.
    sticker = await admin.send_sticker()
    assert "text, one photo or one PDF" in sticker.text
    sheet = await admin.send_document("rota.xlsx", "application/vnd.ms-excel", caption="Rota")
    assert "text, one photo or one PDF" in sheet.text
    # A PDF with its caption is taken.
    pdf = await admin.send_document("rules.pdf", "application/pdf", caption="New dorm rules")
    assert "With: a PDF" in pdf.text
    # An audience of zero: a language nobody reads.
    await admin.tap("Who gets it")
    await admin.tap("繁體中文")
    assert "0 people" in (admin.bot_messages()[-1].text or "")
    await admin.tap("Preview")
    nobody = await admin.tap("Yes, send it")
    assert "Nobody is in this audience" in (nobody.alert or "")
    # A scheduled time in the past.
    await admin.tap("Change something")
    await admin.tap("Send later")
    past = await admin.send("2020-01-01 07:30")
    assert "already passed" in past.text
    assert await table_count(harness, "announcements") == 0
    assert await table_count(harness, "outbox") == 0


async def test_two_admins_compose_at_once_without_seeing_each_others_drafts(
    harness: Harness,
) -> None:
    first = await admin_at_hand(harness)
    _worker, second = await team_of(harness, [131, 132])
    member = await harness.services.members.by_telegram_id(132)
    assert member is not None
    from bot.models import Role

    await harness.services.members.set_role(member.id, Role.ADMIN)
    await compose(first, "From the first admin.")
    await compose(second, "From the second admin.")
    await first.tap("Preview")
    assert first.bot_messages()[-2].text == "From the first admin."
    await second.tap("Preview")
    assert second.bot_messages()[-2].text == "From the second admin."
    await first.tap("Yes, send it")
    await second.tap("Yes, send it")
    await harness.quiet()
    assert await table_count(harness, "announcements") == 2


async def test_pinned_in_the_linked_group_of_each_team(harness: Harness) -> None:
    admin = await admin_at_hand(harness)
    await team_of(harness, [141])
    group = harness.fake.add_group(-100777, "Shift A chat", bot_is_admin=True)
    team = (await harness.services.org.all_teams())[0]
    await harness.services.db.execute(
        "UPDATE teams SET group_chat_id = ? WHERE id = ?", (group.id, team.id)
    )
    await compose(admin, "Fire drill at 10:00 tomorrow.")
    await admin.tap("Pin in the teams' group chats")
    await admin.tap("Preview")
    await admin.tap("Yes, send it")
    await harness.quiet()
    in_group = [m for m in group.messages.values() if m.text == "Fire drill at 10:00 tomorrow."]
    assert len(in_group) == 1 and group.pinned == [in_group[0].message_id]


async def test_each_reader_gets_their_language_and_a_later_notice_goes_at_its_time(
    harness: Harness, clock: FakeClock
) -> None:
    admin = await admin_at_hand(harness)
    (english,) = await team_of(harness, [151])
    link = await make_team(harness, "Salt", "B")
    chinese = harness.person(152, "Wei", language_code="zh-hans")
    await chinese.open_link(link)
    await chinese.tap("简体中文")
    await chinese.tap("使用")
    await chinese.tap("正式工")
    await compose(admin, "周五食堂停业清洁。")
    await admin.tap("Version for English")
    await admin.send("The canteen is closed on Friday for cleaning.")
    draft = admin.bot_messages()[-1].text or ""
    assert "Own versions for: English" in draft
    await admin.tap("Send later")
    when = (clock.now() + timedelta(hours=2)).astimezone(harness.services.settings.timezone)
    await admin.send(when.strftime("%Y-%m-%d %H:%M"))
    await admin.tap("Preview")
    previews = [m.text for m in admin.bot_messages()[-4:]]
    assert "周五食堂停业清洁。" in previews
    assert "The canteen is closed on Friday for cleaning." in previews
    scheduled = await admin.tap("Yes, send it")
    assert "Scheduled for" in scheduled.text
    await harness.tick()
    assert not any("canteen" in (m.text or "") for m in english.bot_messages())
    clock.advance(timedelta(hours=2, minutes=1))
    await harness.tick()
    assert english.bot_messages()[-1].text == "The canteen is closed on Friday for cleaning."
    assert chinese.bot_messages()[-1].text == "周五食堂停业清洁。"


async def test_the_read_button_works_after_a_restart_and_the_list_pages(
    settings: Settings, clock: FakeClock
) -> None:
    shared = on_virtual_time()
    async with Harness(settings, clock=clock, jobs=False, **shared) as first:
        admin = await admin_at_hand(first)
        (worker,) = await team_of(first, [161])
        await compose(admin, "Safety walk on Thursday.")
        await admin.tap("Ask for “I have read it”")
        await admin.tap("Preview")
        await admin.tap("Yes, send it")
        await first.quiet()
        received = worker.bot_messages()[-1]
        assert received.text == "Safety walk on Thursday."
    async with Harness(settings, clock=clock, jobs=False, **shared) as second:
        worker = second.person(161, "W")
        again = await worker.tap("I have read it", received)
        assert "marked as read" in (again.alert or "")
        assert await table_count(second, "announcement_acks") == 1
        repo = second.services.get(Announcements).repo
        for n in range(9):
            await repo.create(
                author_id=None,
                texts={"": f"Notice {n}"},
                attachment=None,
                file_id=None,
                ask_ack=False,
                pin=False,
                audience=Audience("everyone"),
                send_at=clock.now() + timedelta(days=1),
                remind_after_s=None,
            )
        admin = second.person(ADMIN_ID, "Fang")
        listing = await admin.send("/announcements")
        assert "Page 1 of 2" in listing.text
        turned = await admin.tap("▶️")
        assert "Page 2 of 2" in turned.text
