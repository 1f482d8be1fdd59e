//! What a caisse has set up for its own work: its teams (where new requests go) and its answer budgets
//! (when they fall due). Defaults apply to whatever it has not set.

use crate::dto::error::AppError;
use crate::domain::request_kind::RequestKind;
use crate::domain::due_date::DueDatePolicy;
use crate::domain::teams;
use crate::server::entities::{due_date_setting, team};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

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
    let routes: Vec<(String, String)> = teams_of(db, caisse_id).await?.into_iter().map(|t| (t.id, t.kinds)).collect();
    Ok(teams::route(kind, &routes).map(str::to_owned))
}

/// The caisse's answer budgets: its own settings over the defaults.
pub async fn due_date_policy(db: &impl ConnectionTrait, caisse_id: &str) -> Result<DueDatePolicy, AppError> {
    let settings = due_date_setting::Entity::find().filter(due_date_setting::Column::CaisseId.eq(caisse_id)).all(db).await?;
    Ok(settings.into_iter().fold(DueDatePolicy::default(), |policy, setting| {
        match (RequestKind::parse(&setting.kind), u32::try_from(setting.business_days)) {
            (Ok(kind), Ok(days)) => policy.with(kind, days),
            _ => policy,
        }
    }))
}
