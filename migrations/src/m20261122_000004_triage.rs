//! The caisse's working tools: teams that requests are routed to, appointments (one per slot and place),
//! canned replies, due-date budgets per kind, and the caisse's telephone hours.
//!
//! Columns added to existing tables (`team_id`) carry no foreign-key constraint: SQLite cannot add one to an
//! existing table; the code only ever writes ids it has just read from `teams`.

use crate::columns::{fk, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    CaisseId,
    Name,
    Kinds,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Appointments {
    Table,
    Id,
    RequestId,
    CaisseId,
    AccueilId,
    StartsAt,
    DurationMinutes,
    Status,
    SlotKey,
    Instructions,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CannedReplies {
    Table,
    Id,
    CaisseId,
    Title,
    Body,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DueDateSettings {
    Table,
    CaisseId,
    Kind,
    BusinessDays,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    TeamId,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    CaisseId,
    TeamId,
    DueOn,
    Id,
}

#[derive(DeriveIden)]
enum Caisses {
    Table,
    Id,
    PhoneHours,
}

/// Weekdays 08:30–12:00 and 13:30–16:30 (the caisse can change them).
const DEFAULT_PHONE_HOURS: &str = r#"{"mon":[["08:30","12:00"],["13:30","16:30"]],"tue":[["08:30","12:00"],["13:30","16:30"]],"wed":[["08:30","12:00"],["13:30","16:30"]],"thu":[["08:30","12:00"],["13:30","16:30"]],"fri":[["08:30","12:00"],["13:30","16:30"]]}"#;

fn id() -> Alias {
    Alias::new("id")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Teams::Table)
                    .col(id_col(Teams::Id))
                    .col(ColumnDef::new(Teams::CaisseId).string_len(36).not_null())
                    .col(ColumnDef::new(Teams::Name).string().not_null())
                    .col(ColumnDef::new(Teams::Kinds).string().not_null())
                    .col(ColumnDef::new(Teams::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut fk("fk_teams_caisse", (Teams::Table, Teams::CaisseId), (Caisses::Table, Caisses::Id)))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Appointments::Table)
                    .col(id_col(Appointments::Id))
                    .col(ColumnDef::new(Appointments::RequestId).string_len(36).not_null())
                    .col(ColumnDef::new(Appointments::CaisseId).string_len(36).not_null())
                    .col(ColumnDef::new(Appointments::AccueilId).string_len(36))
                    .col(ColumnDef::new(Appointments::StartsAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Appointments::DurationMinutes).integer().not_null())
                    .col(ColumnDef::new(Appointments::Status).string_len(16).not_null())
                    // "<place>|<start>" while the appointment holds its slot; NULL once cancelled.
                    .col(ColumnDef::new(Appointments::SlotKey).string().unique_key())
                    .col(ColumnDef::new(Appointments::Instructions).text().not_null())
                    .col(ColumnDef::new(Appointments::CreatedBy).string_len(36).not_null())
                    .col(ColumnDef::new(Appointments::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Appointments::UpdatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut fk("fk_appointments_request", (Appointments::Table, Appointments::RequestId), (Alias::new("requests"), id())))
                    .foreign_key(&mut fk("fk_appointments_caisse", (Appointments::Table, Appointments::CaisseId), (Caisses::Table, Caisses::Id)))
                    .foreign_key(&mut fk("fk_appointments_accueil", (Appointments::Table, Appointments::AccueilId), (Alias::new("accueils"), id())))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CannedReplies::Table)
                    .col(id_col(CannedReplies::Id))
                    .col(ColumnDef::new(CannedReplies::CaisseId).string_len(36).not_null())
                    .col(ColumnDef::new(CannedReplies::Title).string().not_null())
                    .col(ColumnDef::new(CannedReplies::Body).text().not_null())
                    .col(ColumnDef::new(CannedReplies::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(CannedReplies::UpdatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut fk("fk_canned_replies_caisse", (CannedReplies::Table, CannedReplies::CaisseId), (Caisses::Table, Caisses::Id)))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DueDateSettings::Table)
                    .col(ColumnDef::new(DueDateSettings::CaisseId).string_len(36).not_null())
                    .col(ColumnDef::new(DueDateSettings::Kind).string_len(24).not_null())
                    .col(ColumnDef::new(DueDateSettings::BusinessDays).integer().not_null())
                    .primary_key(Index::create().col(DueDateSettings::CaisseId).col(DueDateSettings::Kind))
                    .foreign_key(&mut fk(
                        "fk_due_date_settings_caisse",
                        (DueDateSettings::Table, DueDateSettings::CaisseId),
                        (Caisses::Table, Caisses::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        for index in [
            Index::create().name("idx_teams_caisse_name").table(Teams::Table).col(Teams::CaisseId).col(Teams::Name).unique().to_owned(),
            Index::create()
                .name("idx_appointments_request")
                .table(Appointments::Table)
                .col(Appointments::RequestId)
                .col(Appointments::StartsAt)
                .to_owned(),
            Index::create()
                .name("idx_canned_replies_caisse")
                .table(CannedReplies::Table)
                .col(CannedReplies::CaisseId)
                .col(CannedReplies::Title)
                .to_owned(),
        ] {
            manager.create_index(index).await?;
        }

        manager.alter_table(Table::alter().table(Accounts::Table).add_column(ColumnDef::new(Accounts::TeamId).string_len(36)).to_owned()).await?;
        manager.alter_table(Table::alter().table(Requests::Table).add_column(ColumnDef::new(Requests::TeamId).string_len(36)).to_owned()).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Caisses::Table)
                    .add_column(ColumnDef::new(Caisses::PhoneHours).text().not_null().default(DEFAULT_PHONE_HOURS))
                    .to_owned(),
            )
            .await?;
        // The queue filtered by team, and sorted by due date, both in keyset order.
        for (name, columns) in [
            ("idx_requests_caisse_team", vec![Requests::CaisseId, Requests::TeamId, Requests::Id]),
            ("idx_requests_caisse_due", vec![Requests::CaisseId, Requests::DueOn, Requests::Id]),
        ] {
            let mut index = Index::create().name(name).table(Requests::Table).to_owned();
            for column in columns {
                index.col(column);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_requests_caisse_due", "idx_requests_caisse_team"] {
            manager.drop_index(Index::drop().name(name).table(Requests::Table).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(Caisses::Table).drop_column(Caisses::PhoneHours).to_owned()).await?;
        manager.alter_table(Table::alter().table(Requests::Table).drop_column(Requests::TeamId).to_owned()).await?;
        manager.alter_table(Table::alter().table(Accounts::Table).drop_column(Accounts::TeamId).to_owned()).await?;
        for table in [DueDateSettings::Table.into_iden(), CannedReplies::Table.into_iden(), Appointments::Table.into_iden(), Teams::Table.into_iden()]
        {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
