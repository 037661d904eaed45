"""Retrieval: document extraction, structure-aware chunking, local embeddings, vector index, FTS5 keyword
search, reciprocal-rank fusion, the indexing pipeline and RAG context packing. No Qt here."""

from engine.retrieval.chunking import (
    chunk_event, chunk_meeting, chunk_message, chunk_sections, describe_locator, parse_locator, split_text,
)
from engine.retrieval.embedder import Embedder, GgufEmbedder, OnnxEmbedder, default_embedder, load_embedder
from engine.retrieval.extract import ExtractedDocument, Section, SUPPORTED_KINDS, extract_bytes, sections_from_text
from engine.retrieval.isolated import extract_file, extract_files, extract_isolated
from engine.retrieval.fusion import dedupe, mark, rrf, snippet
from engine.retrieval.documents import FolderSync, add_documents, sync_folder
from engine.retrieval.indexer import Indexer, IndexReport
from engine.retrieval.qdrant_index import QDRANT_KEYRING_SERVICE, QdrantIndex
from engine.retrieval.rag import NOTHING_FOUND, Citation, RagContext, build_context, context_provider
from engine.retrieval.search import SOURCE_TYPES, Filters, Retriever, SearchHit, parse_day
from engine.retrieval.service import RetrievalService
from engine.retrieval.quantized_index import QuantizedIndex
from engine.retrieval.vector_index import NumpyIndex, VectorIndex
from models import ChunkMeta, IndexFilter

__all__ = [
    "ChunkMeta", "Citation", "Embedder", "ExtractedDocument", "Filters", "FolderSync", "GgufEmbedder", "IndexFilter",
    "IndexReport", "Indexer", "NOTHING_FOUND", "NumpyIndex", "OnnxEmbedder", "QDRANT_KEYRING_SERVICE", "QdrantIndex",
    "QuantizedIndex",
    "RagContext", "RetrievalService", "Retriever", "SOURCE_TYPES", "SUPPORTED_KINDS", "SearchHit", "Section",
    "VectorIndex", "add_documents", "build_context", "chunk_event", "chunk_meeting", "chunk_message",
    "chunk_sections", "context_provider", "dedupe", "default_embedder", "describe_locator", "extract_bytes",
    "extract_file", "extract_files", "extract_isolated", "load_embedder", "mark", "parse_day", "parse_locator", "rrf",
    "sections_from_text", "snippet", "split_text", "sync_folder",
]
