//! Signing in: throttle, verify the password, refuse deactivated accounts, record the outcome; once every step
//! passed (`second_step`), record the sign-in.

use super::SignedIn;
use super::password::{DECOY, PasswordHash};
use super::throttle;
use crate::domain::email::EmailAddress;
use crate::domain::sign_in_throttle::ThrottlePolicy;
use crate::domain::text_input::{MAX_LABEL_CHARS, bounded};
use crate::dto::error::AppError;
use crate::server::audit::{self, Actor, Entry, Origin};
use crate::server::entities::{account, sign_in_failure};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// What the person typed on the sign-in form.
pub struct Attempt<'a> {
    pub email: &'a str,
    pub password: &'a str,
}

/// Checks an attempt's password; on success the caller takes the second step (or opens the session). Every wrong case answers the same
/// `InvalidCredentials`, so the form never tells which addresses have an account.
pub async fn sign_in(
    db: &DatabaseConnection,
    policy: &ThrottlePolicy,
    attempt: Attempt<'_>,
    origin: &Origin,
    now: DateTime<Utc>,
) -> Result<SignedIn, AppError> {
    let mut missing = Vec::new();
    if attempt.email.trim().is_empty() {
        missing.push(crate::dto::error::FieldError { field: "email".into(), message: "Saisissez votre adresse e-mail.".into() });
    }
    if attempt.password.is_empty() {
        missing.push(crate::dto::error::FieldError { field: "password".into(), message: "Saisissez votre mot de passe.".into() });
    }
    if !missing.is_empty() {
        return Err(AppError::Validation(missing));
    }
    // A malformed address cannot match an account: same answer as a wrong password. What is kept of it (for the
    // throttle and the audit log) is bounded, whatever was typed.
    let email =
        EmailAddress::parse(attempt.email).map(|e| e.to_string()).unwrap_or_else(|_| bounded(&attempt.email.trim().to_lowercase(), MAX_LABEL_CHARS));

    // Reserve, then verify (`throttle`): reservations take turns, each decided on every one made before it, so no
    // more than the allowed number are ever verified, however many arrive at once.
    let Some(reservation) = throttle::reserve(db, policy, &email, &origin.ip, now).await? else {
        audit::record(db, Entry::new(Actor::Anonymous(email.clone()), "auth.sign_in_throttled", "account", None), origin, now).await?;
        return Err(AppError::TooManyAttempts);
    };

    let found = account::Entity::find().filter(account::Column::Email.eq(&email)).one(db).await?;
    let stored = found.as_ref().and_then(|a| a.password_hash.clone()).map(PasswordHash::from_stored);
    let password = attempt.password.to_owned();
    let matches = tokio::task::spawn_blocking(move || match stored {
        Some(hash) => hash.verify(&password),
        None => DECOY.verify(&password).map(|_| false),
    })
    .await??;

    match found {
        Some(model) if matches && model.active => {
            reservation.withdraw(db).await?;
            Ok(SignedIn::from_model(model))
        }
        other => {
            let reason = match &other {
                None => "unknown_account",
                Some(model) if !model.active => "deactivated",
                Some(_) => "wrong_password",
            };
            // The reservation stays: it is this failure.
            reservation.keep();
            audit::record(
                db,
                Entry::new(Actor::Anonymous(email), "auth.sign_in_failed", "account", other.as_ref().map(|m| m.id.clone()))
                    .in_caisse(other.and_then(|m| m.caisse_id))
                    .detail(reason),
                origin,
                now,
            )
            .await?;
            Err(AppError::InvalidCredentials)
        }
    }
}

/// Records a completed sign-in (`how`: the second step taken) on the account and in the audit log.
pub async fn record(db: &DatabaseConnection, user: &SignedIn, how: &str, origin: &Origin, now: DateTime<Utc>) -> Result<(), AppError> {
    account::Entity::update_many()
        .col_expr(account::Column::LastSignInAt, sea_orm::sea_query::Expr::value(now))
        .filter(account::Column::Id.eq(&user.id))
        .exec(db)
        .await?;
    audit::record(
        db,
        Entry::new(Actor::signed_in(user), "auth.signed_in", "account", Some(user.id.clone())).in_caisse(user.caisse_id.clone()).detail(how),
        origin,
        now,
    )
    .await?;
    Ok(())
}

/// Deletes failures older than a day: the throttle only looks at the last minutes.
pub async fn forget_old_failures(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    let result = sign_in_failure::Entity::delete_many().filter(sign_in_failure::Column::OccurredAt.lt(now - Duration::days(1))).exec(db).await?;
    Ok(result.rows_affected)
}
