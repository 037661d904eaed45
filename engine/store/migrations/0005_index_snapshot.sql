-- A snapshot of the in-memory vector index (quantized codes and filter metadata as a few large blobs), so a
-- start-up with a million chunks reads contiguous blobs instead of decoding a million rows. It is a cache of
-- `embeddings` + `chunks`: `index_snapshot_dirty` collects, by trigger and only while a snapshot exists, every
-- chunk whose vector or filter metadata changed since; a start-up loads the snapshot, then re-reads those.
CREATE TABLE index_snapshot (
    model_id TEXT NOT NULL,
    name TEXT NOT NULL,     -- which array ('codes', 'ids', ...)
    part INTEGER NOT NULL,  -- arrays are split into parts of a few tens of MB
    size INTEGER NOT NULL,  -- length(data), so a reader can allocate before reading
    data BLOB NOT NULL,
    UNIQUE (model_id, name, part)
);

CREATE TABLE index_snapshot_dirty (chunk_id INTEGER PRIMARY KEY);

CREATE TRIGGER isd_embeddings_ai AFTER INSERT ON embeddings WHEN EXISTS (SELECT 1 FROM index_snapshot) BEGIN
    INSERT OR IGNORE INTO index_snapshot_dirty(chunk_id) VALUES (NEW.chunk_id);
END;
CREATE TRIGGER isd_embeddings_ad AFTER DELETE ON embeddings WHEN EXISTS (SELECT 1 FROM index_snapshot) BEGIN
    INSERT OR IGNORE INTO index_snapshot_dirty(chunk_id) VALUES (OLD.chunk_id);
END;
CREATE TRIGGER isd_chunks_au AFTER UPDATE OF source_type, occurred_at, thread_key, people_tokens ON chunks
WHEN EXISTS (SELECT 1 FROM index_snapshot) BEGIN
    INSERT OR IGNORE INTO index_snapshot_dirty(chunk_id) VALUES (NEW.id);
END;
CREATE TRIGGER isd_chunks_ad AFTER DELETE ON chunks WHEN EXISTS (SELECT 1 FROM index_snapshot) BEGIN
    INSERT OR IGNORE INTO index_snapshot_dirty(chunk_id) VALUES (OLD.id);
END;
