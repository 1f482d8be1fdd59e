//! A caisse's webhook endpoint: where its events go, which ones, and the secret that signs them (sealed).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub caisse_id: String,
    pub url: String,
    /// Event codes, comma-separated (`domain::webhooks::events_code`).
    pub events: String,
    /// The signing secret, sealed with `MFA_ENCRYPTION_KEY` (bound to the endpoint's id).
    pub secret: String,
    /// The secret before the last rotation, still signing until `previous_until`.
    pub previous_secret: Option<String>,
    pub previous_until: Option<ChronoDateTimeUtc>,
    pub created_by: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub disabled_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
