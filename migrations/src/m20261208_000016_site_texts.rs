//! Texts of the site a national admin edits (the accessibility statement), by key.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SiteTexts {
    Table,
    Key,
    Body,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SiteTexts::Table)
                    .col(ColumnDef::new(SiteTexts::Key).string_len(32).not_null().primary_key())
                    .col(ColumnDef::new(SiteTexts::Body).text().not_null())
                    .col(ColumnDef::new(SiteTexts::UpdatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(SiteTexts::UpdatedBy).string_len(200).not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SiteTexts::Table).to_owned()).await
    }
}
