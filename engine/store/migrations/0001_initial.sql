-- Reflex store, schema version 1: the whole product's tables (many start empty).
-- Times are ISO-8601 UTC text; JSON columns hold small structured values.

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    provider TEXT NOT NULL,
    address TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'connected',
    last_sync_at TEXT,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE sync_cursors (
    account TEXT NOT NULL,
    stream TEXT NOT NULL,
    value TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account, stream)
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    organization TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    thread_key TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    last_message_at TEXT,
    UNIQUE (account, thread_key)
);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    thread_id INTEGER NOT NULL REFERENCES threads(id),
    subject TEXT NOT NULL DEFAULT '',
    sender_email TEXT NOT NULL DEFAULT '',
    sender_name TEXT NOT NULL DEFAULT '',
    sent_at TEXT,
    body_text TEXT NOT NULL DEFAULT '',
    snippet TEXT NOT NULL DEFAULT '',
    is_read INTEGER NOT NULL DEFAULT 1,
    headers_json TEXT NOT NULL DEFAULT '{}',
    attachments_json TEXT NOT NULL DEFAULT '[]',
    message_id_header TEXT NOT NULL DEFAULT '',
    in_reply_to TEXT NOT NULL DEFAULT '',
    UNIQUE (account, provider_id)
);
CREATE INDEX messages_thread ON messages(thread_id);
CREATE INDEX messages_sent_at ON messages(sent_at);
CREATE INDEX messages_sender ON messages(sender_email);

CREATE TABLE message_participants (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    role TEXT NOT NULL,  -- from | to | cc
    email TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (message_id, role, email)
) WITHOUT ROWID;
CREATE INDEX participants_email ON message_participants(email);

CREATE TABLE message_labels (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    PRIMARY KEY (message_id, label)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE messages_fts USING fts5(
    subject, body_text, sender_name, content='messages', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, subject, body_text, sender_name)
    VALUES (new.id, new.subject, new.body_text, new.sender_name);
END;
CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, subject, body_text, sender_name)
    VALUES ('delete', old.id, old.subject, old.body_text, old.sender_name);
END;
CREATE TRIGGER messages_au AFTER UPDATE OF subject, body_text, sender_name ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, subject, body_text, sender_name)
    VALUES ('delete', old.id, old.subject, old.body_text, old.sender_name);
    INSERT INTO messages_fts(rowid, subject, body_text, sender_name)
    VALUES (new.id, new.subject, new.body_text, new.sender_name);
END;

CREATE TABLE calendars (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    UNIQUE (account, provider_id)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    calendar TEXT NOT NULL DEFAULT 'primary',
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    all_day INTEGER NOT NULL DEFAULT 0,
    organizer TEXT NOT NULL DEFAULT '',
    conference_url TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'confirmed',
    recurring_id TEXT NOT NULL DEFAULT '',
    UNIQUE (account, provider_id)
);
CREATE INDEX events_start ON events(start_at);

CREATE TABLE event_attendees (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    email TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    response TEXT NOT NULL DEFAULT 'needsAction',
    organizer INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, email)
) WITHOUT ROWID;

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    ended_at TEXT,
    event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
    source TEXT NOT NULL DEFAULT 'recording',
    language TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'new',
    attendees_json TEXT NOT NULL DEFAULT '[]',
    summary TEXT NOT NULL DEFAULT '',
    notes_json TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE transcript_segments (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    start REAL NOT NULL,
    "end" REAL NOT NULL,
    speaker TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL
);
CREATE INDEX segments_meeting ON transcript_segments(meeting_id, start);

CREATE VIRTUAL TABLE segments_fts USING fts5(
    text, speaker, content='transcript_segments', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER segments_ai AFTER INSERT ON transcript_segments BEGIN
    INSERT INTO segments_fts(rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
CREATE TRIGGER segments_ad AFTER DELETE ON transcript_segments BEGIN
    INSERT INTO segments_fts(segments_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
END;
CREATE TRIGGER segments_au AFTER UPDATE OF text, speaker ON transcript_segments BEGIN
    INSERT INTO segments_fts(segments_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
    INSERT INTO segments_fts(rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;

-- Audio lives here, encrypted with the rest of the database, appended chunk by chunk while recording.
CREATE TABLE audio_chunks (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    sample_rate INTEGER NOT NULL,
    channels INTEGER NOT NULL DEFAULT 1,
    sample_format TEXT NOT NULL DEFAULT 's16le',
    data BLOB NOT NULL,
    PRIMARY KEY (meeting_id, seq)
) WITHOUT ROWID;

CREATE TABLE meeting_markers (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    UNIQUE (path)
);

CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    source_type TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    people_json TEXT NOT NULL DEFAULT '[]',
    occurred_at TEXT,
    locator TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    UNIQUE (source_type, source_id, position)
);
CREATE INDEX chunks_occurred ON chunks(occurred_at);

CREATE VIRTUAL TABLE chunks_fts USING fts5(
    title, text, content='chunks', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER chunks_au AFTER UPDATE OF title, text ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO chunks_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;

-- One vector per chunk per embedding model; vectors of two models are never compared.
CREATE TABLE embeddings (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    model_id TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (chunk_id, model_id)
) WITHOUT ROWID;

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE turns (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '',
    citations_json TEXT NOT NULL DEFAULT '[]',
    context_version INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX turns_conversation ON turns(conversation_id, id);

CREATE TABLE memories (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'user',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE strategic_contexts (
    version INTEGER PRIMARY KEY AUTOINCREMENT,
    data_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    data_json TEXT NOT NULL DEFAULT '{}',
    recommendation TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL DEFAULT 0,
    review_on TEXT,
    outcome TEXT NOT NULL DEFAULT '',
    context_version INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE opportunities (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    data_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE commitments (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'open',
    due TEXT,
    data_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX commitments_due ON commitments(status, due);

CREATE TABLE insights (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    period TEXT NOT NULL,
    value REAL NOT NULL,
    data_json TEXT NOT NULL DEFAULT '{}',
    UNIQUE (kind, subject, period)
);

CREATE TABLE triage (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    priority TEXT NOT NULL,
    category TEXT NOT NULL,
    needs_reply INTEGER NOT NULL DEFAULT 0,
    awaiting_from TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

CREATE TABLE triage_corrections (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE pending_actions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at TEXT NOT NULL,
    decided_at TEXT
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_at ON audit_log(at);

CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY,
    job TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    detail_json TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE usage_metrics (
    day TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (day, metric)
) WITHOUT ROWID;
