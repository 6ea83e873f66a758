-- Policy questions (journey 4): what workers asked that had no good answer, the votes on
-- answers, questions passed on to the admins, and what the admins taught the FAQ.

-- Questions without a good answer, and answers voted 👎: for the content curators. The
-- asker is not kept (curators need the words, not the person); the day, not the time.
CREATE TABLE faq_gaps (
    id         INTEGER PRIMARY KEY,
    day        TEXT NOT NULL,
    locale     TEXT NOT NULL,
    text       TEXT NOT NULL,
    reason     TEXT NOT NULL CHECK (reason IN ('unanswered', 'uncertain', 'down_voted')),
    best_entry TEXT,            -- the engine's best guess, if any
    resolved   INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
) STRICT;

CREATE INDEX faq_gaps_open ON faq_gaps (resolved, day);

-- 👍 / 👎 per entry and day, counted.
CREATE TABLE faq_votes (
    entry_id TEXT NOT NULL,
    day      TEXT NOT NULL,
    up       INTEGER NOT NULL DEFAULT 0,
    down     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entry_id, day)
) STRICT, WITHOUT ROWID;

-- A question passed on openly: the admins see who asked, and the answer goes back to them.
CREATE TABLE faq_handoffs (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    asked_at    TEXT NOT NULL,
    locale      TEXT NOT NULL,
    text        TEXT NOT NULL,
    answer      TEXT,
    answered_at TEXT,
    answered_by INTEGER REFERENCES members (id) ON DELETE SET NULL,
    learned_as  TEXT           -- the FAQ entry it became, or the entry it is a phrasing of
) STRICT;

CREATE INDEX faq_handoffs_open ON faq_handoffs (answered_at, asked_at);

-- What admins taught the FAQ in the bot: new entries from answered questions, and new
-- phrasings of existing entries. They are read with the content files at every load.
CREATE TABLE faq_learned (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('entry', 'phrasing')),
    entry_id   TEXT NOT NULL,   -- the new entry's id, or the entry the phrasing belongs to
    locale     TEXT NOT NULL,
    question   TEXT NOT NULL,
    answer     TEXT,            -- new entries only
    added_at   TEXT NOT NULL,
    added_by   INTEGER REFERENCES members (id) ON DELETE SET NULL
) STRICT;
