//! The database schema's single source of truth: every table is created here, and every migration can go down.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261122_000001_foundation;
mod m20261122_000002_requests;
mod m20261122_000003_audit_request_index;
mod m20261122_000004_triage;
mod m20261122_000005_mail;
mod m20261122_000006_admin;
mod m20261122_000007_followers;
mod m20261201_000008_due_budget;
mod m20261201_000009_open_requests;
mod m20261202_000010_appointment_changes;
mod m20261203_000011_statistics;
mod m20261204_000012_exports;
mod m20261205_000013_statistics_covering;
mod m20261206_000014_job_claims;
mod m20261207_000015_retention;
mod m20261208_000016_site_texts;
mod m20261209_000017_caisse_nir;
mod m20261210_000018_second_factor;
mod m20261211_000019_api_tokens;
mod m20261212_000020_webhooks;
mod m20261213_000021_history_period;

pub use m20261201_000009_open_requests::OPEN_STATUSES;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_requests::Migration),
            Box::new(m20261122_000003_audit_request_index::Migration),
            Box::new(m20261122_000004_triage::Migration),
            Box::new(m20261122_000005_mail::Migration),
            Box::new(m20261122_000006_admin::Migration),
            Box::new(m20261122_000007_followers::Migration),
            Box::new(m20261201_000008_due_budget::Migration),
            Box::new(m20261201_000009_open_requests::Migration),
            Box::new(m20261202_000010_appointment_changes::Migration),
            Box::new(m20261203_000011_statistics::Migration),
            Box::new(m20261204_000012_exports::Migration),
            Box::new(m20261205_000013_statistics_covering::Migration),
            Box::new(m20261206_000014_job_claims::Migration),
            Box::new(m20261207_000015_retention::Migration),
            Box::new(m20261208_000016_site_texts::Migration),
            Box::new(m20261209_000017_caisse_nir::Migration),
            Box::new(m20261210_000018_second_factor::Migration),
            Box::new(m20261211_000019_api_tokens::Migration),
            Box::new(m20261212_000020_webhooks::Migration),
            Box::new(m20261213_000021_history_period::Migration),
        ]
    }
}
