//! "Mot de passe oublié ?": a one-time link valid one hour, sent by e-mail through the outbox. Asking answers the
//! same whether or not the address has an account; choosing the new password ends every session of the account.

use crate::api::error::{AppError, FieldError};
use crate::domain::email::EmailAddress;
use crate::domain::notice::Notice;
use crate::domain::password_rule::check_new_password;
use crate::server::audit::{self, Actor, Entry, Origin};
use crate::server::auth::password::PasswordHash;
use crate::server::auth::session_store::end_all_sessions_of;
use crate::server::entities::{account, password_reset};
use crate::server::mail;
use crate::server::settings::MailSettings;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
use sha2::{Digest, Sha256};

/// How long a reset link works.
pub const VALID_FOR: Duration = Duration::hours(1);

/// At most this many links per account and hour: asking again does nothing (visibly the same), so nobody can
/// flood someone's mailbox.
pub const MAX_LINKS_PER_HOUR: u64 = 3;

/// The page a reset link opens; the token follows as `?jeton=`.
pub const RESET_PAGE: &str = "/mot-de-passe/nouveau";

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Sends a reset link to `email` if an active account has that address; otherwise does nothing, visibly the same.
pub async fn request(db: &DatabaseConnection, mail: &MailSettings, email: &str, origin: &Origin, now: DateTime<Utc>) -> Result<(), AppError> {
    let address = EmailAddress::parse(email).map_err(|e| AppError::field("email", e.to_string()))?;
    let Some(person) = account::Entity::find()
        .filter(account::Column::Email.eq(address.as_str()))
        .filter(account::Column::Active.eq(true))
        .one(db)
        .await?
    else {
        audit::record(db, Entry::new(Actor::Anonymous(address.as_str().to_owned()), "password.reset_unknown", "account", None), origin, now).await?;
        return Ok(());
    };
    let recent = password_reset::Entity::find()
        .filter(password_reset::Column::AccountId.eq(&person.id))
        .filter(password_reset::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(db)
        .await?;
    if recent >= MAX_LINKS_PER_HOUR {
        tracing::info!(account.id = %person.id, "password reset link not sent: hourly limit reached");
        return Ok(());
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let txn = db.begin().await?;
    password_reset::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        account_id: Set(person.id.clone()),
        token_hash: Set(digest(&token)),
        expires_at: Set(now + VALID_FOR),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let link = format!("{}{RESET_PAGE}?jeton={token}", mail.public_url);
    let minutes = u32::try_from(VALID_FOR.num_minutes()).unwrap_or(60);
    mail::notify(&txn, &person, &Notice::PasswordReset { link, valid_minutes: minutes }, None, now).await?;
    let actor = Actor::Account { id: person.id.clone(), label: person.email.clone() };
    audit::record(&txn, Entry::new(actor, "password.reset_requested", "account", Some(person.id.clone())).in_caisse(person.caisse_id.clone()), origin, now)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether `token` still opens the reset form (unused, not expired).
pub async fn token_is_valid(db: &DatabaseConnection, token: &str, now: DateTime<Utc>) -> Result<bool, AppError> {
    Ok(usable(db, token, now).await?.is_some())
}

async fn usable(db: &impl sea_orm::ConnectionTrait, token: &str, now: DateTime<Utc>) -> Result<Option<password_reset::Model>, AppError> {
    Ok(password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(digest(token.trim())))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .one(db)
        .await?)
}

use crate::domain::password_rule::EXPIRED_LINK as EXPIRED;

/// Sets the new password chosen through a reset link, uses the link up, and ends every session of the account.
pub async fn choose(
    db: &DatabaseConnection,
    mail: &MailSettings,
    token: &str,
    password: &str,
    confirmation: &str,
    origin: &Origin,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if let Err(problems) = check_new_password(password, confirmation) {
        return Err(AppError::Validation(
            problems.into_iter().map(|(field, message)| FieldError { field: field.to_owned(), message }).collect(),
        ));
    }
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || PasswordHash::new(&password)).await.map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::Internal
    })??;
    let txn = db.begin().await?;
    let link = usable(&txn, token, now).await?.ok_or_else(|| AppError::Conflict(EXPIRED.to_owned()))?;
    let person = account::Entity::find_by_id(link.account_id.clone())
        .filter(account::Column::Active.eq(true))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::Conflict(EXPIRED.to_owned()))?;
    let used = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(password_reset::Column::Id.eq(&link.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(AppError::Conflict(EXPIRED.to_owned()));
    }
    let mut active: account::ActiveModel = person.clone().into();
    active.password_hash = Set(Some(hash.as_stored().to_owned()));
    active.updated_at = Set(now);
    active.update(&txn).await?;
    end_all_sessions_of(&txn, &person.id).await?;
    mail::notify(&txn, &person, &Notice::PasswordChanged { sign_in_link: format!("{}/login", mail.public_url) }, None, now).await?;
    let actor = Actor::Account { id: person.id.clone(), label: person.email.clone() };
    audit::record(&txn, Entry::new(actor, "password.reset", "account", Some(person.id.clone())).in_caisse(person.caisse_id.clone()), origin, now).await?;
    txn.commit().await?;
    Ok(())
}
