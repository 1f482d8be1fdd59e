//! What every way of choosing a password shares (reset link, invitation, change page): the rule of
//! `domain::password_rule`, hashing away from the async threads, and storing the hash while revoking every
//! one-time link still outstanding for the account.

use crate::domain::password_rule::strength::{Owner, check_new_password};
use crate::dto::error::AppError;
use crate::server::auth::password::PasswordHash;
use crate::server::entities::{account, password_reset};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// Refuses a password `person` may not choose, each message on its field ("password" or "confirmation").
pub fn checked(person: &account::Model, password: &str, confirmation: &str) -> Result<(), AppError> {
    let owner = Owner { email: &person.email, first_name: &person.first_name, last_name: &person.last_name };
    check_new_password(password, confirmation, &owner).map_err(AppError::Validation)
}

/// Hashes a new password on a blocking thread (Argon2id is CPU- and memory-heavy).
pub async fn hashed(password: &str) -> Result<PasswordHash, AppError> {
    let password = password.to_owned();
    Ok(tokio::task::spawn_blocking(move || PasswordHash::new(&password)).await.map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::Internal
    })??)
}

/// Stores the new hash and voids every outstanding one-time link of the account (an older reset link, a pending
/// invitation): call inside the transaction of the change. Sessions are the caller's business: a reset ends them
/// all, the change page all but the one making the change.
pub async fn store(db: &impl sea_orm::ConnectionTrait, person: &account::Model, hash: &PasswordHash, now: DateTime<Utc>) -> Result<(), AppError> {
    let mut active: account::ActiveModel = person.clone().into();
    active.password_hash = Set(Some(hash.as_stored().to_owned()));
    active.updated_at = Set(now);
    active.update(db).await?;
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(password_reset::Column::AccountId.eq(&person.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
