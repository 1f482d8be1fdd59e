//! Administration: partner structures, conventions, accounts and invitations, accueils and teams, the audit log.
//! One rule decides what an admin may touch: their own caisse's things, every caisse's for a national admin
//! ([`crate::domain::access::manages`]). Anything else is refused with `Forbidden`, whatever the page showed.

pub mod accounts;
pub mod audit_log;
pub mod conventions;
pub mod places;
pub mod structures;

use crate::domain::access::manages;
use crate::domain::role::Role;
use crate::dto::error::{AppError, FieldError};
use crate::server::auth::SignedIn;
use sea_orm::{ColumnTrait, Condition};

/// The signed-in admin, or `Forbidden` for anyone else.
pub fn admin(user: &SignedIn) -> Result<&SignedIn, AppError> {
    if user.role == Role::Admin { Ok(user) } else { Err(AppError::Forbidden) }
}

/// Refuses unless `user` is an admin who manages `caisse_id`.
pub fn check_manages(user: &SignedIn, caisse_id: &str) -> Result<(), AppError> {
    if admin(user).is_ok() && manages(user.caisse_id.as_deref(), caisse_id) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// A query condition keeping the rows of the caisses `user` manages (`column` holds the caisse id).
pub fn in_scope(user: &SignedIn, column: impl ColumnTrait) -> Condition {
    match &user.caisse_id {
        Some(caisse_id) => Condition::all().add(column.eq(caisse_id.clone())),
        None => Condition::all(),
    }
}

/// Field problems found by a domain check, as the form's validation error.
pub fn invalid(problems: Vec<FieldError>) -> AppError {
    AppError::Validation(problems)
}
