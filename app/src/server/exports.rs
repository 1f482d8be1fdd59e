//! Downloads too large to answer at once (more rows than `EXPORT_BACKGROUND_ROWS`): prepared in the background
//! while the person who asked watches its progress on its own page (`/compte/exports/{id}`), the finished file kept
//! a day in the object store. The row in the database is the truth every instance reads: the job, the progress
//! page and the download may run on different instances. Only the account that asked sees its export.

use super::context::RequestContext;
use super::entities::export;
use super::spreadsheet::Format;
use super::storage::StoredFile;
use crate::dto::error::AppError;
use crate::dto::exports::{ExportState, ExportView};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::future::Future;

/// What a download turns into: the file itself, or an export started in the background (its id).
pub enum Download {
    File { name: String, format: Format, bytes: Vec<u8> },
    Started(String),
}

/// Where a job says how far it got: at most one write per batch, none for a file answered at once.
pub struct Progress {
    target: Option<(DatabaseConnection, String)>,
}

impl Progress {
    /// A file answered at once: nobody watches.
    pub fn unwatched() -> Progress {
        Progress { target: None }
    }

    /// `done` rows written so far. A failed write is logged and the job goes on.
    pub async fn rows(&self, done: usize) {
        let Some((db, id)) = &self.target else { return };
        let update = export::Entity::update_many()
            .col_expr(export::Column::RowsDone, Expr::value(done as i64))
            .filter(export::Column::Id.eq(id.as_str()))
            .exec(db)
            .await;
        if let Err(err) = update {
            tracing::warn!(error = %err, "could not record an export's progress");
        }
    }
}

/// What to prepare: its page's title, the page it was asked from, the file's name (without extension) and format,
/// and how many rows it will hold (for the progress bar).
pub struct Job {
    pub title: &'static str,
    pub return_to: String,
    pub file_stem: &'static str,
    pub format: Format,
    pub rows: u64,
}

/// The storage key of an export's file.
fn storage_key(id: &str) -> String {
    format!("{}/{id}", super::storage::EXPORTS)
}

/// How many exports one account may have running at once.
const RUNNING_AT_MOST: u64 = 3;

/// Starts `produce` in the background for the signed-in account, which can follow it at `/compte/exports/{id}`;
/// returns the id. The same file asked again while it is being prepared (a second click) is the same export; a
/// fourth one running at once is refused. A job that fails leaves the export « failed » (its cause logged once, by
/// the error's boundary).
pub async fn start<F, Fut>(cx: &RequestContext, job: Job, produce: F) -> Result<String, AppError>
where
    F: FnOnce(Progress) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Vec<u8>, AppError>> + Send + 'static,
{
    let running = export::Entity::find()
        .filter(export::Column::AccountId.eq(cx.user.id.as_str()))
        .filter(export::Column::State.eq(ExportState::Running.code()))
        .filter(export::Column::CreatedAt.gt(cx.now - RUNS_AT_MOST))
        .all(cx.db())
        .await?;
    if let Some(same) = running.iter().find(|e| e.return_to == job.return_to && e.format == job.format.extension() && e.title == job.title) {
        return Ok(same.id.clone());
    }
    if running.len() as u64 >= RUNNING_AT_MOST {
        return Err(AppError::Conflict(format!(
            "Vous avez déjà {RUNNING_AT_MOST} fichiers en préparation : attendez qu'ils soient prêts avant d'en demander un autre."
        )));
    }
    let id = uuid::Uuid::new_v4().to_string();
    export::Entity::insert(export::ActiveModel {
        id: Set(id.clone()),
        account_id: Set(cx.user.id.clone()),
        title: Set(job.title.to_owned()),
        return_to: Set(job.return_to),
        file_name: Set(format!("{}.{}", job.file_stem, job.format.extension())),
        format: Set(job.format.extension().to_owned()),
        state: Set(ExportState::Running.code().to_owned()),
        rows_done: Set(0),
        rows_total: Set(job.rows as i64),
        storage_key: Set(None),
        created_at: Set(cx.now),
        finished_at: Set(None),
    })
    .exec_without_returning(cx.db())
    .await?;
    let (state, job_id) = (cx.state.clone(), id.clone());
    tokio::spawn(async move {
        let progress = Progress { target: Some((state.db.clone(), job_id.clone())) };
        let key = storage_key(&job_id);
        let stored = match produce(progress).await {
            Ok(bytes) => state.storage.put(&key, bytes.into()).await.map_err(AppError::from),
            Err(err) => Err(err),
        };
        let (finished, key) = if stored.is_ok() { (ExportState::Ready, Some(key)) } else { (ExportState::Failed, None) };
        if let Err(err) = finish(&state.db, &job_id, finished, key, Utc::now()).await {
            tracing::error!(error = %err, "could not record the end of an export");
        }
    });
    Ok(id)
}

async fn finish(db: &impl ConnectionTrait, id: &str, state: ExportState, key: Option<String>, now: DateTime<Utc>) -> Result<(), sea_orm::DbErr> {
    let mut update = export::Entity::update_many()
        .col_expr(export::Column::State, Expr::value(state.code()))
        .col_expr(export::Column::StorageKey, Expr::value(key))
        .col_expr(export::Column::FinishedAt, Expr::value(now));
    if state == ExportState::Ready {
        update = update.col_expr(export::Column::RowsDone, Expr::col(export::Column::RowsTotal));
    }
    update.filter(export::Column::Id.eq(id)).exec(db).await?;
    Ok(())
}

/// The export `id` if it is the signed-in account's own (anyone else's reads as missing).
async fn own(cx: &RequestContext, id: &str) -> Result<export::Model, AppError> {
    export::Entity::find_by_id(id.to_owned()).filter(export::Column::AccountId.eq(cx.user.id.as_str())).one(cx.db()).await?.ok_or(AppError::NotFound)
}

/// How far the account's export `id` got.
pub async fn view(cx: &RequestContext, id: &str) -> Result<ExportView, AppError> {
    let model = own(cx, id).await?;
    let state = ExportState::parse(&model.state).unwrap_or(ExportState::Failed);
    Ok(ExportView {
        file_href: (state == ExportState::Ready).then(|| format!("{}/fichier", ExportView::href(&model.id))),
        id: model.id,
        title: model.title,
        return_to: model.return_to,
        format: model.format.to_uppercase(),
        state,
        done: model.rows_done.max(0) as u64,
        total: model.rows_total.max(0) as u64,
        asked_at: super::time_fr::date_time(model.created_at),
    })
}

/// The finished file of the account's export `id`: its name, format and content.
pub async fn file(cx: &RequestContext, id: &str) -> Result<(String, Format, StoredFile), AppError> {
    let model = own(cx, id).await?;
    let key = model.storage_key.filter(|_| model.state == ExportState::Ready.code()).ok_or(AppError::NotFound)?;
    let format = Format::ALL.into_iter().find(|f| f.extension() == model.format).ok_or(AppError::NotFound)?;
    Ok((model.file_name, format, cx.state.storage.get(&key).await?))
}

/// How long a finished file is kept, and how long a job may run before it is taken for dead (its instance stopped).
const KEPT_FOR: chrono::Duration = chrono::Duration::days(1);
const RUNS_AT_MOST: chrono::Duration = chrono::Duration::hours(1);

/// The housekeeping's part: files older than a day deleted with their row, jobs running for over an hour marked
/// failed (the instance that ran them stopped). Returns how many exports were deleted.
pub async fn forget_old(state: &super::state::AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let db = &state.db;
    export::Entity::update_many()
        .col_expr(export::Column::State, Expr::value(ExportState::Failed.code()))
        .col_expr(export::Column::FinishedAt, Expr::value(now))
        .filter(export::Column::State.eq(ExportState::Running.code()))
        .filter(export::Column::CreatedAt.lt(now - RUNS_AT_MOST))
        .exec(db)
        .await?;
    let old = export::Entity::find().filter(export::Column::CreatedAt.lt(now - KEPT_FOR)).all(db).await?;
    // The row first: a stop in between leaves a file nothing references, which the sweep deletes.
    for model in &old {
        export::Entity::delete_by_id(model.id.clone()).exec(db).await?;
        if let Some(key) = &model.storage_key {
            state.storage.delete(key).await?;
        }
    }
    Ok(old.len())
}
