//! A team of a caisse (accueil, MAS, droits…) and the kinds of request routed to it on submission.

use crate::domain::request_kind::RequestKinds;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teams")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub caisse_id: String,
    pub name: String,
    /// The kinds of request routed to this team (stored as comma-separated codes).
    pub kinds: RequestKinds,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
