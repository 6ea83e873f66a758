-- Pre-shift study: shift schedules, sessions, who took them, every answer, anonymous moods.

-- A team's group chat, once its team leader has linked it: start notices and summaries go there too.
ALTER TABLE teams ADD COLUMN group_chat_id INTEGER;

CREATE TABLE shift_schedules (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id      INTEGER NOT NULL REFERENCES teams (id),
    weekdays     INTEGER NOT NULL CHECK (weekdays BETWEEN 1 AND 127),  -- bit 0 Monday … bit 6 Sunday
    shift_at     TEXT NOT NULL,     -- 'HH:MM', the shift's start in BOT_TIMEZONE
    lead_minutes INTEGER NOT NULL CHECK (lead_minutes BETWEEN 0 AND 240),  -- study starts this long before
    created_at   TEXT NOT NULL,
    removed_at   TEXT
) STRICT;
CREATE INDEX shift_schedules_by_team ON shift_schedules (team_id, removed_at);

CREATE TABLE study_sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id       INTEGER NOT NULL REFERENCES teams (id),
    day           TEXT NOT NULL,     -- the plant's local date the session belongs to
    module_id     TEXT NOT NULL,     -- today's lesson for the team (new members may get a basic one)
    opened_at     TEXT NOT NULL,
    closes_at     TEXT NOT NULL,     -- the end of the window; later the same day counts as late
    closed_at     TEXT,              -- the window closed: the summary went out
    finished_at   TEXT,              -- the day is over: who had not done it is absent
    started_by    INTEGER REFERENCES members (id) ON DELETE SET NULL,  -- NULL: by the schedule
    schedule_id   INTEGER REFERENCES shift_schedules (id),
    reminded_at   TEXT,              -- the reminder before the window closes went out
    status_at     TEXT,              -- when the status messages were last brought up to date
    status_stale  INTEGER NOT NULL DEFAULT 0 CHECK (status_stale IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX study_sessions_one_open ON study_sessions (team_id) WHERE closed_at IS NULL;
CREATE INDEX study_sessions_unfinished ON study_sessions (finished_at, closes_at);

-- Every scheduled start the bot has dealt with: started, missed (the leader was told), or busy
-- (a session was already open), so a restart never starts one twice.
CREATE TABLE schedule_runs (
    schedule_id   INTEGER NOT NULL REFERENCES shift_schedules (id),
    occurrence_at TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('started', 'missed', 'busy', 'empty')),
    session_id    INTEGER REFERENCES study_sessions (id),
    PRIMARY KEY (schedule_id, occurrence_at)
) STRICT;

-- The live status message of each team leader (and the team's group), edited in place.
CREATE TABLE session_status_messages (
    session_id INTEGER NOT NULL REFERENCES study_sessions (id),
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (session_id, chat_id)
) STRICT;

CREATE TABLE attendance (
    session_id   INTEGER NOT NULL REFERENCES study_sessions (id),
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'started', 'done', 'late', 'absent', 'in_person', 'left')),
    module_id    TEXT NOT NULL,
    questions    TEXT NOT NULL,     -- JSON: [[question id, [option order shown]], …]
    message_id   INTEGER,           -- the worker's session message, edited at every step
    delivered_at TEXT,
    started_at   TEXT,
    finished_at  TEXT,
    reminded_at  TEXT,
    mood_given   INTEGER NOT NULL DEFAULT 0 CHECK (mood_given IN (0, 1)),  -- whether, never which
    PRIMARY KEY (session_id, member_id)
) STRICT;
CREATE INDEX attendance_by_member ON attendance (member_id, status);

CREATE TABLE answers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES study_sessions (id),
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    position    INTEGER NOT NULL,   -- 1 for the first question of the worker's session
    chosen      INTEGER NOT NULL,   -- the option's place in the content file, from 0
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answered_at TEXT NOT NULL,
    UNIQUE (session_id, member_id, question_id)  -- the first answer counts
) STRICT;
CREATE INDEX answers_by_member ON answers (member_id, question_id);

-- Spaced repetition: a question a worker got wrong comes back on a later day, at growing
-- intervals, until they answer it right.
CREATE TABLE reviews (
    member_id     INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    due_on        TEXT NOT NULL,    -- a local date
    interval_days INTEGER NOT NULL,
    PRIMARY KEY (member_id, question_id)
) STRICT;

-- How do you feel today, counted and never recorded one by one: no person, no time but the
-- day, and a unit of at least k members (a smaller team counts in its workshop, or the plant).
CREATE TABLE mood_counts (
    day       TEXT NOT NULL,
    unit_kind TEXT NOT NULL CHECK (unit_kind IN ('team', 'workshop', 'plant')),
    unit_id   INTEGER NOT NULL,     -- 0 for the plant
    mood      INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
    taps      INTEGER NOT NULL,
    PRIMARY KEY (day, unit_kind, unit_id, mood)
) STRICT, WITHOUT ROWID;
