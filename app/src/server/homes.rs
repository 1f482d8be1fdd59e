//! Reads behind the three landing pages, each scoped to the signed-in person's structure or caisse.

use crate::domain::convention;
use crate::domain::request_kind::RequestKind;
use crate::domain::role::Role;
use crate::dto::auth::SessionUser;
use crate::dto::error::AppError;
use crate::dto::homes::{AdminOverview, CaisseHome, ConventionSummary, KindAccess, PartnerHome, RetentionView, StructureRow};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::conventions::{conventions_by_structure, structure_terms};
use crate::server::entities::{account, caisse, partner_structure};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The person as the header shows them: their name, and their structure, else their caisse.
/// `session` the sessions' lifetimes, `now` the request's time: the session layer wrote this minute down as the
/// request came in, so the idle deadline runs from it.
pub fn session_user(user: &SignedIn, session: &crate::domain::session_policy::SessionPolicy, now: chrono::DateTime<chrono::Utc>) -> SessionUser {
    let organisation = match &user.organisation {
        Some(name) => Some(name.clone()),
        None if user.role == Role::Admin && user.caisse_id.is_none() => Some("Administration nationale".to_owned()),
        None => None,
    };
    let seen_minute = chrono::DateTime::from_timestamp(now.timestamp() / 60 * 60, 0).unwrap_or(now);
    let deadline = session.idle_deadline(seen_minute);
    SessionUser {
        display_name: user.display_name(),
        email: user.email.clone(),
        role: user.role,
        organisation,
        awaiting_answer: user.awaiting_answer,
        idle_remaining: (deadline - now).num_seconds().max(0),
        idle_deadline_shown: crate::server::time_fr::clock(deadline),
    }
}

/// How many requests awaiting the structure's answer its home lists (the others are one link away).
const TO_DO_SHOWN: u64 = 10;

/// A structure with the name of its caisse, read together.
#[derive(FromQueryResult)]
struct StructureWithCaisse {
    #[sea_orm(nested)]
    structure: partner_structure::Model,
    caisse_name: String,
}

pub async fn partner_home(cx: &RequestContext) -> Result<PartnerHome, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let today = cx.today();
    let structure_id = user.structure_id.clone().ok_or(AppError::Forbidden)?;
    let StructureWithCaisse { structure, caisse_name } = partner_structure::Entity::find_by_id(structure_id.clone())
        .column_as(Expr::cust("(SELECT name FROM caisses WHERE caisses.id = partner_structures.caisse_id)"), "caisse_name")
        .into_model::<StructureWithCaisse>()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let conventions = structure_terms(db, &structure_id).await?;
    let to_do = crate::server::requests::history::awaiting_answer(cx, TO_DO_SHOWN).await?;
    let governing = convention::governing(&conventions, today);
    let kinds = RequestKind::ALL
        .into_iter()
        .map(|kind| KindAccess {
            kind,
            blocked: convention::submission_block(governing, user.trained_on.is_some(), kind, today).map(|block| block.explanation()),
        })
        .collect();
    Ok(PartnerHome {
        structure_name: structure.name,
        structure_kind: structure.kind.label().to_owned(),
        caisse_name,
        convention: governing.map(|terms| ConventionSummary {
            status: terms.status,
            starts_on: terms.starts_on,
            ends_on: terms.ends_on,
            kinds: terms.kinds.0.clone(),
        }),
        trained_on: user.trained_on,
        kinds,
        latest: crate::server::requests::history::page(cx, &Default::default(), 5).await?.rows,
        awaiting_total: user.awaiting_answer.max(to_do.len() as u64),
        to_do,
    })
}

pub async fn caisse_home(cx: &RequestContext) -> Result<CaisseHome, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let today = cx.today();
    let caisse_id = user.caisse_id.clone().ok_or(AppError::Forbidden)?;
    let caisse = caisse::Entity::find_by_id(caisse_id.clone()).one(db).await?.ok_or(AppError::NotFound)?;
    let structures = partner_structure::Entity::find().filter(partner_structure::Column::CaisseId.eq(&caisse_id)).count(db).await?;
    let conventions_in_force =
        conventions_by_structure(db, Some(&caisse_id)).await?.values().filter(|terms| terms.iter().any(|t| t.in_force(today))).count() as u64;
    let partner_agents = account::Entity::find()
        .filter(account::Column::CaisseId.eq(&caisse_id))
        .filter(account::Column::Role.eq(Role::PartnerAgent))
        .filter(account::Column::Active.eq(true))
        .count(db)
        .await?;
    Ok(CaisseHome { caisse_name: caisse.name, structures, conventions_in_force, partner_agents })
}

pub async fn admin_overview(cx: &RequestContext) -> Result<AdminOverview, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let today = cx.today();
    let scope_caisse = user.caisse_id.as_deref();
    let scope = match scope_caisse {
        Some(id) => caisse::Entity::find_by_id(id.to_owned()).one(db).await?.ok_or(AppError::NotFound)?.name,
        None => "Toutes les caisses".to_owned(),
    };
    let mut structures_query = partner_structure::Entity::find().order_by_asc(partner_structure::Column::Name);
    let mut accounts_query = account::Entity::find();
    if let Some(id) = scope_caisse {
        structures_query = structures_query.filter(partner_structure::Column::CaisseId.eq(id));
        accounts_query = accounts_query.filter(account::Column::CaisseId.eq(id));
    }
    let conventions = conventions_by_structure(db, scope_caisse).await?;
    let mut agents: HashMap<String, u64> = HashMap::new();
    for account in accounts_query.clone().filter(account::Column::StructureId.is_not_null()).all(db).await? {
        if let Some(structure_id) = account.structure_id {
            *agents.entry(structure_id).or_default() += 1;
        }
    }
    let structures = structures_query
        .all(db)
        .await?
        .into_iter()
        .map(|s| StructureRow {
            convention: conventions.get(&s.id).and_then(|terms| convention::governing(terms, today)).map(|t| t.status_on(today)),
            agents: agents.get(&s.id).copied().unwrap_or(0),
            kind: s.kind.label().to_owned(),
            id: s.id,
            name: s.name,
            commune: s.commune,
        })
        .collect();
    let retention = match scope_caisse {
        None => Some(retention(cx).await?),
        Some(_) => None,
    };
    Ok(AdminOverview { scope, structures, accounts: accounts_query.count(db).await?, retention })
}

/// The dry run of the next purge, for national admins: how many ended requests it would take, how many it took.
async fn retention(cx: &RequestContext) -> Result<RetentionView, AppError> {
    let months = cx.state.settings.request_retention_months;
    let cutoff = crate::domain::retention::cutoff(cx.now, months);
    let requests = |count: u64| format!("{} demande{}", crate::domain::statistics::count_label(count), if count > 1 { "s" } else { "" });
    Ok(RetentionView {
        months,
        cutoff: super::time_fr::date(super::time_fr::paris_day(cutoff)),
        due: requests(super::retention::due(cx.db(), cutoff).await?),
        purged: requests(super::retention::purged(cx.db()).await?),
    })
}
