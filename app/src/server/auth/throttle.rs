//! The database side of the sign-in throttle (`domain::sign_in_throttle`) for any check of a password someone
//! typed: the attempt is counted with the others of the account and of the client address and, when the policy
//! allows it, reserved as a failure (both in one turn-taking transaction); only then is the password verified. A
//! success withdraws the reservation, a wrong password leaves it as the failure it is, so sign-in and password change
//! share one lock.

use crate::domain::sign_in_throttle::{AttemptsInWindow, ThrottlePolicy};
use crate::dto::error::AppError;
use crate::server::db::write_transaction;
use crate::server::entities::sign_in_failure;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
};

/// The PostgreSQL advisory lock that makes reservations take turns (any constant no other lock of the app uses).
const THROTTLE_LOCK: i64 = 0x5349_474e; // "SIGN"

/// An attempt written as a failure until its password proves right.
#[must_use = "withdraw the reservation when the password is right"]
pub struct Reservation {
    id: String,
}

/// Reserves an attempt for `email` from `ip`; `None` when the throttle forbids even trying (nothing is kept then).
///
/// Reservations take turns: counting and writing happen in one transaction that holds the database's write lock
/// (SQLite's `BEGIN IMMEDIATE`) or the throttle's own lock (PostgreSQL), so each attempt is decided on every attempt
/// reserved before it, however many arrive at once and however the pool hands out connections.
pub async fn reserve(
    db: &DatabaseConnection,
    policy: &ThrottlePolicy,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Option<Reservation>, AppError> {
    let txn = write_transaction(db).await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({THROTTLE_LOCK})")).await?;
    }
    let since = now - Duration::minutes(policy.window_minutes);
    let recent = || sign_in_failure::Entity::find().filter(sign_in_failure::Column::OccurredAt.gt(since));
    // This attempt counts with those before it.
    let counted = AttemptsInWindow {
        for_account: recent().filter(sign_in_failure::Column::Email.eq(email)).count(&txn).await? + 1,
        from_ip: recent().filter(sign_in_failure::Column::Ip.eq(ip)).count(&txn).await? + 1,
    };
    if !policy.allows(counted) {
        // Not tried, so not a failure: the lock lasts from the failures that were verified.
        txn.commit().await?;
        return Ok(None);
    }
    let id = uuid::Uuid::now_v7().to_string();
    sign_in_failure::ActiveModel { id: Set(id.clone()), email: Set(email.to_owned()), ip: Set(ip.to_owned()), occurred_at: Set(now) }
        .insert(&txn)
        .await?;
    txn.commit().await?;
    Ok(Some(Reservation { id }))
}

impl Reservation {
    /// The password was right: the attempt is not a failure.
    pub async fn withdraw(self, db: &DatabaseConnection) -> Result<(), AppError> {
        sign_in_failure::Entity::delete_by_id(self.id).exec(db).await?;
        Ok(())
    }

    /// The password was wrong: the reservation stays, counted as a failure.
    pub fn keep(self) {}
}
