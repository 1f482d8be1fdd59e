//! Administration: invitation links share the one-time link table (a `purpose` tells them apart), signed
//! convention documents keep their file name, and the audit log gets the indexes its searches walk.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Purpose,
}

#[derive(DeriveIden)]
enum Conventions {
    Table,
    SignedDocumentName,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    CaisseId,
    ActorId,
    ObjectId,
}

const AUDIT_INDEXES: [&str; 3] = ["idx_audit_caisse_newest", "idx_audit_actor_newest", "idx_audit_object_newest"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PasswordResets::Table)
                    // reset (one hour) or invitation (72 hours).
                    .add_column(ColumnDef::new(PasswordResets::Purpose).string_len(16).not_null().default("reset"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(Conventions::Table).add_column(ColumnDef::new(Conventions::SignedDocumentName).string()).to_owned())
            .await?;
        // The log is read newest first (ids are UUID v7, so they sort by time), within a caisse, an actor or an object
        // (the foundation's indexes on the occurred_at, actor_id and object_id columns alone stay for the purge and older queries).
        let columns: [(&str, Vec<AuditEvents>); 3] = [
            (AUDIT_INDEXES[0], vec![AuditEvents::CaisseId, AuditEvents::Id]),
            (AUDIT_INDEXES[1], vec![AuditEvents::ActorId, AuditEvents::Id]),
            (AUDIT_INDEXES[2], vec![AuditEvents::ObjectId, AuditEvents::Id]),
        ];
        for (name, cols) in columns {
            let mut index = Index::create().name(name).table(AuditEvents::Table).to_owned();
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in AUDIT_INDEXES {
            manager.drop_index(Index::drop().name(name).table(AuditEvents::Table).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(Conventions::Table).drop_column(Conventions::SignedDocumentName).to_owned()).await?;
        manager.alter_table(Table::alter().table(PasswordResets::Table).drop_column(PasswordResets::Purpose).to_owned()).await
    }
}
