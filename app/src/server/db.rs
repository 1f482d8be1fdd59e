//! Opening the database (SQLite file by default, PostgreSQL when asked) and bringing its schema up to date.

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::path::Path;
use std::time::Duration;

/// How long a SQLite connection waits for another one's write lock before giving up ("database is locked").
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A pooled connection idle this long is pinged before it is handed out again.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

/// A statement slower than this is logged as a warning (its text, never its values).
const SLOW_STATEMENT: Duration = Duration::from_secs(1);

/// Connects, creating the SQLite file (and its folder) on first start, with WAL and foreign keys on, and a busy
/// timeout so that a writer waits its turn instead of failing.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_path(url)
        && let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|e| DbErr::Custom(format!("cannot create the data folder {}: {e}", parent.display())))?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(if sqlite_path(url).is_some() { 8 } else { 20 })
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        // sqlx pings every connection it takes back (one more round trip a statement, to the SQLite worker thread
        // or the PostgreSQL server); pinging it again when handing it out doubled that. Only a connection idle
        // long enough for a server or a proxy to have dropped it is checked first.
        .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
        // Statements (never their values) at debug level, for `RUST_LOG=sqlx=debug`; slow ones at warn.
        .sqlx_logging(true)
        .sqlx_logging_level(log::LevelFilter::Debug)
        .sqlx_slow_statements_logging_settings(log::LevelFilter::Warn, SLOW_STATEMENT)
        // PostgreSQL plans a prepared statement once, for any values, as SQLite does (its planner stability guarantee,
        // `.cargo/config.toml`): the indexes are made for plans that do not depend on the values. By default it
        // planned each run again, as the values bound to it might call for another plan, and planning took longer
        // than running (0.16–0.28 ms against 0.08–0.10 ms for the partner home's to-do list).
        .map_sqlx_postgres_opts(|o| o.options([("plan_cache_mode", "force_generic_plan")]))
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .create_if_missing(true)
        });
    Database::connect(options).await
}

/// Begins a transaction that will write: use it for every transaction that changes data.
///
/// On SQLite it takes the database's write lock at `BEGIN IMMEDIATE`, waiting for it up to the busy timeout. A
/// plain (deferred) transaction that reads first and writes later cannot wait at that point: SQLite refuses the
/// write at once with "database is locked" when another connection wrote in between, which made concurrent
/// bookings answer 500. Writers thus take turns (readers are never blocked, thanks to WAL). On PostgreSQL this is
/// an ordinary transaction: row locks and unique constraints arbitrate there.
pub async fn write_transaction<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() }).await
}

/// The PostgreSQL advisory lock instances take while they migrate: a number of this app's own (« epmigr »).
const MIGRATION_LOCK: i64 = 0x6570_6d69_6772;

/// Applies every pending migration, once however many instances start together: in one write transaction (SQLite's
/// write lock, taken at `BEGIN IMMEDIATE`; on PostgreSQL a transaction-scoped advisory lock), so that instances take
/// turns — the first applies each migration, the others find nothing left to do — and a migration that fails leaves
/// the schema as it was.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = write_transaction(db).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")).await?;
    }
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// How many migrations the database still lacks (an instance started with `MIGRATE_AT_START=false` says so).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.len())
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn the_sqlite_file_path_is_read_from_the_url() {
        assert_eq!(sqlite_path("sqlite://data/app.db?mode=rwc"), Some("data/app.db"));
        assert_eq!(sqlite_path("sqlite:///tmp/x/app.db"), Some("/tmp/x/app.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://u@h/db"), None);
    }
}
