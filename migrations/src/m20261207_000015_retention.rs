//! When a request's assuré data was purged at the end of its retention period (none until then).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    PurgedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let column = ColumnDef::new(Requests::PurgedAt).timestamp_with_time_zone().null().to_owned();
        manager.alter_table(Table::alter().table(Requests::Table).add_column(column).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Requests::Table).drop_column(Requests::PurgedAt).to_owned()).await
    }
}
