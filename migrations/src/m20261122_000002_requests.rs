//! Requests (demandes) with their assuré, their timeline of events, the message thread, attachments, and the
//! yearly counter behind public references.

use crate::columns::{fk, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReferenceCounters {
    Table,
    Year,
    LastNumber,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
    Reference,
    Kind,
    DossierType,
    Subject,
    Body,
    Details,
    Status,
    CaisseId,
    StructureId,
    AuthorId,
    AssigneeId,
    DueOn,
    BeneficiaryLastName,
    BeneficiaryFirstNames,
    BeneficiaryBirthDate,
    BeneficiaryNir,
    BeneficiaryPhone,
    BeneficiaryAddress,
    BeneficiarySearch,
    ConsentMethod,
    ConsentRecordedAt,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum RequestEvents {
    Table,
    Id,
    RequestId,
    OccurredAt,
    ActorId,
    ActorLabel,
    Action,
    FromStatus,
    ToStatus,
    Note,
}

#[derive(DeriveIden)]
enum RequestMessages {
    Table,
    Id,
    RequestId,
    AuthorId,
    AuthorLabel,
    FromCaisse,
    Internal,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    RequestId,
    MessageId,
    UploadedBy,
    StorageKey,
    FileName,
    ContentType,
    SizeBytes,
    CreatedAt,
}

fn table(name: &str) -> Alias {
    Alias::new(name)
}

fn id() -> Alias {
    Alias::new("id")
}

fn index(name: &str, on: impl IntoIden, cols: Vec<Requests>) -> IndexCreateStatement {
    let mut statement = Index::create().name(name).table(on).to_owned();
    for col in cols {
        statement.col(col);
    }
    statement
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReferenceCounters::Table)
                    .col(ColumnDef::new(ReferenceCounters::Year).integer().not_null().primary_key())
                    .col(ColumnDef::new(ReferenceCounters::LastNumber).big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Requests::Table)
                    .col(id_col(Requests::Id))
                    .col(ColumnDef::new(Requests::Reference).string_len(16).not_null().unique_key())
                    .col(ColumnDef::new(Requests::Kind).string_len(24).not_null())
                    .col(ColumnDef::new(Requests::DossierType).string_len(24))
                    .col(ColumnDef::new(Requests::Subject).string().not_null())
                    .col(ColumnDef::new(Requests::Body).text().not_null())
                    .col(ColumnDef::new(Requests::Details).text().not_null())
                    .col(ColumnDef::new(Requests::Status).string_len(24).not_null())
                    .col(ColumnDef::new(Requests::CaisseId).string_len(36).not_null())
                    .col(ColumnDef::new(Requests::StructureId).string_len(36).not_null())
                    .col(ColumnDef::new(Requests::AuthorId).string_len(36).not_null())
                    .col(ColumnDef::new(Requests::AssigneeId).string_len(36))
                    .col(ColumnDef::new(Requests::DueOn).date())
                    .col(ColumnDef::new(Requests::BeneficiaryLastName).string())
                    .col(ColumnDef::new(Requests::BeneficiaryFirstNames).string())
                    .col(ColumnDef::new(Requests::BeneficiaryBirthDate).date())
                    .col(ColumnDef::new(Requests::BeneficiaryNir).string_len(15))
                    .col(ColumnDef::new(Requests::BeneficiaryPhone).string())
                    .col(ColumnDef::new(Requests::BeneficiaryAddress).string())
                    .col(ColumnDef::new(Requests::BeneficiarySearch).string())
                    .col(ColumnDef::new(Requests::ConsentMethod).string_len(24))
                    .col(ColumnDef::new(Requests::ConsentRecordedAt).timestamp_with_time_zone())
                    .col(ColumnDef::new(Requests::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Requests::UpdatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Requests::ClosedAt).timestamp_with_time_zone())
                    .foreign_key(&mut fk("fk_requests_caisse", (Requests::Table, Requests::CaisseId), (table("caisses"), id())))
                    .foreign_key(&mut fk("fk_requests_structure", (Requests::Table, Requests::StructureId), (table("partner_structures"), id())))
                    .foreign_key(&mut fk("fk_requests_author", (Requests::Table, Requests::AuthorId), (table("accounts"), id())))
                    .to_owned(),
            )
            .await?;
        // Keyset pagination of a structure's history (newest first: ids are time-ordered UUIDv7),
        // with the filters people use most; the caisse's queue; the duplicate guard.
        use Requests as R;
        for statement in [
            index("idx_requests_structure", R::Table, vec![R::StructureId, R::Id]),
            index("idx_requests_structure_status", R::Table, vec![R::StructureId, R::Status, R::Id]),
            index("idx_requests_structure_kind", R::Table, vec![R::StructureId, R::Kind, R::Id]),
            index("idx_requests_structure_author", R::Table, vec![R::StructureId, R::AuthorId, R::Id]),
            index("idx_requests_caisse_status", R::Table, vec![R::CaisseId, R::Status, R::Id]),
            index("idx_requests_structure_birth_date", R::Table, vec![R::StructureId, R::BeneficiaryBirthDate]),
            index("idx_requests_structure_nir", R::Table, vec![R::StructureId, R::BeneficiaryNir]),
        ] {
            manager.create_index(statement).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(RequestEvents::Table)
                    .col(id_col(RequestEvents::Id))
                    .col(ColumnDef::new(RequestEvents::RequestId).string_len(36).not_null())
                    .col(ColumnDef::new(RequestEvents::OccurredAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(RequestEvents::ActorId).string_len(36))
                    .col(ColumnDef::new(RequestEvents::ActorLabel).string().not_null())
                    .col(ColumnDef::new(RequestEvents::Action).string_len(32).not_null())
                    .col(ColumnDef::new(RequestEvents::FromStatus).string_len(24))
                    .col(ColumnDef::new(RequestEvents::ToStatus).string_len(24).not_null())
                    .col(ColumnDef::new(RequestEvents::Note).text())
                    .foreign_key(&mut fk(
                        "fk_request_events_request",
                        (RequestEvents::Table, RequestEvents::RequestId),
                        (Requests::Table, Requests::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_events_request")
                    .table(RequestEvents::Table)
                    .col(RequestEvents::RequestId)
                    .col(RequestEvents::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RequestMessages::Table)
                    .col(id_col(RequestMessages::Id))
                    .col(ColumnDef::new(RequestMessages::RequestId).string_len(36).not_null())
                    .col(ColumnDef::new(RequestMessages::AuthorId).string_len(36).not_null())
                    .col(ColumnDef::new(RequestMessages::AuthorLabel).string().not_null())
                    .col(ColumnDef::new(RequestMessages::FromCaisse).boolean().not_null())
                    .col(ColumnDef::new(RequestMessages::Internal).boolean().not_null().default(false))
                    .col(ColumnDef::new(RequestMessages::Body).text().not_null())
                    .col(ColumnDef::new(RequestMessages::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut fk(
                        "fk_request_messages_request",
                        (RequestMessages::Table, RequestMessages::RequestId),
                        (Requests::Table, Requests::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_messages_request")
                    .table(RequestMessages::Table)
                    .col(RequestMessages::RequestId)
                    .col(RequestMessages::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(id_col(Attachments::Id))
                    .col(ColumnDef::new(Attachments::RequestId).string_len(36))
                    .col(ColumnDef::new(Attachments::MessageId).string_len(36))
                    .col(ColumnDef::new(Attachments::UploadedBy).string_len(36).not_null())
                    .col(ColumnDef::new(Attachments::StorageKey).string().not_null().unique_key())
                    .col(ColumnDef::new(Attachments::FileName).string().not_null())
                    .col(ColumnDef::new(Attachments::ContentType).string_len(64).not_null())
                    .col(ColumnDef::new(Attachments::SizeBytes).big_integer().not_null())
                    .col(ColumnDef::new(Attachments::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut fk("fk_attachments_request", (Attachments::Table, Attachments::RequestId), (Requests::Table, Requests::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_attachments_request").table(Attachments::Table).col(Attachments::RequestId).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attachments_uploader")
                    .table(Attachments::Table)
                    .col(Attachments::UploadedBy)
                    .col(Attachments::RequestId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["attachments", "request_messages", "request_events", "requests", "reference_counters"] {
            manager.drop_table(Table::drop().table(table(name)).to_owned()).await?;
        }
        Ok(())
    }
}
