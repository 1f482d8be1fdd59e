//! Colleagues who follow a request: besides its author, the partner agents of the structure who asked to hear
//! by e-mail about the caisse's replies, questions, appointments and closing.

use crate::columns::fk;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RequestFollowers {
    Table,
    RequestId,
    AccountId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
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
                    .table(RequestFollowers::Table)
                    .col(ColumnDef::new(RequestFollowers::RequestId).string_len(36).not_null())
                    .col(ColumnDef::new(RequestFollowers::AccountId).string_len(36).not_null())
                    .col(ColumnDef::new(RequestFollowers::CreatedAt).timestamp_with_time_zone().not_null())
                    // Following twice is following once.
                    .primary_key(Index::create().col(RequestFollowers::RequestId).col(RequestFollowers::AccountId))
                    .foreign_key(&mut fk(
                        "fk_request_followers_request",
                        (RequestFollowers::Table, RequestFollowers::RequestId),
                        (Requests::Table, Requests::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_request_followers_account",
                        (RequestFollowers::Table, RequestFollowers::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // "The requests I follow", from an account.
        manager
            .create_index(
                Index::create().name("idx_request_followers_account").table(RequestFollowers::Table).col(RequestFollowers::AccountId).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(RequestFollowers::Table).to_owned()).await
    }
}
