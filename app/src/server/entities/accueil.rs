//! An accueil (agency) of a caisse where assurés can be received.

use crate::domain::opening_hours::OpeningHours;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accueils")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub caisse_id: String,
    pub name: String,
    pub address: String,
    pub postal_code: String,
    pub commune: String,
    pub phone: Option<String>,
    /// Opening hours as stored JSON (weekday → ranges); read through the domain type.
    pub opening_hours: OpeningHours,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
