//! Where files live: an `object_store` (a folder under `DATA_DIR` by default, an S3-compatible bucket when
//! `OBJECT_STORE_URL` names one), addressed by keys the server generates, never by the names people gave their
//! files. A key is written once (never overwritten), read as a stream, and swept when nothing references it.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};
use std::sync::Arc;

use super::settings::Settings;

#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

#[derive(Debug, thiserror::Error)]
#[error("file storage failed: {0}")]
pub struct StorageError(#[from] object_store::Error);

/// A stored file as it is read: its size, then its content in pieces (never whole in memory).
pub struct StoredFile {
    pub size: u64,
    pub content: BoxStream<'static, Result<Bytes, StorageError>>,
}

impl std::fmt::Debug for StoredFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredFile").field("size", &self.size).finish_non_exhaustive()
    }
}

/// A key the store holds, with when it was written (what the sweep reads).
#[derive(Clone, Debug)]
pub struct StoredKey {
    pub key: String,
    pub written_at: DateTime<Utc>,
}

/// The folders of the keys the server generates.
pub const ATTACHMENTS: &str = "attachments";
pub const EXPORTS: &str = "exports";

impl Storage {
    /// The store the settings name: the bucket of `OBJECT_STORE_URL`, else the folder `DATA_DIR/uploads`.
    pub fn open(settings: &Settings) -> Result<Storage, StorageError> {
        match &settings.object_store {
            Some(bucket) => Storage::s3(&bucket.url, bucket.options.iter().map(|(name, value)| (*name, value.expose()))),
            None => Storage::local(&settings.data_dir.join("uploads"))
                .map_err(|source| object_store::Error::Generic { store: "LocalFileSystem", source: Box::new(source) }.into()),
        }
    }

    /// A store in `dir`, created if missing.
    pub fn local(dir: &std::path::Path) -> std::io::Result<Storage> {
        std::fs::create_dir_all(dir)?;
        let store = LocalFileSystem::new_with_prefix(dir).map_err(std::io::Error::other)?;
        Ok(Storage { store: Arc::new(store) })
    }

    /// A bucket named by `url` (`s3://bucket` or `s3://bucket/prefix`), configured by `options`: the `AWS_*`
    /// variables (`AWS_ENDPOINT`, `AWS_ALLOW_HTTP`, `AWS_ACCESS_KEY_ID`…), names in any case; unknown names are ignored.
    pub fn s3<'a>(url: &str, options: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Storage, StorageError> {
        // The HTTP client's TLS runs on ring; installed once per process (a second call finds it there).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::new();
        for (name, value) in options {
            if let Ok(key) = name.to_ascii_lowercase().parse::<AmazonS3ConfigKey>() {
                builder = builder.with_config(key, value);
            }
        }
        let bucket = builder.with_url(url).build()?;
        let prefix = url.strip_prefix("s3://").and_then(|rest| rest.split_once('/')).map(|(_, prefix)| prefix.trim_matches('/'));
        let store: Arc<dyn ObjectStore> = match prefix {
            Some(prefix) if !prefix.is_empty() => Arc::new(PrefixStore::new(bucket, prefix)),
            _ => Arc::new(bucket),
        };
        Ok(Storage { store })
    }

    /// A fresh key for a new file: `attachments/<uuid>`.
    pub fn new_key() -> String {
        format!("{ATTACHMENTS}/{}", uuid::Uuid::new_v4().simple())
    }

    /// Writes a new file under `key`; a key already written is refused, never overwritten.
    pub async fn put(&self, key: &str, content: Bytes) -> Result<(), StorageError> {
        let options = PutOptions { mode: PutMode::Create, ..PutOptions::default() };
        self.store.put_opts(&Path::from(key), PutPayload::from_bytes(content), options).await?;
        Ok(())
    }

    /// The file under `key`, streamed.
    pub async fn get(&self, key: &str) -> Result<StoredFile, StorageError> {
        let found = self.store.get(&Path::from(key)).await?;
        let size = found.meta.size;
        Ok(StoredFile { size, content: found.into_stream().map_err(StorageError::from).boxed() })
    }

    /// Deletes the file under `key`; a key already gone is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }

    /// The keys under `folder` written before `before`.
    pub async fn written_before(&self, folder: &str, before: DateTime<Utc>) -> Result<Vec<StoredKey>, StorageError> {
        let listed: Vec<_> = self.store.list(Some(&Path::from(folder))).try_collect().await?;
        Ok(listed
            .into_iter()
            .filter(|meta| meta.last_modified < before)
            .map(|meta| StoredKey { key: meta.location.to_string(), written_at: meta.last_modified })
            .collect())
    }
}
