-- Member ids are never given out again, and an invite remembers why it stopped working.
--
-- A member who deletes their data leaves no row behind; without AUTOINCREMENT
-- SQLite would give the next newcomer the same id, and records that mention it
-- (attendance, answers, acknowledgements) could attach one person's history to
-- another. SQLite cannot add AUTOINCREMENT to a table, so the table is rebuilt
-- (SQLite's documented procedure; the runner switches foreign keys off around it
-- and checks them before committing).

CREATE TABLE members_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    telegram_id       INTEGER NOT NULL UNIQUE,
    display_name      TEXT NOT NULL,
    locale            TEXT,      -- chosen in the bot; NULL follows Telegram's language
    language_code     TEXT,      -- what Telegram last reported for the user
    role              TEXT NOT NULL DEFAULT 'worker' CHECK (role IN ('worker', 'leader', 'admin')),
    is_temporary      INTEGER NOT NULL DEFAULT 0 CHECK (is_temporary IN (0, 1)),
    created_at        TEXT NOT NULL,
    reachable         INTEGER NOT NULL DEFAULT 1 CHECK (reachable IN (0, 1)),
    unreachable_since TEXT
) STRICT;
INSERT INTO members_new (id, telegram_id, display_name, locale, language_code, role,
                         is_temporary, created_at, reachable, unreachable_since)
     SELECT id, telegram_id, display_name, locale, language_code, role,
            is_temporary, created_at, reachable, unreachable_since
       FROM members;
DROP TABLE members;
ALTER TABLE members_new RENAME TO members;
CREATE INDEX members_by_name ON members (display_name);

-- 'replaced': a newer poster was made; 'withdrawn': a leader or admin stopped it;
-- 'team_closed': its team was closed. NULL while it still works.
ALTER TABLE invites ADD COLUMN revoked_reason TEXT
    CHECK (revoked_reason IN ('replaced', 'withdrawn', 'team_closed'));
-- Invites stopped before this migration: a newer invite made at that moment
-- replaced it, a team closed at that moment took it along, else it was withdrawn.
UPDATE invites SET revoked_reason = CASE
    WHEN EXISTS (SELECT 1 FROM teams t
                  WHERE t.id = invites.team_id AND t.archived_at = invites.revoked_at)
        THEN 'team_closed'
    WHEN EXISTS (SELECT 1 FROM invites newer
                  WHERE newer.team_id = invites.team_id AND newer.kind = invites.kind
                    AND newer.created_at = invites.revoked_at)
        THEN 'replaced'
    ELSE 'withdrawn' END
 WHERE revoked_at IS NOT NULL;
