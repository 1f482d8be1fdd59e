//! What the statistics count without reading a request's timeline: when the caisse first answered the partner and
//! in how many business days (and whether by the due date), and how many business days on the caisse's clock a
//! closed request took. Each is written once, when it happens (the domain counts business days; SQL cannot). With
//! the indexes the dashboards read a caisse's period through.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    CaisseId,
    CreatedAt,
    ClosedAt,
    FirstAnswerAt,
    FirstAnswerDays,
    AnsweredOnTime,
    ClosingDays,
}

const INDEXES: [(&str, Requests); 3] = [
    ("idx_requests_caisse_created", Requests::CreatedAt),
    ("idx_requests_caisse_closed", Requests::ClosedAt),
    ("idx_requests_caisse_answered", Requests::FirstAnswerAt),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [
            ColumnDef::new(Requests::FirstAnswerAt).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(Requests::FirstAnswerDays).integer().null().to_owned(),
            ColumnDef::new(Requests::AnsweredOnTime).boolean().null().to_owned(),
            ColumnDef::new(Requests::ClosingDays).integer().null().to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Requests::Table).add_column(column).to_owned()).await?;
        }
        for (name, column) in INDEXES {
            manager.create_index(Index::create().name(name).table(Requests::Table).col(Requests::CaisseId).col(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager.drop_index(Index::drop().name(name).table(Requests::Table).to_owned()).await?;
        }
        for column in [Requests::ClosingDays, Requests::AnsweredOnTime, Requests::FirstAnswerDays, Requests::FirstAnswerAt] {
            manager.alter_table(Table::alter().table(Requests::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
