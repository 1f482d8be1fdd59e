//! Files nothing references: what a stop between a file's writing and its row's (or between a row's deletion and its
//! file's) leaves in the store. The housekeeping sweeps them once a day old, so that no file still on its way to its
//! row is taken; `server files check` counts them, and the rows whose file is missing.

use super::entities::{attachment, convention, export};
use super::state::AppState;
use super::storage::{ATTACHMENTS, EXPORTS, StoredKey};
use crate::dto::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashSet;

/// How old an unreferenced file must be before the housekeeping deletes it.
pub const UNREFERENCED_FOR: chrono::Duration = chrono::Duration::days(1);

/// A `before` that takes every file, whenever written.
pub const EVER: DateTime<Utc> = DateTime::<Utc>::MAX_UTC;

/// How many keys are looked up in one query.
const CHUNK: usize = 500;

/// The store against the rows: files no row names, and rows naming a file the store lacks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileCheck {
    pub stored: usize,
    pub unreferenced: usize,
    pub missing: usize,
}

/// The files written before `before` under the server's folders.
async fn written_before(state: &AppState, before: DateTime<Utc>) -> Result<Vec<StoredKey>, AppError> {
    let mut keys = state.storage.written_before(ATTACHMENTS, before).await?;
    keys.extend(state.storage.written_before(EXPORTS, before).await?);
    Ok(keys)
}

/// Deletes the files written before `before` that no attachment, signed convention or export names; returns how many.
pub async fn sweep(state: &AppState, before: DateTime<Utc>) -> Result<usize, AppError> {
    let mut swept = 0;
    for chunk in written_before(state, before).await?.chunks(CHUNK) {
        let keys: Vec<&str> = chunk.iter().map(|stored| stored.key.as_str()).collect();
        let referenced = referenced(state, &keys).await?;
        for key in keys.into_iter().filter(|key| !referenced.contains(*key)) {
            state.storage.delete(key).await?;
            swept += 1;
        }
    }
    Ok(swept)
}

/// Compares the whole store with the rows.
pub async fn check(state: &AppState) -> Result<FileCheck, AppError> {
    let stored: HashSet<String> = written_before(state, EVER).await?.into_iter().map(|stored| stored.key).collect();
    let mut unreferenced = 0;
    let keys: Vec<&str> = stored.iter().map(String::as_str).collect();
    for chunk in keys.chunks(CHUNK) {
        let referenced = referenced(state, chunk).await?;
        unreferenced += chunk.iter().filter(|key| !referenced.contains(**key)).count();
    }
    let missing = named(state, None).await?.into_iter().filter(|key| !stored.contains(key)).count();
    Ok(FileCheck { stored: stored.len(), unreferenced, missing })
}

/// Those of `keys` a row names.
async fn referenced(state: &AppState, keys: &[&str]) -> Result<HashSet<String>, AppError> {
    Ok(named(state, Some(keys.iter().map(|key| (*key).to_owned()).collect())).await?.into_iter().collect())
}

/// The keys the attachments, signed conventions and exports name: all of them, or those `among` these.
async fn named(state: &AppState, among: Option<Vec<String>>) -> Result<Vec<String>, AppError> {
    let db = &state.db;
    let mut attachments = attachment::Entity::find().select_only().column(attachment::Column::StorageKey);
    let mut conventions = convention::Entity::find().select_only().column(convention::Column::SignedDocumentKey);
    let mut exports = export::Entity::find().select_only().column(export::Column::StorageKey);
    if let Some(keys) = among {
        attachments = attachments.filter(attachment::Column::StorageKey.is_in(keys.clone()));
        conventions = conventions.filter(convention::Column::SignedDocumentKey.is_in(keys.clone()));
        exports = exports.filter(export::Column::StorageKey.is_in(keys));
    }
    let mut named: Vec<String> = attachments.into_tuple().all(db).await?;
    let conventions: Vec<Option<String>> = conventions.into_tuple().all(db).await?;
    let exports: Vec<Option<String>> = exports.into_tuple().all(db).await?;
    named.extend(conventions.into_iter().chain(exports).flatten());
    Ok(named)
}
