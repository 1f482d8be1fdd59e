//! Who is signed in: the axum-login backend over our accounts, the sign-in procedure and session hygiene.

pub mod new_password;
pub mod password;
pub mod password_change;
pub mod preferences;
pub mod reset;
pub mod second_factor;
pub mod second_step;
pub mod security;
pub mod session_store;
pub mod sign_in;
pub mod throttle;

use crate::domain::request_lifecycle::Status;
use crate::domain::role::Role;
use crate::server::entities::account;
use axum_login::{AuthUser, AuthnBackend, UserId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{DatabaseConnection, DbErr, FromQueryResult};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The account behind a session, reloaded on every request so that role changes and deactivation apply at once.
#[derive(Clone)]
pub struct SignedIn {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub caisse_id: Option<String>,
    pub structure_id: Option<String>,
    /// The caisse team a caisse agent belongs to, if any.
    pub team_id: Option<String>,
    pub active: bool,
    /// The day a partner agent was trained to the extranet, if they were: submissions wait for it.
    pub trained_on: Option<chrono::NaiveDate>,
    /// The name of the person's structure or caisse, loaded with the account for the header of every page
    /// (`None` for a national admin, and for an account not yet reloaded from the session).
    pub organisation: Option<String>,
    /// For a partner agent, how many of the structure's requests wait for its answer (the count in the header).
    pub awaiting_answer: u64,
    /// A digest of the password hash: changes when the password changes, which ends every session opened with
    /// the old one. Stored in the session, so never the hash itself.
    stamp: Vec<u8>,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn").field("id", &self.id).field("role", &self.role).finish_non_exhaustive()
    }
}

impl SignedIn {
    pub fn from_model(model: account::Model) -> Self {
        SignedIn {
            id: model.id,
            email: model.email,
            first_name: model.first_name,
            last_name: model.last_name,
            role: model.role,
            caisse_id: model.caisse_id,
            structure_id: model.structure_id,
            team_id: model.team_id,
            active: model.active,
            trained_on: model.trained_on,
            organisation: None,
            awaiting_answer: 0,
            stamp: sha2::Sha256::digest(model.password_hash.unwrap_or_default().as_bytes()).to_vec(),
        }
    }

    /// An API token acting on its caisse's requests through `/api/v1`: an agent of that caisse with no team,
    /// named by `label` (« Jeton API « … » ») wherever the services write a name (timeline, thread, audit log).
    /// It never has a session, so it never passes the session checks of people.
    pub fn api_client(token_id: &str, label: &str, caisse_id: &str) -> Self {
        SignedIn {
            id: token_id.to_owned(),
            email: label.to_owned(),
            first_name: String::new(),
            last_name: label.to_owned(),
            role: Role::CaisseAgent,
            caisse_id: Some(caisse_id.to_owned()),
            structure_id: None,
            team_id: None,
            active: true,
            trained_on: None,
            organisation: None,
            awaiting_answer: 0,
            stamp: Vec::new(),
        }
    }

    pub fn display_name(&self) -> String {
        if self.first_name.is_empty() { self.last_name.clone() } else { format!("{} {}", self.first_name, self.last_name) }
    }
}

impl AuthUser for SignedIn {
    type Id = String;

    fn id(&self) -> Self::Id {
        self.id.clone()
    }

    /// A deactivated account matches no stored hash, so its sessions are flushed on their next request.
    fn session_auth_hash(&self) -> &[u8] {
        if self.active { &self.stamp } else { &[] }
    }
}

/// Loads accounts for axum-login. Password checks go through [`sign_in`], which also throttles and audits.
#[derive(Clone, Debug)]
pub struct Backend {
    db: DatabaseConnection,
    prefetched: Prefetched,
}

impl Backend {
    /// `prefetched` is the one the session store fills ([`session_store::DbSessionStore::new`]).
    pub fn new(db: DatabaseConnection, prefetched: Prefetched) -> Self {
        Backend { db, prefetched }
    }
}

/// Accounts the session store read together with their session (one query instead of two on every signed-in
/// request), kept for the same request's [`Backend::get_user`] a moment later. Each is taken once, and only within
/// [`Prefetched::FRESH`]; otherwise the account is read again.
#[derive(Clone, Debug, Default)]
pub struct Prefetched(Arc<Mutex<HashMap<String, (SignedIn, Instant)>>>);

impl Prefetched {
    /// How long a prefetched account may wait for its request's `get_user`.
    const FRESH: Duration = Duration::from_secs(2);
    /// More waiting accounts than this are a sign of requests that never asked: forget the stale ones.
    const MAX: usize = 10_000;

    pub(crate) fn put(&self, user: SignedIn) {
        let mut waiting = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if waiting.len() >= Self::MAX {
            waiting.retain(|_, (_, at)| at.elapsed() < Self::FRESH);
        }
        waiting.insert(user.id.clone(), (user, Instant::now()));
    }

    fn take(&self, id: &str) -> Option<SignedIn> {
        let (user, at) = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(id)?;
        (at.elapsed() < Self::FRESH).then_some(user)
    }
}

/// The account's columns, the name of its structure or caisse and its structure's requests awaiting an answer (the
/// count on the (structure, status) index), for a select from `accounts` or joined to it.
pub(crate) fn select_signed_in(select: &mut SelectStatement) {
    use sea_orm::Iterable;
    select
        .columns(account::Column::iter().map(|column| (account::Entity, column)))
        .expr_as(
            Expr::cust(
                "COALESCE((SELECT name FROM partner_structures WHERE partner_structures.id = accounts.structure_id), \
                 (SELECT name FROM caisses WHERE caisses.id = accounts.caisse_id))",
            ),
            Alias::new("organisation"),
        )
        .expr_as(
            Expr::cust(format!(
                "(SELECT COUNT(*) FROM requests WHERE requests.structure_id = accounts.structure_id AND requests.status = '{}')",
                Status::AwaitingPartner.code()
            )),
            Alias::new("awaiting_answer"),
        );
}

impl AuthnBackend for Backend {
    type User = SignedIn;
    /// Sign-in goes through [`sign_in::sign_in`]; the backend itself only reloads accounts.
    type Credentials = std::convert::Infallible;
    type Error = DbErr;

    async fn authenticate(&self, credentials: Self::Credentials) -> Result<Option<Self::User>, Self::Error> {
        match credentials {}
    }

    /// The account as the session store just read it, or else read now (one query): every request of a signed-in
    /// person needs it.
    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<Self::User>, Self::Error> {
        if let Some(user) = self.prefetched.take(id) {
            return Ok(Some(user));
        }
        let mut select = Query::select();
        select_signed_in(&mut select);
        select.from(account::Entity).and_where(Expr::col((account::Entity, account::Column::Id)).eq(id.as_str()));
        let found = AccountWithOrganisation::find_by_statement(self.db.get_database_backend().build(&select)).one(&self.db).await?;
        Ok(found.map(SignedIn::from))
    }
}

#[derive(FromQueryResult)]
pub(crate) struct AccountWithOrganisation {
    #[sea_orm(nested)]
    account: account::Model,
    organisation: Option<String>,
    awaiting_answer: i64,
}

impl From<AccountWithOrganisation> for SignedIn {
    fn from(row: AccountWithOrganisation) -> Self {
        SignedIn {
            organisation: row.organisation,
            awaiting_answer: u64::try_from(row.awaiting_answer).unwrap_or(0),
            ..SignedIn::from_model(row.account)
        }
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;

/// Session key holding the Unix time of sign-in, for the absolute time-out.
pub const SIGNED_IN_AT: &str = "signed_in_at";
/// Session key holding the Unix minute of the last request, so the idle deadline slides at most once a minute.
pub const SEEN_AT_MINUTE: &str = "seen_at_minute";

/// When the session ends if nothing more is asked: its idle limit counted from the minute it was last seen (the
/// session layer writes that minute down as each request comes in), so never later than the stored deadline.
pub async fn idle_deadline(
    session: &tower_sessions::Session,
    policy: &crate::domain::session_policy::SessionPolicy,
) -> Result<chrono::DateTime<chrono::Utc>, crate::dto::error::AppError> {
    let seen_minute = match session.get::<i64>(SEEN_AT_MINUTE).await? {
        Some(minute) => minute,
        None => chrono::Utc::now().timestamp() / 60,
    };
    let seen = chrono::DateTime::from_timestamp(seen_minute * 60, 0).unwrap_or_default();
    Ok(policy.idle_deadline(seen))
}
