-- Confirming an action claims its row first (status 'running'), then records what the provider created.
-- A row left 'running' by a crash is shown as "may have been done — check", never retried by itself.
ALTER TABLE pending_actions ADD COLUMN claimed_at TEXT;
ALTER TABLE pending_actions ADD COLUMN provider_id TEXT;
