//! A request keeps the budget it was given when sent (business days), so its due date can always be worked out
//! again from its timeline (`domain::due_date`); a convention lists the request kinds it opens under `kinds`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    DueBudgetDays,
}

#[derive(DeriveIden)]
enum Conventions {
    Table,
    Functions,
    Kinds,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Requests::Table).add_column(ColumnDef::new(Requests::DueBudgetDays).integer().null()).to_owned())
            .await?;
        // Requests sent before this column existed get the budget their caisse sets today for their kind, or the
        // default one (the same as `DueDatePolicy::default`).
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE requests SET due_budget_days = COALESCE(
                    (SELECT s.business_days FROM due_date_settings s WHERE s.caisse_id = requests.caisse_id AND s.kind = requests.kind),
                    CASE kind WHEN 'contact' THEN 2 WHEN 'mas_referral' THEN 5 WHEN 'appointment' THEN 5 WHEN 'dossier_study' THEN 10 END)
                 WHERE due_on IS NOT NULL",
            )
            .await?;
        manager.alter_table(Table::alter().table(Conventions::Table).rename_column(Conventions::Functions, Conventions::Kinds).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Conventions::Table).rename_column(Conventions::Kinds, Conventions::Functions).to_owned()).await?;
        manager.alter_table(Table::alter().table(Requests::Table).drop_column(Requests::DueBudgetDays).to_owned()).await
    }
}
