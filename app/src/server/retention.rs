//! The end of an ended request's retention period (`RETENTION_MONTHS` after it was closed or withdrawn): its assuré's
//! identity, every free text, its messages and files are purged; what the statistics count (kind, dates, delays,
//! outcome, grounds) stays. A periodic job, audited per caisse; national admins see what the next run will purge.

use super::audit::{self, Actor, Entry, Origin};
use super::entities::{appointment, attachment, request, request_event, request_message};
use super::state::AppState;
use crate::domain::request_details::Details;
use crate::domain::request_lifecycle::Status;
use crate::domain::retention::PURGED_SUBJECT;
use crate::domain::wording::plural;
use crate::dto::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::BTreeMap;

/// How many requests are purged in one transaction.
const BATCH: u64 = 200;

/// The ended requests whose data is still there and whose end came before `cutoff`.
fn due_query(cutoff: DateTime<Utc>) -> Select<request::Entity> {
    let ended = Status::ALL.into_iter().filter(|status| !status.is_open());
    request::Entity::find()
        .filter(request::Column::Status.is_in(ended))
        .filter(request::Column::ClosedAt.lt(cutoff))
        .filter(request::Column::PurgedAt.is_null())
}

/// How many requests the next purge with this `cutoff` would purge (the dry run national admins read).
pub async fn due(db: &impl ConnectionTrait, cutoff: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(due_query(cutoff).count(db).await?)
}

/// How many requests were purged so far.
pub async fn purged(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    Ok(request::Entity::find().filter(request::Column::PurgedAt.is_not_null()).count(db).await?)
}

/// Purges every request ended before `cutoff`, a batch per transaction (a stop loses no more than a batch, which the
/// next run takes again); then deletes their files. Records one audit entry per caisse; returns how many requests.
pub async fn purge(state: &AppState, cutoff: DateTime<Utc>, now: DateTime<Utc>) -> Result<u64, AppError> {
    let mut per_caisse: BTreeMap<String, u64> = BTreeMap::new();
    loop {
        let txn = super::db::write_transaction(&state.db).await?;
        let batch = due_query(cutoff).order_by_asc(request::Column::ClosedAt).limit(BATCH).all(&txn).await?;
        if batch.is_empty() {
            break;
        }
        let ids: Vec<String> = batch.iter().map(|model| model.id.clone()).collect();
        for model in batch {
            *per_caisse.entry(model.caisse_id.clone()).or_default() += 1;
            let details = serde_json::from_str::<Details>(&model.details).map(|details| details.anonymised());
            if let Err(error) = &details {
                // Its answers cannot be read, so not emptied either: said, for someone to look at (never the text).
                tracing::error!(%error, request.reference = %model.reference, "purged request's answers not understood: kept as stored");
            }
            let mut active = model.into_active_model();
            if let Ok(details) = details {
                active.details = Set(serde_json::to_string(&details).map_err(|_| AppError::Internal)?);
            }
            active.subject = Set(PURGED_SUBJECT.to_owned());
            active.body = Set(String::new());
            active.beneficiary_last_name = Set(None);
            active.beneficiary_first_names = Set(None);
            active.beneficiary_birth_date = Set(None);
            active.beneficiary_nir = Set(None);
            active.beneficiary_phone = Set(None);
            active.beneficiary_address = Set(None);
            active.beneficiary_search = Set(None);
            active.purged_at = Set(Some(now));
            sea_orm::ActiveModelTrait::update(active, &txn).await?;
        }
        request_message::Entity::delete_many().filter(request_message::Column::RequestId.is_in(ids.clone())).exec(&txn).await?;
        request_event::Entity::update_many()
            .col_expr(request_event::Column::Note, Expr::value(Option::<String>::None))
            .filter(request_event::Column::RequestId.is_in(ids.clone()))
            .exec(&txn)
            .await?;
        appointment::Entity::update_many()
            .col_expr(appointment::Column::Instructions, Expr::value(""))
            .col_expr(appointment::Column::ChangeNote, Expr::value(Option::<String>::None))
            .filter(appointment::Column::RequestId.is_in(ids.clone()))
            .exec(&txn)
            .await?;
        let keys: Vec<String> = attachment::Entity::find()
            .select_only()
            .column(attachment::Column::StorageKey)
            .filter(attachment::Column::RequestId.is_in(ids.clone()))
            .into_tuple()
            .all(&txn)
            .await?;
        attachment::Entity::delete_many().filter(attachment::Column::RequestId.is_in(ids)).exec(&txn).await?;
        txn.commit().await?;
        // After the rows: a stop in between leaves files nothing references, which the sweep deletes.
        for key in keys {
            state.storage.delete(&key).await?;
        }
    }
    for (caisse_id, count) in &per_caisse {
        let entry = Entry::new(Actor::System, "request.purged", "request", None).in_caisse(Some(caisse_id.clone())).detail(format!(
            "{} avant le {}",
            plural(*count, "demande close ou retirée", "demandes closes ou retirées"),
            super::time_fr::date_time(cutoff)
        ));
        audit::record(&state.db, entry, &Origin::default(), now).await?;
    }
    Ok(per_caisse.values().sum())
}
