//! tower-sessions store on our own `sessions` table, so that every app instance shares the same sessions.

use crate::server::entities::session;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// Where axum-login keeps the signed-in user inside a session record.
const AUTH_DATA_KEY: &str = "axum-login.data";

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        DbSessionStore { db }
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
        let Some(row) =
            session::Entity::find_by_id(id.to_string()).filter(session::Column::ExpiresAt.gt(Utc::now())).one(&self.db).await.map_err(backend)?
        else {
            return Ok(None);
        };
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
