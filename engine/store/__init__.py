"""The encrypted local store (SQLCipher): the single source of truth; every cache rebuilds from it."""

from engine.store.keys import KEYRING_SERVICE, PASSPHRASE_ENV, KeyStore, StoreKey, resolve_key, secure_keyring_available
from engine.store.store import DB_NAME, Store, default_db_path, remove_store_files

__all__ = [
    "DB_NAME", "KEYRING_SERVICE", "PASSPHRASE_ENV", "KeyStore", "Store", "StoreKey", "default_db_path",
    "remove_store_files", "resolve_key", "secure_keyring_available",
]
