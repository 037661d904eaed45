"""The encrypted local store (SQLCipher): the single source of truth; every cache rebuilds from it."""

from engine.store.keys import KEYRING_SERVICE, PASSPHRASE_ENV, StoreKey, StoreMeta, secure_keyring_available
from engine.store.lock import StoreInUse
from engine.store.store import DB_NAME, Store, default_db_path, remove_store_files
from engine.store.unlock import Created, create_store, forget_keys, open_store

__all__ = [
    "Created", "DB_NAME", "KEYRING_SERVICE", "PASSPHRASE_ENV", "Store", "StoreInUse", "StoreKey", "StoreMeta",
    "create_store", "default_db_path", "forget_keys", "open_store", "remove_store_files", "secure_keyring_available",
]
