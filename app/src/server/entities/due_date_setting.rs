//! A caisse's answer budget, in business days, for one kind of request.

use crate::domain::request_kind::RequestKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "due_date_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub caisse_id: String,
    /// A `RequestKind` code.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: RequestKind,
    pub business_days: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
