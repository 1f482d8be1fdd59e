//! Conventions, for admins: drafts and their terms, the signed PDF that makes a draft signed, suspension,
//! resumption, termination and renewal (the rules are `domain::convention`), and those ending within 60 days.

use super::structures::find_managed;
use super::{check_manages, in_scope, invalid};
use crate::domain::attachment_policy::clean_file_name;
use crate::domain::convention::{self as rules, ConventionAction, ConventionStatus};
use crate::domain::form_values::FormValues;
use crate::dto::admin::structures::ExpiringLine;
use crate::dto::error::AppError;
use crate::server::audit::Actor;
use crate::server::audit::{self, Entry};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::conventions::terms_of;
use crate::server::entities::{convention, partner_structure};
use crate::server::time_fr;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// How far ahead the list of conventions ending soon looks, in days (the first e-mail warning goes out then too).
pub const EXPIRING_WITHIN_DAYS: i64 = crate::domain::convention::ENDING_SOON_DAYS;

/// The largest signed document accepted, in bytes.
pub const DOCUMENT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// The convention with this id, if `user` manages its caisse.
async fn find_managed_convention(db: &impl ConnectionTrait, user: &SignedIn, id: &str) -> Result<convention::Model, AppError> {
    let model = convention::Entity::find_by_id(id.to_owned()).one(db).await?.ok_or(AppError::NotFound)?;
    check_manages(user, &model.caisse_id)?;
    Ok(model)
}

/// Adds a draft convention to the structure, or (with `id`) changes a draft's dates and functions.
pub async fn save_draft(cx: &RequestContext, structure_id: &str, id: Option<&str>, typed: &FormValues) -> Result<String, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let txn = crate::server::db::write_transaction(db).await?;
    let structure = find_managed(&txn, user, structure_id).await?;
    let terms = rules::parse_terms(typed.text("starts_on"), typed.text("ends_on"), &typed.all("kinds")).map_err(invalid)?;
    let (id, action) = match id {
        Some(id) => {
            let model = find_managed_convention(&txn, user, id).await?;
            if model.structure_id != structure.id {
                return Err(AppError::NotFound);
            }
            ConventionAction::Edit.apply(terms_of(&model).status_on(time_fr::paris_day(now)))?;
            let mut active: convention::ActiveModel = model.into();
            active.starts_on = Set(terms.starts_on);
            active.ends_on = Set(terms.ends_on);
            active.kinds = Set(terms.kinds.clone());
            active.updated_at = Set(now);
            active.update(&txn).await?;
            (id.to_owned(), "convention.updated")
        }
        None => {
            let id = uuid::Uuid::now_v7().to_string();
            insert_draft(&txn, &structure, &terms, None, &id, now).await?;
            (id, "convention.created")
        }
    };
    let entry =
        Entry::new(Actor::signed_in(user), action, "convention", Some(id.clone())).in_caisse(Some(structure.caisse_id)).detail(terms.kinds.codes());
    audit::record(&txn, entry, origin, now).await?;
    txn.commit().await?;
    Ok(id)
}

async fn insert_draft(
    db: &impl ConnectionTrait,
    structure: &partner_structure::Model,
    terms: &rules::ConventionTerms,
    previous: Option<String>,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    convention::ActiveModel {
        id: Set(id.to_owned()),
        structure_id: Set(structure.id.clone()),
        caisse_id: Set(structure.caisse_id.clone()),
        status: Set(ConventionStatus::Draft),
        starts_on: Set(terms.starts_on),
        ends_on: Set(terms.ends_on),
        kinds: Set(terms.kinds.clone()),
        suspension_reason: Set(None),
        signed_document_key: Set(None),
        signed_document_name: Set(None),
        previous_convention_id: Set(previous),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// What an action did: the structure whose page shows it, and the notice that page gives.
pub struct Done {
    pub structure_id: String,
    pub notice: &'static str,
}

/// Suspends (with a reason), resumes, terminates (with a reason) or renews a convention.
pub async fn act(cx: &RequestContext, id: &str, action: &str, reason: &str) -> Result<Done, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let action = match action {
        "suspend" => ConventionAction::Suspend,
        "resume" => ConventionAction::Resume,
        "terminate" => ConventionAction::Terminate,
        "renew" => ConventionAction::Renew,
        _ => return Err(AppError::NotFound),
    };
    let txn = crate::server::db::write_transaction(db).await?;
    let model = find_managed_convention(&txn, user, id).await?;
    let today = time_fr::paris_day(now);
    let terms = terms_of(&model);
    let next = action.apply(terms.status_on(today))?;
    let reason = if action.needs_reason() { Some(rules::parse_reason(reason).map_err(|m| AppError::field("reason", m))?) } else { None };
    let structure_id = model.structure_id.clone();
    let caisse_id = model.caisse_id.clone();
    let (audit_action, notice, detail) = match action {
        ConventionAction::Renew => {
            if !terms.renewable() {
                return Err(AppError::Conflict(
                    "Cette convention n'a pas de date de fin : elle continue sans renouvellement. Modifiez-la ou résiliez-la si besoin.".to_owned(),
                ));
            }
            let successors = convention::Entity::find().filter(convention::Column::PreviousConventionId.eq(id)).count(&txn).await?;
            if successors > 0 {
                return Err(AppError::Conflict("Cette convention a déjà été renouvelée : modifiez la convention qui la suit.".to_owned()));
            }
            let structure = find_managed(&txn, user, &structure_id).await?;
            let successor = uuid::Uuid::now_v7().to_string();
            insert_draft(&txn, &structure, &terms.renewal(today), Some(id.to_owned()), &successor, now).await?;
            ("convention.renewed", "renouvellement", format!("nouvelle convention {successor}"))
        }
        _ => {
            let mut active: convention::ActiveModel = model.into();
            active.status = Set(next);
            if action != ConventionAction::Resume {
                active.suspension_reason = Set(reason.clone());
            } else {
                active.suspension_reason = Set(None);
            }
            active.updated_at = Set(now);
            active.update(&txn).await?;
            match action {
                ConventionAction::Suspend => ("convention.suspended", "suspension", reason.unwrap_or_default()),
                ConventionAction::Terminate => ("convention.terminated", "resiliation", reason.unwrap_or_default()),
                _ => ("convention.resumed", "reactivation", String::new()),
            }
        }
    };
    let entry = Entry::new(Actor::signed_in(user), audit_action, "convention", Some(id.to_owned())).in_caisse(Some(caisse_id)).detail(detail);
    audit::record(&txn, entry, origin, now).await?;
    txn.commit().await?;
    Ok(Done { structure_id, notice })
}

/// Why a signed document was refused, in French.
fn judge_document(name: &str, content: &[u8], truncated: bool) -> Result<(), String> {
    if content.is_empty() && !truncated {
        return Err("Choisissez le fichier PDF de la convention signée.".to_owned());
    }
    if truncated || content.len() > DOCUMENT_MAX_BYTES {
        return Err(format!("« {name} » dépasse {} Mo : envoyez une version plus légère.", DOCUMENT_MAX_BYTES / (1024 * 1024)));
    }
    if infer::get(content).map(|kind| kind.mime_type()) != Some("application/pdf") {
        return Err(format!("« {name} » n'est pas un PDF : envoyez la convention signée au format PDF."));
    }
    Ok(())
}

/// Records the signed PDF of a draft, which makes it signed (and active from its start date). Returns the
/// structure's id, for the page to go back to.
pub async fn sign(cx: &RequestContext, id: &str, file_name: &str, content: Bytes, truncated: bool) -> Result<String, AppError> {
    let state = &cx.state;
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let model = find_managed_convention(&state.db, user, id).await?;
    ConventionAction::Sign.apply(terms_of(&model).status_on(time_fr::paris_day(now)))?;
    let name = clean_file_name(file_name);
    judge_document(&name, &content, truncated).map_err(|m| AppError::field("document", m))?;
    let key = crate::server::storage::Storage::new_key();
    state.storage.put(&key, content).await?;
    let txn = crate::server::db::write_transaction(&state.db).await?;
    // Signed once only, even if two uploads race.
    let signed = convention::Entity::update_many()
        .col_expr(convention::Column::Status, sea_orm::sea_query::Expr::value(ConventionStatus::Signed))
        .col_expr(convention::Column::SignedDocumentKey, sea_orm::sea_query::Expr::value(key.clone()))
        .col_expr(convention::Column::SignedDocumentName, sea_orm::sea_query::Expr::value(name.clone()))
        .col_expr(convention::Column::UpdatedAt, sea_orm::sea_query::Expr::value(now))
        .filter(convention::Column::Id.eq(id))
        .filter(convention::Column::Status.eq(ConventionStatus::Draft))
        .exec(&txn)
        .await?;
    if signed.rows_affected != 1 {
        drop(txn);
        state.storage.delete(&key).await?;
        return Err(AppError::Conflict("Cette convention vient d'être signée par ailleurs.".to_owned()));
    }
    let entry =
        Entry::new(Actor::signed_in(user), "convention.signed", "convention", Some(id.to_owned())).in_caisse(Some(model.caisse_id)).detail(name);
    audit::record(&txn, entry, origin, now).await?;
    txn.commit().await?;
    Ok(model.structure_id)
}

/// The signed document of a convention: its file name and content.
pub async fn document(cx: &RequestContext, id: &str) -> Result<(String, crate::server::storage::StoredFile), AppError> {
    let state = &cx.state;
    let user = &cx.user;
    let model = find_managed_convention(&state.db, user, id).await?;
    let key = model.signed_document_key.ok_or(AppError::NotFound)?;
    let content = state.storage.get(&key).await?;
    Ok((model.signed_document_name.unwrap_or_else(|| "convention.pdf".to_owned()), content))
}

/// The conventions in force that end within 60 days, soonest first, with whether a renewal already follows.
pub async fn expiring(cx: &RequestContext) -> Result<Vec<ExpiringLine>, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let now = cx.now;
    super::admin(user)?;
    let today = time_fr::paris_day(now);
    let horizon = today + chrono::Duration::days(EXPIRING_WITHIN_DAYS);
    let candidates = convention::Entity::find()
        .filter(in_scope(user, convention::Column::CaisseId))
        .filter(convention::Column::Status.is_in([ConventionStatus::Signed, ConventionStatus::Active]))
        .filter(convention::Column::EndsOn.gte(today))
        .filter(convention::Column::EndsOn.lte(horizon))
        .all(db)
        .await?;
    let mut lines = vec![];
    for model in candidates {
        let Some(days_left) = terms_of(&model).ends_within(today, EXPIRING_WITHIN_DAYS) else { continue };
        let structure = partner_structure::Entity::find_by_id(model.structure_id.clone()).one(db).await?;
        let renewed = convention::Entity::find().filter(convention::Column::PreviousConventionId.eq(&model.id)).count(db).await? > 0;
        lines.push(ExpiringLine {
            structure_id: model.structure_id,
            structure: structure.map(|s| s.name).unwrap_or_default(),
            ends_on: model.ends_on.map(time_fr::date).unwrap_or_default(),
            days_left,
            renewed,
        });
    }
    lines.sort_by(|a, b| a.days_left.cmp(&b.days_left).then_with(|| a.structure.cmp(&b.structure)));
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_pdf_within_the_size_limit_is_accepted() {
        assert!(judge_document("c.pdf", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", false).is_ok());
        assert!(judge_document("c.pdf", b"", false).expect_err("refused").contains("Choisissez"));
        assert!(judge_document("c.pdf", b"%PDF-1.7", true).expect_err("refused").contains("Mo"));
        assert!(judge_document("c.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", false).expect_err("refused").contains("n'est pas un PDF"));
    }
}
