//! The structure's requests by creation time: a history filtered by a period (« Envoyées du … au … ») reads that
//! period's range of this index instead of walking every newer request of the structure, newest first, until the
//! page is full — a period long past, or with nothing in it, walked all of them (0.7 s for 50,000 requests).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "idx_requests_structure_created";

#[derive(DeriveIden)]
enum Requests {
    Table,
    StructureId,
    CreatedAt,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create().name(NAME).table(Requests::Table).col(Requests::StructureId).col(Requests::CreatedAt).col(Requests::Id).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(Requests::Table).to_owned()).await
    }
}
