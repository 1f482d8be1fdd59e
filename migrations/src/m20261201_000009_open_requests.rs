//! Partial indexes on a caisse's open requests, newest first and soonest due first: the queue reads the backlog
//! without walking the years of closed requests a caisse keeps. Queries use them only when they spell the same
//! condition out with literal codes (`app::server::entities::request::is_open`; a test checks both lists agree).

use sea_orm_migration::prelude::*;

/// The open statuses, in the order the condition is written (the domain's `Status::is_open`).
pub const OPEN_STATUSES: [&str; 4] = ["submitted", "in_progress", "awaiting_partner", "appointment_scheduled"];

const INDEXES: [(&str, &str); 2] = [("idx_requests_open_newest", "caisse_id, id"), ("idx_requests_open_due", "caisse_id, due_on, id")];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let codes: Vec<String> = OPEN_STATUSES.iter().map(|code| format!("'{code}'")).collect();
        for (name, columns) in INDEXES {
            let sql = format!("CREATE INDEX {name} ON requests ({columns}) WHERE status IN ({})", codes.join(", "));
            manager.get_connection().execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager.get_connection().execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        Ok(())
    }
}
