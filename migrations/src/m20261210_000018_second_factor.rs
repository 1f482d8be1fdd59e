//! The second factor of sign-in: each account's TOTP secret (sealed), the last time step it accepted (the replay
//! guard), and its single-use recovery codes (Argon2id hashes).

use crate::columns::{fk, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SecondFactors {
    Table,
    AccountId,
    Secret,
    LastStep,
    EnrolledAt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    AccountId,
    CodeHash,
    UsedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SecondFactors::Table)
                    .col(ColumnDef::new(SecondFactors::AccountId).string_len(36).not_null().primary_key())
                    .col(ColumnDef::new(SecondFactors::Secret).text().not_null())
                    .col(ColumnDef::new(SecondFactors::LastStep).big_integer().null())
                    .col(ColumnDef::new(SecondFactors::EnrolledAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut fk(
                        "fk_second_factors_account",
                        (SecondFactors::Table, SecondFactors::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .col(id_col(RecoveryCodes::Id))
                    .col(ColumnDef::new(RecoveryCodes::AccountId).string_len(36).not_null())
                    .col(ColumnDef::new(RecoveryCodes::CodeHash).text().not_null())
                    .col(ColumnDef::new(RecoveryCodes::UsedAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(RecoveryCodes::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut fk(
                        "fk_recovery_codes_account",
                        (RecoveryCodes::Table, RecoveryCodes::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_recovery_codes_account").table(RecoveryCodes::Table).col(RecoveryCodes::AccountId).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(RecoveryCodes::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(SecondFactors::Table).to_owned()).await
    }
}
