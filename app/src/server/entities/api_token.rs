//! A caisse's API token: kept as its SHA-256 only, with its scopes, expiry and allowed client addresses.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub caisse_id: String,
    pub name: String,
    /// SHA-256 of the whole token, in hex: the token itself is shown once and never stored.
    pub token_hash: String,
    /// The token's first characters (`ep_live_` and six more), to tell tokens apart in lists.
    pub shown_prefix: String,
    /// Scope codes, comma-separated (`domain::api_tokens::scopes_code`).
    pub scopes: String,
    /// Allowed client addresses or networks, comma-separated; `None`: any address.
    pub allowed_addresses: Option<String>,
    pub expires_at: ChronoDateTimeUtc,
    /// The admin who created it; `None` when created from the command line.
    pub created_by: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub revoked_at: Option<ChronoDateTimeUtc>,
    pub last_used_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
