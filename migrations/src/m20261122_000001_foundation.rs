//! Foundation tables: caisses and their accueils, partner structures, conventions, accounts,
//! sessions, sign-in failures and the audit log.

use crate::columns::{fk, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Caisses {
    Table,
    Id,
    Code,
    Name,
    Departement,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accueils {
    Table,
    Id,
    CaisseId,
    Name,
    Address,
    PostalCode,
    Commune,
    Phone,
    OpeningHours,
    Active,
}

#[derive(DeriveIden)]
enum PartnerStructures {
    Table,
    Id,
    CaisseId,
    Name,
    Kind,
    Siret,
    Address,
    PostalCode,
    Commune,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Conventions {
    Table,
    Id,
    StructureId,
    CaisseId,
    Status,
    StartsOn,
    EndsOn,
    Functions,
    SuspensionReason,
    SignedDocumentKey,
    PreviousConventionId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Email,
    FirstName,
    LastName,
    Role,
    CaisseId,
    StructureId,
    PasswordHash,
    TrainedOn,
    Active,
    LastSignInAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    AccountId,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SignInFailures {
    Table,
    Id,
    Email,
    Ip,
    OccurredAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    OccurredAt,
    ActorId,
    ActorLabel,
    CaisseId,
    Action,
    ObjectType,
    ObjectId,
    RequestId,
    Ip,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Caisses::Table)
                    .col(id_col(Caisses::Id))
                    .col(ColumnDef::new(Caisses::Code).string_len(8).not_null().unique_key())
                    .col(ColumnDef::new(Caisses::Name).string().not_null())
                    .col(ColumnDef::new(Caisses::Departement).string_len(3).not_null())
                    .col(ColumnDef::new(Caisses::CreatedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Accueils::Table)
                    .col(id_col(Accueils::Id))
                    .col(ColumnDef::new(Accueils::CaisseId).string_len(36).not_null())
                    .col(ColumnDef::new(Accueils::Name).string().not_null())
                    .col(ColumnDef::new(Accueils::Address).string().not_null())
                    .col(ColumnDef::new(Accueils::PostalCode).string_len(5).not_null())
                    .col(ColumnDef::new(Accueils::Commune).string().not_null())
                    .col(ColumnDef::new(Accueils::Phone).string())
                    .col(ColumnDef::new(Accueils::OpeningHours).text().not_null())
                    .col(ColumnDef::new(Accueils::Active).boolean().not_null().default(true))
                    .foreign_key(&mut fk("fk_accueils_caisse", (Accueils::Table, Accueils::CaisseId), (Caisses::Table, Caisses::Id)))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PartnerStructures::Table)
                    .col(id_col(PartnerStructures::Id))
                    .col(ColumnDef::new(PartnerStructures::CaisseId).string_len(36).not_null())
                    .col(ColumnDef::new(PartnerStructures::Name).string().not_null())
                    .col(ColumnDef::new(PartnerStructures::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(PartnerStructures::Siret).string_len(14).unique_key())
                    .col(ColumnDef::new(PartnerStructures::Address).string().not_null())
                    .col(ColumnDef::new(PartnerStructures::PostalCode).string_len(5).not_null())
                    .col(ColumnDef::new(PartnerStructures::Commune).string().not_null())
                    .col(ColumnDef::new(PartnerStructures::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(PartnerStructures::UpdatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut fk(
                        "fk_structures_caisse",
                        (PartnerStructures::Table, PartnerStructures::CaisseId),
                        (Caisses::Table, Caisses::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_structures_caisse_name")
                    .table(PartnerStructures::Table)
                    .col(PartnerStructures::CaisseId)
                    .col(PartnerStructures::Name)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Conventions::Table)
                    .col(id_col(Conventions::Id))
                    .col(ColumnDef::new(Conventions::StructureId).string_len(36).not_null())
                    .col(ColumnDef::new(Conventions::CaisseId).string_len(36).not_null())
                    .col(ColumnDef::new(Conventions::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Conventions::StartsOn).date().not_null())
                    .col(ColumnDef::new(Conventions::EndsOn).date())
                    .col(ColumnDef::new(Conventions::Functions).string().not_null())
                    .col(ColumnDef::new(Conventions::SuspensionReason).text())
                    .col(ColumnDef::new(Conventions::SignedDocumentKey).string())
                    .col(ColumnDef::new(Conventions::PreviousConventionId).string_len(36))
                    .col(ColumnDef::new(Conventions::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Conventions::UpdatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut fk(
                        "fk_conventions_structure",
                        (Conventions::Table, Conventions::StructureId),
                        (PartnerStructures::Table, PartnerStructures::Id),
                    ))
                    .foreign_key(&mut fk("fk_conventions_caisse", (Conventions::Table, Conventions::CaisseId), (Caisses::Table, Caisses::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_conventions_structure")
                    .table(Conventions::Table)
                    .col(Conventions::StructureId)
                    .col(Conventions::Status)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(id_col(Accounts::Id))
                    .col(ColumnDef::new(Accounts::Email).string_len(254).not_null().unique_key())
                    .col(ColumnDef::new(Accounts::FirstName).string().not_null())
                    .col(ColumnDef::new(Accounts::LastName).string().not_null())
                    .col(ColumnDef::new(Accounts::Role).string_len(16).not_null())
                    .col(ColumnDef::new(Accounts::CaisseId).string_len(36))
                    .col(ColumnDef::new(Accounts::StructureId).string_len(36))
                    .col(ColumnDef::new(Accounts::PasswordHash).string())
                    .col(ColumnDef::new(Accounts::TrainedOn).date())
                    .col(ColumnDef::new(Accounts::Active).boolean().not_null().default(true))
                    .col(ColumnDef::new(Accounts::LastSignInAt).timestamp_with_time_zone())
                    .col(ColumnDef::new(Accounts::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Accounts::UpdatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut fk("fk_accounts_caisse", (Accounts::Table, Accounts::CaisseId), (Caisses::Table, Caisses::Id)))
                    .foreign_key(&mut fk(
                        "fk_accounts_structure",
                        (Accounts::Table, Accounts::StructureId),
                        (PartnerStructures::Table, PartnerStructures::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(ColumnDef::new(Sessions::Id).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(Sessions::AccountId).string_len(36))
                    .col(ColumnDef::new(Sessions::Data).text().not_null())
                    .col(ColumnDef::new(Sessions::ExpiresAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_sessions_account").table(Sessions::Table).col(Sessions::AccountId).to_owned()).await?;
        manager.create_index(Index::create().name("idx_sessions_expires").table(Sessions::Table).col(Sessions::ExpiresAt).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(SignInFailures::Table)
                    .col(id_col(SignInFailures::Id))
                    .col(ColumnDef::new(SignInFailures::Email).string_len(254).not_null())
                    .col(ColumnDef::new(SignInFailures::Ip).string_len(64).not_null())
                    .col(ColumnDef::new(SignInFailures::OccurredAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sign_in_failures_email")
                    .table(SignInFailures::Table)
                    .col(SignInFailures::Email)
                    .col(SignInFailures::OccurredAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sign_in_failures_ip")
                    .table(SignInFailures::Table)
                    .col(SignInFailures::Ip)
                    .col(SignInFailures::OccurredAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(id_col(AuditEvents::Id))
                    .col(ColumnDef::new(AuditEvents::OccurredAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(AuditEvents::ActorId).string_len(36))
                    .col(ColumnDef::new(AuditEvents::ActorLabel).string().not_null())
                    .col(ColumnDef::new(AuditEvents::CaisseId).string_len(36))
                    .col(ColumnDef::new(AuditEvents::Action).string_len(64).not_null())
                    .col(ColumnDef::new(AuditEvents::ObjectType).string_len(32).not_null())
                    .col(ColumnDef::new(AuditEvents::ObjectId).string_len(64))
                    .col(ColumnDef::new(AuditEvents::RequestId).string_len(64))
                    .col(ColumnDef::new(AuditEvents::Ip).string_len(64))
                    .col(ColumnDef::new(AuditEvents::Detail).text())
                    .to_owned(),
            )
            .await?;
        for (name, col) in
            [("idx_audit_occurred", AuditEvents::OccurredAt), ("idx_audit_actor", AuditEvents::ActorId), ("idx_audit_object", AuditEvents::ObjectId)]
        {
            manager.create_index(Index::create().name(name).table(AuditEvents::Table).col(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            SignInFailures::Table.into_iden(),
            Sessions::Table.into_iden(),
            Accounts::Table.into_iden(),
            Conventions::Table.into_iden(),
            PartnerStructures::Table.into_iden(),
            Accueils::Table.into_iden(),
            Caisses::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
