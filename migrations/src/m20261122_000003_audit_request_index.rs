//! One audit entry per HTTP request, action and object: a page that loads its data twice while rendering records once.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    RequestId,
    Action,
    ObjectId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_once_per_request")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::RequestId)
                    .col(AuditEvents::Action)
                    .col(AuditEvents::ObjectId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_audit_once_per_request").table(AuditEvents::Table).to_owned()).await
    }
}
