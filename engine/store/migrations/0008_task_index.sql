-- Synced tasks (Asana) are searchable like mail and notes: every insert, update of what a task says, or
-- delete of a task queues it for the indexer (source type 'task'), in the writer's own transaction; a deleted
-- task's chunks go at once. Tasks a store already holds are queued once.
CREATE TRIGGER iq_tasks_ai AFTER INSERT ON tasks BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('task', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_tasks_au AFTER UPDATE OF title, notes, assignee_email, assignee_name, due, completed, projects_json
ON tasks BEGIN
    INSERT INTO index_queue(source_type, source_id) VALUES ('task', new.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER iq_tasks_ad AFTER DELETE ON tasks BEGIN
    DELETE FROM chunks WHERE source_type = 'task' AND source_id = old.id;
    DELETE FROM index_queue WHERE source_type = 'task' AND source_id = old.id;
END;

INSERT OR IGNORE INTO index_queue(source_type, source_id) SELECT 'task', id FROM tasks;
