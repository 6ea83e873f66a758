-- Anonymous concerns (journey 3). Nothing in these tables names a person or
-- points to one: no Telegram id, chat, message id or name; days, never times; a
-- unit of at least k members; ids drawn at random, so neither an id nor the
-- order of the rows is the order in which concerns arrived.

CREATE TABLE concerns (
    id            INTEGER PRIMARY KEY,  -- random, below 2^53
    day           TEXT NOT NULL,        -- the local date it arrived
    category      TEXT NOT NULL,        -- an id from content/concerns/categories.yaml
    unit_kind     TEXT NOT NULL CHECK (unit_kind IN ('team', 'workshop', 'plant')),
    unit_id       INTEGER NOT NULL,     -- 0 for the plant
    urgent        TEXT NOT NULL DEFAULT '',  -- urgent kinds it matched, comma-separated
    due_on        TEXT,                 -- urgent ones: the day an answer is due
    status        TEXT NOT NULL DEFAULT 'new'
                  CHECK (status IN ('new', 'in_progress', 'answered', 'closed')),
    sentiment     REAL NOT NULL DEFAULT 0,   -- -1 … 1, scored on arrival
    answered_on   TEXT,                 -- the day of the first answer
    awaiting      INTEGER NOT NULL DEFAULT 1 CHECK (awaiting IN (0, 1)),  -- worker spoke last
    alerts_due    INTEGER NOT NULL DEFAULT 0 CHECK (alerts_due IN (0, 1)), -- admins not yet alerted
    receipt_salt  BLOB NOT NULL,        -- the reply key itself lives only in the worker's chat
    receipt_hash  BLOB NOT NULL,        -- SHA-256 of salt and key
    notify_sealed BLOB                  -- where to say "a reply is waiting", sealed; until the next answer
) STRICT;

CREATE INDEX concerns_by_status ON concerns (status, day);
CREATE INDEX concerns_by_day ON concerns (day);

-- The thread: the concern itself (position 1), then answers and the worker's follow-ups.
CREATE TABLE concern_messages (
    concern_id INTEGER NOT NULL REFERENCES concerns (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    author     TEXT NOT NULL CHECK (author IN ('worker', 'admin')),
    day        TEXT NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (concern_id, position)
) STRICT, WITHOUT ROWID;

-- "A reply is waiting" notices, sealed, with nothing that says for which concern.
CREATE TABLE concern_notices (
    id     INTEGER PRIMARY KEY,  -- random
    sealed BLOB NOT NULL
) STRICT;

-- Daily limits: a tag per person and day, keyed with that day's random key. The key
-- and the tags are deleted when the day is over, so nobody can link them afterwards.
CREATE TABLE concern_limit_keys (
    day TEXT PRIMARY KEY,
    key BLOB NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE concern_limits (
    day   TEXT NOT NULL,
    tag   BLOB NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, tag)
) STRICT, WITHOUT ROWID;

-- New records waiting to be pushed to the external analysis system (when one is set).
CREATE TABLE concern_outbox (
    concern_id INTEGER PRIMARY KEY REFERENCES concerns (id) ON DELETE CASCADE,
    attempts   INTEGER NOT NULL DEFAULT 0
) STRICT;
