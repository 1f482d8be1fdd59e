//! E-mail: the outbox every message goes through (written in the same transaction as the change that causes it),
//! one-time password-reset links, and each account's choice of notices.

use crate::columns::{fk, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    MessageId,
    Recipient,
    AccountId,
    Subject,
    TextBody,
    HtmlBody,
    Calendar,
    Notice,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    AccountId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    MailPreference,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(id_col(Outbox::Id))
                    .col(ColumnDef::new(Outbox::MessageId).string().not_null().unique_key())
                    .col(ColumnDef::new(Outbox::Recipient).string().not_null())
                    .col(ColumnDef::new(Outbox::AccountId).string_len(36))
                    .col(ColumnDef::new(Outbox::Subject).string().not_null())
                    .col(ColumnDef::new(Outbox::TextBody).text().not_null())
                    .col(ColumnDef::new(Outbox::HtmlBody).text().not_null())
                    .col(ColumnDef::new(Outbox::Calendar).text())
                    .col(ColumnDef::new(Outbox::Notice).text())
                    // pending → sent, or failed after too many attempts; digest → summarised into a daily summary.
                    .col(ColumnDef::new(Outbox::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Outbox::Attempts).integer().not_null().default(0))
                    .col(ColumnDef::new(Outbox::NextAttemptAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Outbox::LastError).text())
                    .col(ColumnDef::new(Outbox::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Outbox::SentAt).timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_outbox_due").table(Outbox::Table).col(Outbox::Status).col(Outbox::NextAttemptAt).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .col(id_col(PasswordResets::Id))
                    .col(ColumnDef::new(PasswordResets::AccountId).string_len(36).not_null())
                    .col(ColumnDef::new(PasswordResets::TokenHash).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(PasswordResets::ExpiresAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(PasswordResets::UsedAt).timestamp_with_time_zone())
                    .col(ColumnDef::new(PasswordResets::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut fk(
                        "fk_password_resets_account",
                        (PasswordResets::Table, PasswordResets::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(ColumnDef::new(Accounts::MailPreference).string_len(16).not_null().default("immediate"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Accounts::Table).drop_column(Accounts::MailPreference).to_owned()).await?;
        manager.drop_table(Table::drop().table(PasswordResets::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Outbox::Table).to_owned()).await
    }
}
