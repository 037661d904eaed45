-- Retrieval: thread/person filter columns on chunks, and a persistent indexing queue filled by triggers.
-- The queue is what makes indexing incremental and resumable: every insert/update/delete of a source enqueues
-- it (in the writer's own transaction), the indexer drains it one committed batch at a time, so a restart
-- continues with what is left and never starts from zero. Deleting a source deletes its chunks at once (their
-- embeddings cascade), so deleted mail never shows up in search, even before the indexer runs.

ALTER TABLE chunks ADD COLUMN thread_key TEXT NOT NULL DEFAULT '';
-- ' dana whitfield dana@x.com ': person tokens between spaces, so LIKE '% dana %' matches a whole token.
ALTER TABLE chunks ADD COLUMN people_tokens TEXT NOT NULL DEFAULT ' ';
CREATE INDEX chunks_thread ON chunks(thread_key);
CREATE INDEX embeddings_model ON embeddings(model_id);

CREATE TABLE index_queue (
    source_type TEXT NOT NULL,  -- email | event | meeting | doc | note
    source_id INTEGER NOT NULL,
    queued_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (source_type, source_id)
) WITHOUT ROWID;

CREATE TRIGGER iq_messages_ai AFTER INSERT ON messages BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('email', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_messages_au AFTER UPDATE OF subject, body_text, sent_at, sender_email, sender_name, thread_id
ON messages BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('email', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_participants_ai AFTER INSERT ON message_participants BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('email', new.message_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_messages_ad AFTER DELETE ON messages BEGIN
    DELETE FROM chunks WHERE source_type = 'email' AND source_id = old.id;
    DELETE FROM index_queue WHERE source_type = 'email' AND source_id = old.id;
END;

CREATE TRIGGER iq_events_ai AFTER INSERT ON events BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('event', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_events_au AFTER UPDATE ON events BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('event', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_attendees_ai AFTER INSERT ON event_attendees BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('event', new.event_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_events_ad AFTER DELETE ON events BEGIN
    DELETE FROM chunks WHERE source_type = 'event' AND source_id = old.id;
    DELETE FROM index_queue WHERE source_type = 'event' AND source_id = old.id;
END;

CREATE TRIGGER iq_meetings_ai AFTER INSERT ON meetings BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('meeting', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_meetings_au AFTER UPDATE OF title, started_at, attendees_json, summary ON meetings BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('meeting', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_segments_ai AFTER INSERT ON transcript_segments BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('meeting', new.meeting_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_segments_au AFTER UPDATE ON transcript_segments BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('meeting', new.meeting_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_segments_ad AFTER DELETE ON transcript_segments BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('meeting', old.meeting_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_meetings_ad AFTER DELETE ON meetings BEGIN
    DELETE FROM chunks WHERE source_type = 'meeting' AND source_id = old.id;
    DELETE FROM index_queue WHERE source_type = 'meeting' AND source_id = old.id;
END;

CREATE TRIGGER iq_documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('doc', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_documents_au AFTER UPDATE OF title, kind, text ON documents BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('doc', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_documents_ad AFTER DELETE ON documents BEGIN
    DELETE FROM chunks WHERE source_type = 'doc' AND source_id = old.id;
    DELETE FROM index_queue WHERE source_type = 'doc' AND source_id = old.id;
END;

CREATE TRIGGER iq_memories_ai AFTER INSERT ON memories BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('note', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_memories_au AFTER UPDATE OF text ON memories BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('note', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_memories_ad AFTER DELETE ON memories BEGIN
    DELETE FROM chunks WHERE source_type = 'note' AND source_id = old.id;
    DELETE FROM index_queue WHERE source_type = 'note' AND source_id = old.id;
END;

-- Whatever a store already holds is queued once.
INSERT OR IGNORE INTO index_queue(source_type, source_id) SELECT 'email', id FROM messages;
INSERT OR IGNORE INTO index_queue(source_type, source_id) SELECT 'event', id FROM events;
INSERT OR IGNORE INTO index_queue(source_type, source_id) SELECT 'meeting', id FROM meetings;
INSERT OR IGNORE INTO index_queue(source_type, source_id) SELECT 'doc', id FROM documents;
INSERT OR IGNORE INTO index_queue(source_type, source_id) SELECT 'note', id FROM memories;
