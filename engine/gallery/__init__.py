"""The model gallery: a curated catalogue of chat and speech models, what this machine can run, and verified
downloads from the Hugging Face hub. No Qt."""

from engine.gallery.catalogue import CatalogueEntry, GalleryError, curated, find_entry
from engine.gallery.download import (
    ChecksumMismatch,
    DownloadCancelled,
    DownloadedModel,
    HubAccessDenied,
    HubUnreachable,
    ModelDownloader,
    ModelNotOnHub,
    NotEnoughSpace,
)
from engine.gallery.machine import Machine, Verdict, probe_machine, recommend
from engine.gallery.manager import GalleryItem, ModelGallery, ModelNotUsable

__all__ = [
    "CatalogueEntry", "ChecksumMismatch", "DownloadCancelled", "DownloadedModel", "GalleryError", "GalleryItem",
    "HubAccessDenied", "HubUnreachable", "Machine", "ModelDownloader", "ModelGallery", "ModelNotOnHub",
    "ModelNotUsable", "NotEnoughSpace", "Verdict", "curated", "find_entry", "probe_machine", "recommend",
]
