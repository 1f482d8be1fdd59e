//! Requests on the server: submitting, listing, reading, answering and withdrawing, always within the signed-in
//! partner's own structure. A request of another structure or caisse is, for them, a request that does not exist.

pub mod attachments;
pub mod detail;
pub mod history;
pub mod respond;
pub mod submit;

use crate::api::error::AppError;
use crate::domain::convention::PartnerFunction;
use crate::domain::nir::Nir;
use crate::domain::request_lifecycle::Status;
use crate::server::auth::SignedIn;
use crate::server::entities::{request, request_event};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

fn corrupt(what: &str, value: &str) -> DbErr {
    DbErr::Custom(format!("stored {what} not understood: {value}"))
}

pub(crate) fn status_of(model: &request::Model) -> Result<Status, DbErr> {
    Status::parse(&model.status).ok_or_else(|| corrupt("status", &model.status))
}

pub(crate) fn kind_of(model: &request::Model) -> Result<PartnerFunction, DbErr> {
    PartnerFunction::parse(&model.kind).map_err(|_| corrupt("kind", &model.kind))
}

/// The request with this public reference, if it belongs to the partner's structure; otherwise `NotFound`,
/// exactly as if it did not exist (no hint that another structure's request is there).
pub(crate) async fn find_in_structure(db: &impl ConnectionTrait, user: &SignedIn, reference: &str) -> Result<request::Model, AppError> {
    let structure_id = user.structure_id.as_deref().ok_or(AppError::Forbidden)?;
    let reference = crate::domain::reference::Reference::parse(reference).ok_or(AppError::NotFound)?;
    request::Entity::find()
        .filter(request::Column::Reference.eq(reference.to_string()))
        .filter(request::Column::StructureId.eq(structure_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// "LEFÈVRE Élodie · NIR 2 84 •• •• ••• ••• 93": who a request is about, NIR masked.
pub(crate) fn beneficiary_line(model: &request::Model) -> String {
    let Some(last_name) = &model.beneficiary_last_name else {
        return String::new();
    };
    let mut line = format!("{} {}", last_name.to_uppercase(), model.beneficiary_first_names.clone().unwrap_or_default());
    if let Some(nir) = model.beneficiary_nir.as_deref().and_then(|n| Nir::parse(n).ok()) {
        line.push_str(&format!(" · NIR {}", nir.masked()));
    }
    line
}

/// "1,2 Mo", "830 ko".
pub(crate) fn human_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} Mo", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} ko", (bytes as f64 / 1024.0).ceil() as i64)
    }
}

/// The request moved to `to` at `now` (closed ones get their closing time); callers set anything else that changes,
/// then `update` it in their transaction.
pub(crate) fn moved(model: request::Model, to: Status, now: DateTime<Utc>) -> request::ActiveModel {
    let mut active = sea_orm::IntoActiveModel::into_active_model(model);
    active.status = Set(to.code().to_owned());
    active.updated_at = Set(now);
    if !to.is_open() {
        active.closed_at = Set(Some(now));
    }
    active
}

/// Appends a step to the request's timeline.
pub(crate) async fn record_event(
    db: &impl ConnectionTrait,
    request_id: &str,
    actor: &SignedIn,
    action: &str,
    from: Option<Status>,
    to: Status,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    request_event::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        request_id: Set(request_id.to_owned()),
        occurred_at: Set(now),
        actor_id: Set(Some(actor.id.clone())),
        actor_label: Set(actor.display_name()),
        action: Set(action.to_owned()),
        from_status: Set(from.map(|s| s.code().to_owned())),
        to_status: Set(to.code().to_owned()),
        note: Set(note.filter(|n| !n.trim().is_empty())),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// One page of requests, newest first, and the cursors to the older (`next`) and newer (`previous`) pages.
pub(crate) struct KeysetPage {
    pub rows: Vec<request::Model>,
    pub next: Option<String>,
    pub previous: Option<String>,
}

/// Pages through `query` by id (UUIDv7, so by creation time) from a cursor: an index range scan at any depth,
/// never an OFFSET. `before` is ignored when `after` is given.
pub(crate) async fn keyset_page(
    db: &impl ConnectionTrait,
    query: Select<request::Entity>,
    after: Option<&str>,
    before: Option<&str>,
    per_page: u64,
) -> Result<KeysetPage, DbErr> {
    let after = after.filter(|c| !c.is_empty());
    match before.filter(|c| !c.is_empty()).filter(|_| after.is_none()) {
        Some(cursor) => {
            // The newer page: walk up from the cursor, then put it back in newest-first order.
            let mut rows = query.filter(request::Column::Id.gt(cursor)).order_by_asc(request::Column::Id).limit(per_page + 1).all(db).await?;
            let more_newer = rows.len() as u64 > per_page;
            rows.truncate(per_page as usize);
            rows.reverse();
            let previous = more_newer.then(|| rows.first().map(|r| r.id.clone())).flatten();
            let next = rows.last().map(|r| r.id.clone());
            Ok(KeysetPage { rows, next, previous })
        }
        None => {
            let query = match after {
                Some(cursor) => query.filter(request::Column::Id.lt(cursor)),
                None => query,
            };
            let mut rows = query.order_by_desc(request::Column::Id).limit(per_page + 1).all(db).await?;
            let more_older = rows.len() as u64 > per_page;
            rows.truncate(per_page as usize);
            let next = more_older.then(|| rows.last().map(|r| r.id.clone())).flatten();
            let previous = after.and_then(|_| rows.first().map(|r| r.id.clone()));
            Ok(KeysetPage { rows, next, previous })
        }
    }
}
