//! The statistics read from indexes alone: a MAS referral's grounds in their own short column (`|digital|other|`,
//! filled in from the answers' JSON for the referrals already there), and the three `(caisse_id, date)` indexes the
//! dashboards go through made covering — every column a figure counts is in the index, so a caisse's year is read
//! without visiting the table's wide rows (PostgreSQL `INCLUDE`s them; SQLite keeps them as trailing key columns).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requests {
    Table,
    MasGrounds,
}

/// The grounds a referral could cite when this migration was written: as the answers' JSON names them (serde's
/// variant names) and as the key does (`DifficultyGround`'s codes).
const GROUNDS: [(&str, &str); 6] = [
    ("AccessToRights", "access_to_rights"),
    ("CareRenunciation", "care_renunciation"),
    ("ComplexSocialSituation", "complex_social_situation"),
    ("Disability", "disability"),
    ("Digital", "digital"),
    ("Other", "other"),
];

/// The indexes replaced: (old name, new name, the date column the range is on).
const INDEXES: [(&str, &str, &str); 3] = [
    ("idx_requests_caisse_created", "idx_requests_stats_created", "created_at"),
    ("idx_requests_caisse_closed", "idx_requests_stats_closed", "closed_at"),
    ("idx_requests_caisse_answered", "idx_requests_stats_answered", "first_answer_at"),
];

/// What the figures count besides the caisse and the date.
const COUNTED: &str = "kind, status, structure_id, team_id, created_at, closed_at, first_answer_at, first_answer_days, answered_on_time, closing_days, due_on, mas_grounds";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Requests::Table).add_column(ColumnDef::new(Requests::MasGrounds).string_len(160).null()).to_owned())
            .await?;
        let db = manager.get_connection();
        let cited: Vec<String> =
            GROUNDS.iter().map(|(json, code)| format!("(CASE WHEN details LIKE '%\"{json}\"%' THEN '{code}|' ELSE '' END)")).collect();
        db.execute_unprepared(&format!("UPDATE requests SET mas_grounds = '|' || {} WHERE kind = 'mas_referral'", cited.join(" || "))).await?;
        for (old, new, date) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {old}")).await?;
            let counted: Vec<&str> = COUNTED.split(", ").filter(|c| *c != date).collect();
            let sql = match manager.get_database_backend() {
                DbBackend::Postgres => format!("CREATE INDEX {new} ON requests (caisse_id, {date}) INCLUDE ({})", counted.join(", ")),
                _ => format!("CREATE INDEX {new} ON requests (caisse_id, {date}, {})", counted.join(", ")),
            };
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (old, new, date) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {new}")).await?;
            db.execute_unprepared(&format!("CREATE INDEX {old} ON requests (caisse_id, {date})")).await?;
        }
        manager.alter_table(Table::alter().table(Requests::Table).drop_column(Requests::MasGrounds).to_owned()).await
    }
}
