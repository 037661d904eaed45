-- Tasks from task managers (Asana), upserted by (account, provider_id); commitment_id links a task Reflex
-- created from a commitment, so completion in the task manager closes the commitment locally.

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    assignee_email TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    assignee_name TEXT NOT NULL DEFAULT '',
    due TEXT,
    completed INTEGER NOT NULL DEFAULT 0,
    completed_at TEXT,
    projects_json TEXT NOT NULL DEFAULT '[]',
    url TEXT NOT NULL DEFAULT '',
    modified_at TEXT,
    source TEXT NOT NULL DEFAULT '',
    commitment_id INTEGER REFERENCES commitments(id) ON DELETE SET NULL,
    UNIQUE (account, provider_id)
);
CREATE INDEX tasks_due ON tasks(completed, due);
CREATE INDEX tasks_commitment ON tasks(commitment_id);
