//! Who is asking, from where, and when: what every service needs besides its own arguments, built once at the
//! boundary (a server function or a route), so no service reads the clock or the HTTP request itself.

use super::audit::Origin;
use super::auth::SignedIn;
use super::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

#[derive(Clone)]
pub struct RequestContext {
    pub state: AppState,
    pub user: SignedIn,
    pub origin: Origin,
    /// The moment the request arrived: every date a service writes or compares is this one.
    pub now: DateTime<Utc>,
}

impl RequestContext {
    pub fn new(state: AppState, user: SignedIn, origin: Origin, now: DateTime<Utc>) -> Self {
        RequestContext { state, user, origin, now }
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// Today in Paris, the caisses' calendar.
    pub fn today(&self) -> NaiveDate {
        super::time_fr::paris_day(self.now)
    }
}
