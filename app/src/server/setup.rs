//! What a caisse sets up for its own work: its teams (where new requests go), the answer budgets its admins
//! choose (business days per kind of request, when requests fall due; defaults apply to whatever it has not set)
//! and the canned replies its agents keep ready. Always within the person's own caisse.

use crate::domain::due_date::{DueDatePolicy, MAX_BUDGET_DAYS};
use crate::domain::field_error::Problems;
use crate::domain::form_values::FormValues;
use crate::domain::request_kind::{RequestKind, RequestKinds};
use crate::domain::role::Role;
use crate::domain::teams;
use crate::dto::error::{AppError, FieldError};
use crate::dto::setup::{BudgetLine, CannedRepliesPage, CannedReplyLine, DueDatesPage};
use crate::server::audit::{self, Actor, Entry};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::entities::{caisse, canned_reply, due_date_setting, team};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The caisse's teams, in a stable order (by name).
pub async fn teams_of(db: &impl ConnectionTrait, caisse_id: &str) -> Result<Vec<team::Model>, AppError> {
    Ok(team::Entity::find()
        .filter(team::Column::CaisseId.eq(caisse_id))
        .order_by_asc(team::Column::Name)
        .order_by_asc(team::Column::Id)
        .all(db)
        .await?)
}

/// The team a new request of `kind` goes to at this caisse, if one handles that kind.
pub async fn team_for(db: &impl ConnectionTrait, caisse_id: &str, kind: RequestKind) -> Result<Option<String>, AppError> {
    let routes: Vec<(String, RequestKinds)> = teams_of(db, caisse_id).await?.into_iter().map(|t| (t.id, t.kinds)).collect();
    Ok(teams::route(kind, &routes).map(str::to_owned))
}

/// The caisse's answer budgets: its own settings over the defaults.
pub async fn due_date_policy(db: &impl ConnectionTrait, caisse_id: &str) -> Result<DueDatePolicy, AppError> {
    let settings = due_date_setting::Entity::find().filter(due_date_setting::Column::CaisseId.eq(caisse_id)).all(db).await?;
    Ok(settings.into_iter().fold(DueDatePolicy::default(), |policy, setting| match u32::try_from(setting.business_days) {
        Ok(days) => policy.with(setting.kind, days),
        Err(_) => policy,
    }))
}

/// The longest title, in characters: it is what agents pick from in a list.
pub const TITLE_MAX: usize = 120;
/// The longest reply text, in characters: the same bound as a message on a request.
pub const BODY_MAX: usize = 5000;

/// Where a canned-reply form that came back with errors (JavaScript off) keeps what was typed.
pub const CANNED_FLASH: &str = "caisse.canned_reply";
/// Where the budgets form that came back with errors (JavaScript off) keeps what was typed.
pub const DUE_DATES_FLASH: &str = "admin.due_dates";

/// The caisse of an admin; a national admin (no caisse) has no budgets to set here.
fn admin_caisse(user: &SignedIn) -> Result<&str, AppError> {
    match (user.role, user.caisse_id.as_deref()) {
        (Role::Admin, Some(caisse_id)) => Ok(caisse_id),
        (Role::Admin, None) => {
            Err(AppError::Conflict("Votre compte n'est rattaché à aucune caisse : les délais de traitement se règlent caisse par caisse.".to_owned()))
        }
        _ => Err(AppError::Forbidden),
    }
}

async fn caisse_name(db: &impl ConnectionTrait, caisse_id: &str) -> Result<String, AppError> {
    Ok(caisse::Entity::find_by_id(caisse_id.to_owned()).one(db).await?.map(|c| c.name).unwrap_or_default())
}

/// A title as people sort it: case and French accents ignored ("Échéance" next to "échange", not after "Z").
fn sort_key(title: &str) -> String {
    crate::domain::submission::search_key(title)
}

/// The caisse's canned replies, by title, with what a form that came back with errors held.
pub async fn canned_replies(cx: &RequestContext, returned: Option<CannedReplyLine>) -> Result<CannedRepliesPage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let caisse_id = crate::server::triage::caisse_of(user)?;
    let mut replies: Vec<CannedReplyLine> = canned_reply::Entity::find()
        .filter(canned_reply::Column::CaisseId.eq(caisse_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| CannedReplyLine { id: r.id, title: r.title, body: r.body })
        .collect();
    replies.sort_by_cached_key(|r| (sort_key(&r.title), r.title.clone(), r.id.clone()));
    // A reply that was deleted meanwhile has no form left to refill.
    let returned = returned.filter(|r| r.id.is_empty() || replies.iter().any(|reply| reply.id == r.id));
    Ok(CannedRepliesPage { caisse_name: caisse_name(db, caisse_id).await?, replies, returned })
}

/// A canned reply as typed, once its title and text are present and within bounds.
struct Draft {
    title: String,
    body: String,
}

impl Draft {
    fn parse(title: &str, body: &str) -> Result<Draft, AppError> {
        let mut problems = Problems::new();
        let title = problems.required("title", title, "Saisissez un titre.", TITLE_MAX);
        let body = problems.required("body", body, "Saisissez le texte de la réponse.", BODY_MAX);
        problems.into_result(Draft { title, body }).map_err(AppError::Validation)
    }
}

/// The reply with this id if it belongs to the agent's caisse; otherwise `NotFound`.
async fn find_in_caisse(db: &impl ConnectionTrait, caisse_id: &str, id: &str) -> Result<canned_reply::Model, AppError> {
    canned_reply::Entity::find_by_id(id.to_owned()).filter(canned_reply::Column::CaisseId.eq(caisse_id)).one(db).await?.ok_or(AppError::NotFound)
}

/// Adds a canned reply to the agent's caisse; returns its id.
pub async fn create_canned_reply(cx: &RequestContext, title: &str, body: &str) -> Result<String, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let caisse_id = crate::server::triage::caisse_of(user)?.to_owned();
    let draft = Draft::parse(title, body)?;
    let id = uuid::Uuid::now_v7().to_string();
    let txn = crate::server::db::write_transaction(db).await?;
    canned_reply::ActiveModel {
        id: Set(id.clone()),
        caisse_id: Set(caisse_id.clone()),
        title: Set(draft.title.clone()),
        body: Set(draft.body),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "canned_reply.created", "canned_reply", Some(id.clone())).in_caisse(Some(caisse_id)).detail(draft.title),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Changes the title and text of one of the caisse's canned replies.
pub async fn update_canned_reply(cx: &RequestContext, id: &str, title: &str, body: &str) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let caisse_id = crate::server::triage::caisse_of(user)?.to_owned();
    let txn = crate::server::db::write_transaction(db).await?;
    let model = find_in_caisse(&txn, &caisse_id, id).await?;
    let draft = Draft::parse(title, body)?;
    let mut active: canned_reply::ActiveModel = model.into();
    active.title = Set(draft.title.clone());
    active.body = Set(draft.body);
    active.updated_at = Set(now);
    active.update(&txn).await?;
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "canned_reply.updated", "canned_reply", Some(id.to_owned()))
            .in_caisse(Some(caisse_id))
            .detail(draft.title),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Removes one of the caisse's canned replies (messages already written from it are untouched).
pub async fn delete_canned_reply(cx: &RequestContext, id: &str) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let caisse_id = crate::server::triage::caisse_of(user)?.to_owned();
    let txn = crate::server::db::write_transaction(db).await?;
    let model = find_in_caisse(&txn, &caisse_id, id).await?;
    canned_reply::Entity::delete_by_id(model.id.clone()).exec(&txn).await?;
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "canned_reply.deleted", "canned_reply", Some(model.id)).in_caisse(Some(caisse_id)).detail(model.title),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The caisse's budget for each kind of request, or what the admin typed in a form that came back with errors.
pub async fn budgets(cx: &RequestContext, returned: Option<FormValues>) -> Result<DueDatesPage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let caisse_id = admin_caisse(user)?;
    let policy = due_date_policy(db, caisse_id).await?;
    let defaults = DueDatePolicy::default();
    let budgets = RequestKind::ALL
        .into_iter()
        .map(|kind| BudgetLine {
            kind: kind.code().to_owned(),
            label: kind.short_label().to_owned(),
            days: match &returned {
                Some(typed) => typed.text(kind.code()).to_owned(),
                None => policy.days_for(kind).to_string(),
            },
            default_days: defaults.days_for(kind),
        })
        .collect();
    Ok(DueDatesPage { caisse_name: caisse_name(db, caisse_id).await?, budgets, max_days: MAX_BUDGET_DAYS })
}

/// Saves the budgets typed for each kind (by `RequestKind` code): all of them, or none if one is wrong.
pub async fn save_budgets(cx: &RequestContext, typed: &FormValues) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let caisse_id = admin_caisse(user)?.to_owned();
    let mut errors = vec![];
    let mut chosen = vec![];
    for kind in RequestKind::ALL {
        match DueDatePolicy::parse_budget(typed.text(kind.code())) {
            Ok(days) => chosen.push((kind, days)),
            Err(message) => errors.push(FieldError { field: kind.code().to_owned(), message }),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = crate::server::db::write_transaction(db).await?;
    for (kind, days) in &chosen {
        let row = due_date_setting::ActiveModel {
            caisse_id: Set(caisse_id.clone()),
            kind: Set(*kind),
            business_days: Set(i32::try_from(*days).map_err(|_| AppError::Internal)?),
        };
        due_date_setting::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([due_date_setting::Column::CaisseId, due_date_setting::Column::Kind])
                    .update_column(due_date_setting::Column::BusinessDays)
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    let detail = chosen.iter().map(|(kind, days)| format!("{}={days}", kind.code())).collect::<Vec<_>>().join(", ");
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "due_dates.updated", "caisse", Some(caisse_id.clone())).in_caisse(Some(caisse_id)).detail(detail),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_sort_without_regard_to_case_or_accents() {
        let mut titles = vec!["Zone", "échéance", "Accueil", "Écrire à l'assuré", "dossier"];
        titles.sort_by_cached_key(|t| sort_key(t));
        assert_eq!(titles, ["Accueil", "dossier", "échéance", "Écrire à l'assuré", "Zone"]);
    }

    #[test]
    fn a_reply_needs_a_title_and_a_text_within_bounds() {
        let error = Draft::parse("  ", "").err().expect("refused");
        assert_eq!(error.message_for("title").as_deref(), Some("Saisissez un titre."));
        assert_eq!(error.message_for("body").as_deref(), Some("Saisissez le texte de la réponse."));
        let long = "x".repeat(TITLE_MAX + 1);
        assert!(Draft::parse(&long, "texte").err().and_then(|e| e.message_for("title")).is_some());
        let Ok(draft) = Draft::parse(" Pièces à fournir ", " Merci de joindre… ") else { panic!("a valid reply is accepted") };
        assert_eq!((draft.title.as_str(), draft.body.as_str()), ("Pièces à fournir", "Merci de joindre…"));
    }
}
