//! A partner structure (CCAS, mission locale, France services…) conventioned with one caisse.

use crate::domain::siret::Siret;
use crate::domain::structure_kind::StructureKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partner_structures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub caisse_id: String,
    pub name: String,
    pub kind: StructureKind,
    #[sea_orm(unique)]
    pub siret: Option<Siret>,
    pub address: String,
    pub postal_code: String,
    pub commune: String,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
