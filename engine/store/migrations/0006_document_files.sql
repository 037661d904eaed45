-- The original bytes of a document whose pages are shown as they look (a PDF attached to mail): a citation opens
-- the page inside Reflex, rendered from these bytes in memory, so the file never has to exist outside the
-- encrypted store. Other kinds are shown as their extracted text (documents.text) and keep no copy here.
CREATE TABLE document_files (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    data BLOB NOT NULL
);
