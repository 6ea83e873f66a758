-- The organisation the plant runs on: workshops, teams, members, leaders and invites.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE workshops (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    archived_at TEXT
) STRICT;
CREATE UNIQUE INDEX workshops_active_name ON workshops (name) WHERE archived_at IS NULL;

CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    workshop_id INTEGER NOT NULL REFERENCES workshops (id),
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    archived_at TEXT
) STRICT;
CREATE UNIQUE INDEX teams_active_name ON teams (workshop_id, name) WHERE archived_at IS NULL;

CREATE TABLE members (
    id                INTEGER PRIMARY KEY,
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

-- Who was in which team when: a move closes one row and opens another, so
-- participation can later be counted against the team a worker was in that day.
CREATE TABLE memberships (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    team_id   INTEGER NOT NULL REFERENCES teams (id),
    joined_at TEXT NOT NULL,
    left_at   TEXT
) STRICT;
CREATE UNIQUE INDEX memberships_current ON memberships (member_id) WHERE left_at IS NULL;
CREATE INDEX memberships_by_team ON memberships (team_id, left_at);

CREATE TABLE team_leaders (
    team_id     INTEGER NOT NULL REFERENCES teams (id),
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (team_id, member_id)
) STRICT;
CREATE INDEX team_leaders_by_member ON team_leaders (member_id);

CREATE TABLE invites (
    id         INTEGER PRIMARY KEY,
    token      TEXT NOT NULL UNIQUE,
    team_id    INTEGER NOT NULL REFERENCES teams (id),
    kind       TEXT NOT NULL CHECK (kind IN ('member', 'leader')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    used_at    TEXT
) STRICT;
CREATE INDEX invites_by_team ON invites (team_id, kind, revoked_at);

-- Where an unfinished dialog stands (python-telegram-bot's conversation
-- persistence), so a restart resumes it instead of stranding the user.
CREATE TABLE conversation_states (
    handler TEXT NOT NULL,
    key     TEXT NOT NULL,
    state   TEXT NOT NULL,
    PRIMARY KEY (handler, key)
) STRICT;

CREATE TABLE dialog_data (
    telegram_id INTEGER PRIMARY KEY,
    data        TEXT NOT NULL
) STRICT;
