-- Announcements (journey 5) and the outbox every bulk send goes through.

-- One row per message to send, edit, pin or delete. Written in one transaction
-- before the first send; a row leaves 'queued' only once Telegram has answered, so a
-- restart sends again at most what was in flight at the kill.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,            -- who queued it: 'announcement', …
    ref        INTEGER NOT NULL,         -- that feature's own id (the announcement)
    op         TEXT NOT NULL CHECK (op IN ('send', 'remind', 'edit', 'delete', 'pin')),
    chat_id    INTEGER NOT NULL,
    member_id  INTEGER REFERENCES members (id) ON DELETE SET NULL,
    target     INTEGER,                  -- edit, delete, pin: the message in that chat
    state      TEXT NOT NULL DEFAULT 'queued'
               CHECK (state IN ('queued', 'done', 'failed', 'blocked', 'cancelled')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    due_at     TEXT NOT NULL,            -- not before (retries back off)
    message_id INTEGER,                  -- what Telegram answered for a send
    done_at    TEXT,
    error      TEXT
) STRICT;

CREATE INDEX outbox_due ON outbox (state, due_at, id);
CREATE INDEX outbox_of ON outbox (kind, ref, op, state);

CREATE TABLE announcements (
    id                INTEGER PRIMARY KEY,
    author_id         INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    state             TEXT NOT NULL
                      CHECK (state IN ('scheduled', 'sending', 'sent', 'cancelled', 'recalled')),
    send_at           TEXT NOT NULL,     -- when it goes (now, or the time chosen)
    started_at        TEXT,
    finished_at       TEXT,
    attachment        TEXT CHECK (attachment IN ('photo', 'pdf')),
    file_id           TEXT,
    ask_ack           INTEGER NOT NULL DEFAULT 0 CHECK (ask_ack IN (0, 1)),
    pin               INTEGER NOT NULL DEFAULT 0 CHECK (pin IN (0, 1)),
    audience          TEXT NOT NULL,     -- JSON: {"kind": …, "ids": […]}
    recipients        INTEGER NOT NULL DEFAULT 0,
    status_chat       INTEGER,           -- the author's progress message
    status_message    INTEGER,
    remind_after_s    INTEGER,           -- one reminder to those who have not acknowledged
    reminded_at       TEXT,
    corrected_at      TEXT
) STRICT;

CREATE INDEX announcements_by_state ON announcements (state, send_at);

-- The text in each language written; locale '' is the one everybody else gets.
CREATE TABLE announcement_texts (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    locale          TEXT NOT NULL,
    html            TEXT NOT NULL,
    PRIMARY KEY (announcement_id, locale)
) STRICT, WITHOUT ROWID;

-- "I have read it": one row per person, so a double tap counts once.
CREATE TABLE announcement_acks (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    member_id       INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    at              TEXT NOT NULL,
    PRIMARY KEY (announcement_id, member_id)
) STRICT, WITHOUT ROWID;
