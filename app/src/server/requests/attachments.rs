//! Files sent with a form: judged from their content, stored under a generated key, kept for their uploader while
//! the form is corrected, then joined to the request or message; and read back only by those who may see it.

use crate::domain::attachment_policy::{AttachmentPolicy, clean_file_name};
use crate::domain::field_error::FieldError;
use crate::dto::error::AppError;
use crate::dto::requests::KeptFile;
use crate::server::audit::{self, Actor, Entry};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::entities::{attachment, request};
use crate::server::state::AppState;
use crate::server::storage::StoredFile;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// A file as it arrived in a multipart body.
pub struct Upload {
    pub name: String,
    pub content: Bytes,
    /// The file was larger than allowed; `content` holds only its beginning.
    pub truncated: bool,
}

/// The field every file refusal is reported on.
pub const FILES_FIELD: &str = "files";

/// Pending files of `user` among `ids` (ids of other people's files, or of files already joined, are ignored).
pub async fn pending(db: &impl ConnectionTrait, user: &SignedIn, ids: &[&str]) -> Result<Vec<attachment::Model>, AppError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(attachment::Entity::find()
        .filter(attachment::Column::Id.is_in(ids.iter().copied()))
        .filter(attachment::Column::UploadedBy.eq(&user.id))
        .filter(attachment::Column::RequestId.is_null())
        .all(db)
        .await?)
}

/// Judges and stores new files (after `already_kept` others); the accepted ones become pending attachments.
pub async fn receive(cx: &RequestContext, uploads: Vec<Upload>, already_kept: usize) -> Result<(Vec<attachment::Model>, Vec<FieldError>), AppError> {
    let state = &cx.state;
    let user = &cx.user;
    let now = cx.now;
    let policy: AttachmentPolicy = state.settings.attachments;
    let mut accepted = vec![];
    let mut issues = vec![];
    for upload in uploads {
        let name = clean_file_name(&upload.name);
        let size = if upload.truncated { policy.max_bytes + 1 } else { upload.content.len() as u64 };
        let detected = infer::get(&upload.content).map(|kind| kind.mime_type());
        match policy.judge(&name, size, detected, already_kept + accepted.len()) {
            Err(refusal) => issues.push(FieldError { field: FILES_FIELD.to_owned(), message: refusal.to_string() }),
            Ok(file_type) => {
                let key = crate::server::storage::Storage::new_key();
                state.storage.put(&key, upload.content).await?;
                let model = attachment::ActiveModel {
                    id: Set(uuid::Uuid::now_v7().to_string()),
                    request_id: Set(None),
                    message_id: Set(None),
                    uploaded_by: Set(user.id.clone()),
                    storage_key: Set(key),
                    file_name: Set(name),
                    content_type: Set(file_type.mime().to_owned()),
                    size_bytes: Set(size as i64),
                    created_at: Set(now),
                }
                .insert(&state.db)
                .await?;
                accepted.push(model);
            }
        }
    }
    Ok((accepted, issues))
}

/// Joins the user's pending files to a request (and message), inside the caller's transaction.
pub async fn claim(db: &impl ConnectionTrait, user: &SignedIn, ids: &[String], request_id: &str, message_id: Option<&str>) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    attachment::Entity::update_many()
        .col_expr(attachment::Column::RequestId, Expr::value(request_id))
        .col_expr(attachment::Column::MessageId, Expr::value(message_id.map(str::to_owned)))
        .filter(attachment::Column::Id.is_in(ids.iter().map(String::as_str)))
        .filter(attachment::Column::UploadedBy.eq(&user.id))
        .filter(attachment::Column::RequestId.is_null())
        .exec(db)
        .await?;
    Ok(())
}

pub fn kept_file(model: &attachment::Model) -> KeptFile {
    KeptFile { id: model.id.clone(), name: model.file_name.clone(), size: super::human_size(model.size_bytes) }
}

/// A joined file, for someone allowed to see its request; anyone else gets `NotFound`. The read is audited.
pub async fn download(cx: &RequestContext, attachment_id: &str) -> Result<(attachment::Model, StoredFile), AppError> {
    let state = &cx.state;
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let file = attachment::Entity::find_by_id(attachment_id.to_owned()).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let request_id = file.request_id.clone().ok_or(AppError::NotFound)?;
    let request = request::Entity::find_by_id(request_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    if !super::visibility::may_see(user, &request) {
        return Err(AppError::NotFound);
    }
    let content = state.storage.get(&file.storage_key).await?;
    audit::record(
        &state.db,
        Entry::new(Actor::signed_in(user), "attachment.downloaded", "attachment", Some(file.id.clone()))
            .in_caisse(Some(request.caisse_id.clone()))
            .detail(request.reference.clone()),
        origin,
        now,
    )
    .await?;
    Ok((file, content))
}

/// Deletes files uploaded with forms that were never completed, older than `before`.
pub async fn forget_abandoned(state: &AppState, before: DateTime<Utc>) -> Result<u64, AppError> {
    let abandoned = attachment::Entity::find()
        .filter(attachment::Column::RequestId.is_null())
        .filter(attachment::Column::CreatedAt.lt(before))
        .all(&state.db)
        .await?;
    // The row first: a stop in between leaves a file nothing references, which the sweep deletes.
    for file in &abandoned {
        attachment::Entity::delete_by_id(file.id.clone()).exec(&state.db).await?;
        state.storage.delete(&file.storage_key).await?;
    }
    Ok(abandoned.len() as u64)
}
