//! Where attachments live: an `object_store` (a folder under `DATA_DIR` by default), addressed by keys the
//! server generates, never by the names people gave their files.

use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

#[derive(Debug, thiserror::Error)]
#[error("file storage failed: {0}")]
pub struct StorageError(#[from] object_store::Error);

impl Storage {
    /// A store in `dir`, created if missing.
    pub fn local(dir: &std::path::Path) -> std::io::Result<Storage> {
        std::fs::create_dir_all(dir)?;
        let store = LocalFileSystem::new_with_prefix(dir).map_err(std::io::Error::other)?;
        Ok(Storage { store: Arc::new(store) })
    }

    /// A fresh key for a new file: `attachments/<uuid>`.
    pub fn new_key() -> String {
        format!("attachments/{}", uuid::Uuid::new_v4().simple())
    }

    pub async fn put(&self, key: &str, content: Bytes) -> Result<(), StorageError> {
        self.store.put(&Path::from(key), PutPayload::from_bytes(content)).await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        Ok(self.store.get(&Path::from(key)).await?.bytes().await?)
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }
}
