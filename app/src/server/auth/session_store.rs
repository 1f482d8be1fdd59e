//! tower-sessions store on our own `sessions` table, so that every app instance shares the same sessions. A
//! session is read with its account in one query; the account waits in [`Prefetched`] for axum-login to ask.

use super::{AccountWithOrganisation, Prefetched, select_signed_in};
use crate::server::entities::{account, session};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryResult};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// Where axum-login keeps the signed-in user inside a session record.
const AUTH_DATA_KEY: &str = "axum-login.data";

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    prefetched: Prefetched,
}

impl DbSessionStore {
    /// `prefetched` is shared with the [`super::Backend`] that reads the accounts.
    pub fn new(db: DatabaseConnection, prefetched: Prefetched) -> Self {
        DbSessionStore { db, prefetched }
    }
}

/// A session row with, when it is signed in, its account (the columns of [`super::select_signed_in`]).
struct SessionWithAccount {
    data: String,
    expires_at: DateTime<Utc>,
    account: Option<AccountWithOrganisation>,
}

impl FromQueryResult for SessionWithAccount {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(SessionWithAccount {
            data: row.try_get(pre, "session_data")?,
            expires_at: row.try_get(pre, "session_expires_at")?,
            // No account joined (a visitor's session): every account column is NULL.
            account: AccountWithOrganisation::from_query_result_optional(row, pre)?,
        })
    }
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The account a record belongs to, so all of an account's sessions can be ended at once.
fn account_of(record: &Record) -> Option<String> {
    record.data.get(AUTH_DATA_KEY)?.get("user_id")?.as_str().map(str::to_owned)
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // An id collision is astronomically unlikely, but a reused id would hand over someone's session.
        while session::Entity::find_by_id(record.id.to_string()).one(&self.db).await.map_err(backend)?.is_some() {
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let row = session::ActiveModel {
            id: Set(record.id.to_string()),
            account_id: Set(account_of(record)),
            data: Set(data),
            expires_at: Set(expiry(record)),
        };
        session::Entity::insert(row)
            .on_conflict(
                OnConflict::column(session::Column::Id)
                    .update_columns([session::Column::AccountId, session::Column::Data, session::Column::ExpiresAt])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let mut select = Query::select();
        select
            .expr_as(Expr::col((session::Entity, session::Column::Data)), Alias::new("session_data"))
            .expr_as(Expr::col((session::Entity, session::Column::ExpiresAt)), Alias::new("session_expires_at"))
            .from(session::Entity)
            .left_join(account::Entity, Expr::col((account::Entity, account::Column::Id)).equals((session::Entity, session::Column::AccountId)))
            .and_where(Expr::col((session::Entity, session::Column::Id)).eq(id.to_string()))
            .and_where(Expr::col((session::Entity, session::Column::ExpiresAt)).gt(Utc::now()));
        select_signed_in(&mut select);
        let statement = self.db.get_database_backend().build(&select);
        let Some(row) = SessionWithAccount::find_by_statement(statement).one(&self.db).await.map_err(backend)? else {
            return Ok(None);
        };
        if let Some(account) = row.account {
            self.prefetched.put(account.into());
        }
        let data = serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp()).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(id.to_string()).exec(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        session::Entity::delete_many().filter(session::Column::ExpiresAt.lte(Utc::now())).exec(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

/// Ends every session of an account at once (deactivation, password change).
pub async fn end_all_sessions_of(db: &impl sea_orm::ConnectionTrait, account_id: &str) -> Result<u64, sea_orm::DbErr> {
    let result = session::Entity::delete_many().filter(session::Column::AccountId.eq(account_id)).exec(db).await?;
    Ok(result.rows_affected)
}
