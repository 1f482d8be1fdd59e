//! A person who signs in: partner agent, caisse agent or admin.

use crate::domain::notice::MailPreference;
use crate::domain::role::Role;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub caisse_id: Option<String>,
    pub structure_id: Option<String>,
    /// The caisse team a caisse agent belongs to, if any.
    pub team_id: Option<String>,
    /// How the person wants non-essential notices.
    pub mail_preference: MailPreference,
    /// Argon2id PHC string; `None` until an invited person chooses a password.
    pub password_hash: Option<String>,
    pub trained_on: Option<ChronoDate>,
    pub active: bool,
    pub last_sign_in_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
