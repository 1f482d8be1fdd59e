//! The caisse's API tokens: a name, the scopes, an expiry, optionally the client addresses allowed; the token itself
//! is kept only as its SHA-256 (it is shown once), with a short prefix in clear to tell tokens apart.

use crate::columns::{fk, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Caisses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    CaisseId,
    Name,
    TokenHash,
    ShownPrefix,
    Scopes,
    AllowedAddresses,
    ExpiresAt,
    CreatedBy,
    CreatedAt,
    RevokedAt,
    LastUsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(id_col(ApiTokens::Id))
                    .col(ColumnDef::new(ApiTokens::CaisseId).string_len(36).not_null())
                    .col(ColumnDef::new(ApiTokens::Name).string_len(80).not_null())
                    .col(ColumnDef::new(ApiTokens::TokenHash).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(ApiTokens::ShownPrefix).string_len(16).not_null())
                    .col(ColumnDef::new(ApiTokens::Scopes).string_len(200).not_null())
                    .col(ColumnDef::new(ApiTokens::AllowedAddresses).text().null())
                    .col(ColumnDef::new(ApiTokens::ExpiresAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(ApiTokens::CreatedBy).string_len(36).null())
                    .col(ColumnDef::new(ApiTokens::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(ApiTokens::RevokedAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(ApiTokens::LastUsedAt).timestamp_with_time_zone().null())
                    .foreign_key(&mut fk("fk_api_tokens_caisse", (ApiTokens::Table, ApiTokens::CaisseId), (Caisses::Table, Caisses::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_api_tokens_caisse").table(ApiTokens::Table).col(ApiTokens::CaisseId).col(ApiTokens::Id).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ApiTokens::Table).to_owned()).await
    }
}
