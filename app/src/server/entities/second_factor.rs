//! An account's TOTP second factor: its sealed secret and the last time step it accepted (the replay guard).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "second_factors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: String,
    /// The secret sealed with `MFA_ENCRYPTION_KEY` (`server::auth::second_factor::Sealer`), never in clear.
    pub secret: String,
    /// The last 30-second step a code was accepted for: a code of that step or an earlier one is refused.
    pub last_step: Option<i64>,
    pub enrolled_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
