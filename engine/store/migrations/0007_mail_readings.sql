-- A capable chat model's verified reading of a mail (engine.assistant.model_reading): the commitments,
-- opportunities and priority reason it quoted, as JSON, per message and wording (text_hash). Kept so a restart
-- does not ask the model about the same fortnight of mail again; gone with the message.
CREATE TABLE mail_readings (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    text_hash TEXT NOT NULL,
    reading_json TEXT NOT NULL,
    read_at TEXT NOT NULL
);
