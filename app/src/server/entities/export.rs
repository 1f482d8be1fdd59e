//! A file prepared in the background for the account that asked for it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub account_id: String,
    /// What the file holds, as its page names it (« File des demandes »).
    pub title: String,
    /// The page it was asked from (`/caisse/file?…`), to go back to.
    pub return_to: String,
    pub file_name: String,
    /// `csv`, `xlsx` or `ods`.
    pub format: String,
    /// `running`, `ready` or `failed`.
    pub state: String,
    pub rows_done: i64,
    pub rows_total: i64,
    /// Where the finished file is, in the object store.
    pub storage_key: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub finished_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
