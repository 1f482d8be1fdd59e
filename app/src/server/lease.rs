//! Claiming the due rows of a delivery queue (the e-mail outbox, webhook deliveries): however many instances serve,
//! each due row is counted as an attempt by one of them only, which then holds it for a lease.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    Value,
};

/// A table of deliveries waiting for their turn: the columns a claim reads and writes.
pub trait Queue: EntityTrait {
    const ID: Self::Column;
    const STATUS: Self::Column;
    const NEXT_ATTEMPT_AT: Self::Column;
    const ATTEMPTS: Self::Column;
    /// The status of a row still to deliver.
    fn pending() -> Value;
    fn id(row: &Self::Model) -> &str;
    fn attempts(row: &Self::Model) -> i32;
    /// The row with `attempts` counted.
    fn with_attempts(row: Self::Model, attempts: i32) -> Self::Model;
}

/// Claims up to `batch` rows due at `now`, the longest due first, and holds each for `lease`. Rows another instance
/// holds locked are skipped (PostgreSQL), and a row only counts as claimed if this instance counted the attempt
/// itself (the update is conditional on the count it read).
pub async fn claim<Q: Queue>(db: &DatabaseConnection, now: DateTime<Utc>, lease: Duration, batch: u64) -> Result<Vec<Q::Model>, DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        let txn = db.begin().await?;
        let claimed = claim_on::<Q>(&txn, now, lease, batch, true).await?;
        txn.commit().await?;
        Ok(claimed)
    } else {
        // SQLite: each conditional update is atomic on its own; a transaction would only risk a lock upgrade.
        claim_on::<Q>(db, now, lease, batch, false).await
    }
}

async fn claim_on<Q: Queue>(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease: Duration,
    batch: u64,
    skip_locked: bool,
) -> Result<Vec<Q::Model>, DbErr> {
    let mut due = Q::find().filter(Q::STATUS.eq(Q::pending())).filter(Q::NEXT_ATTEMPT_AT.lte(now)).order_by_asc(Q::NEXT_ATTEMPT_AT).limit(batch);
    if skip_locked {
        due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let mut claimed = vec![];
    for row in due.all(db).await? {
        let attempts = Q::attempts(&row);
        let updated = Q::update_many()
            .col_expr(Q::NEXT_ATTEMPT_AT, Expr::value(now + lease))
            .col_expr(Q::ATTEMPTS, Expr::value(attempts + 1))
            .filter(Q::ID.eq(Q::id(&row)))
            .filter(Q::STATUS.eq(Q::pending()))
            .filter(Q::ATTEMPTS.eq(attempts))
            .exec(db)
            .await?;
        if updated.rows_affected == 1 {
            claimed.push(Q::with_attempts(row, attempts + 1));
        }
    }
    Ok(claimed)
}
