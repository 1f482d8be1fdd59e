//! Files prepared in the background (a download too large to answer at once): who asked, how far it got, and
//! where the finished file waits in the object store until it expires.

use crate::columns::id_col;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Exports {
    Table,
    Id,
    AccountId,
    Title,
    ReturnTo,
    FileName,
    Format,
    State,
    RowsDone,
    RowsTotal,
    StorageKey,
    CreatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Exports::Table)
                    .col(id_col(Exports::Id))
                    .col(ColumnDef::new(Exports::AccountId).string_len(36).not_null())
                    .col(ColumnDef::new(Exports::Title).string().not_null())
                    .col(ColumnDef::new(Exports::ReturnTo).string().not_null())
                    .col(ColumnDef::new(Exports::FileName).string().not_null())
                    .col(ColumnDef::new(Exports::Format).string_len(8).not_null())
                    .col(ColumnDef::new(Exports::State).string_len(16).not_null())
                    .col(ColumnDef::new(Exports::RowsDone).big_integer().not_null())
                    .col(ColumnDef::new(Exports::RowsTotal).big_integer().not_null())
                    .col(ColumnDef::new(Exports::StorageKey).string().null())
                    .col(ColumnDef::new(Exports::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Exports::FinishedAt).timestamp_with_time_zone().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_exports_account")
                            .from(Exports::Table, Exports::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_exports_account_created").table(Exports::Table).col(Exports::AccountId).col(Exports::CreatedAt).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Exports::Table).to_owned()).await
    }
}
