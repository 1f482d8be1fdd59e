//! A caisse primaire d'assurance maladie (one per département).

use crate::domain::opening_hours::OpeningHours;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "caisses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub departement: String,
    /// When the caisse calls assurés back, as stored JSON (weekday → ranges); read through `OpeningHours`.
    pub phone_hours: OpeningHours,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
