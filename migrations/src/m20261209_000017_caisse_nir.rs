//! An agent's search of the caisse's requests by NIR goes straight to them: an index on (caisse, NIR), as the
//! structures' own search has on (structure, NIR).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    CaisseId,
    BeneficiaryNir,
}

const NAME: &str = "idx_requests_caisse_nir";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(Index::create().name(NAME).table(Requests::Table).col(Requests::CaisseId).col(Requests::BeneficiaryNir).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(Requests::Table).to_owned()).await
    }
}
