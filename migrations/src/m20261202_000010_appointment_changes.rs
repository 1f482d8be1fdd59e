//! An appointment can move or be called off: it counts its versions (`sequence`, the calendar file's SEQUENCE, so
//! calendars replace the event they hold) and keeps the last change's note (who moved or cancelled it, and why).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Appointments {
    Table,
    Sequence,
    ChangeNote,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Appointments::Table)
                    .add_column(ColumnDef::new(Appointments::Sequence).integer().not_null().default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(Appointments::Table).add_column(ColumnDef::new(Appointments::ChangeNote).text().null()).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Appointments::Table).drop_column(Appointments::ChangeNote).to_owned()).await?;
        manager.alter_table(Table::alter().table(Appointments::Table).drop_column(Appointments::Sequence).to_owned()).await
    }
}
