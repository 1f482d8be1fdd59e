//! A convention between a partner structure and its caisse; the one in force gates the kinds of request the partner may send.

use crate::domain::convention::ConventionStatus;
use crate::domain::request_kind::RequestKinds;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conventions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub structure_id: String,
    pub caisse_id: String,
    pub status: ConventionStatus,
    pub starts_on: ChronoDate,
    pub ends_on: Option<ChronoDate>,
    /// The request kinds the convention opens (stored as comma-separated codes).
    pub kinds: RequestKinds,
    /// Why it was suspended or terminated, as the admin wrote it.
    pub suspension_reason: Option<String>,
    pub signed_document_key: Option<String>,
    /// The signed PDF's file name as uploaded.
    pub signed_document_name: Option<String>,
    pub previous_convention_id: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
