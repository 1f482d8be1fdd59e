//! Which instance runs each periodic job in each five-minute slot: the first to insert the (job, tick) row.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum JobClaims {
    Table,
    Job,
    Tick,
    ClaimedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(JobClaims::Table)
                    .col(ColumnDef::new(JobClaims::Job).string_len(32).not_null())
                    .col(ColumnDef::new(JobClaims::Tick).big_integer().not_null())
                    .col(ColumnDef::new(JobClaims::ClaimedAt).timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col(JobClaims::Job).col(JobClaims::Tick))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(JobClaims::Table).to_owned()).await
    }
}
