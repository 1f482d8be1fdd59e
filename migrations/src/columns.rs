//! Column and key shapes every table shares: 36-character UUID ids and restrictive foreign keys.

use sea_orm_migration::prelude::*;

pub fn id_col<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).string_len(36).not_null().primary_key().to_owned()
}

pub fn fk(name: &str, from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}
