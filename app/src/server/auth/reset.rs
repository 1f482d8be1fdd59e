//! One-time links sent by e-mail through the outbox: "Mot de passe oublié ?" (valid one hour; asking answers the
//! same whether or not the address has an account) and invitations (valid 72 hours; the invitee chooses a first
//! password). Choosing the password uses the link up (and voids every other link of the account) and ends every
//! session of the account.

use crate::domain::email::EmailAddress;
use crate::domain::notice::Notice;
use crate::domain::password_rule::LinkPurpose;
use crate::dto::error::AppError;
use crate::server::audit::{self, Actor, Entry, Origin};
use crate::server::auth::new_password;
use crate::server::auth::session_store::end_all_sessions_of;
use crate::server::entities::{account, password_reset};
use crate::server::mail;
use crate::server::settings::MailSettings;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use sha2::{Digest, Sha256};

/// At most this many links per account and hour: asking again does nothing (visibly the same), so nobody can
/// flood someone's mailbox.
pub const MAX_LINKS_PER_HOUR: u64 = 3;
/// At most this many "Mot de passe oublié ?" requests an hour from one client address, whatever the addresses
/// typed: nobody sprays the form to flood mailboxes or list accounts.
pub const MAX_REQUESTS_PER_ADDRESS_PER_HOUR: u64 = 20;

/// The page a reset link opens; the token follows as `?jeton=`.
pub const RESET_PAGE: &str = "/mot-de-passe/nouveau";
/// The page an invitation opens (the same form, titled for a first password).
pub const INVITATION_PAGE: &str = "/compte/activer";

fn valid_for(purpose: LinkPurpose) -> Duration {
    Duration::hours(i64::from(purpose.valid_hours()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Stores a new link of `purpose` for the account (only its digest), and returns the token.
async fn store_link(db: &impl sea_orm::ConnectionTrait, account_id: &str, purpose: LinkPurpose, now: DateTime<Utc>) -> Result<String, AppError> {
    let token = new_token();
    password_reset::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        account_id: Set(account_id.to_owned()),
        token_hash: Set(digest(&token)),
        purpose: Set(purpose),
        expires_at: Set(now + valid_for(purpose)),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Sends an invitation to an account that has no password yet: a new link (earlier ones stop working), inside the
/// caller's transaction so the e-mail leaves only if the change commits.
pub async fn invite(
    db: &impl sea_orm::ConnectionTrait,
    mail: &MailSettings,
    person: &account::Model,
    organisation: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(password_reset::Column::AccountId.eq(&person.id))
        .filter(password_reset::Column::Purpose.eq(LinkPurpose::Invitation))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let token = store_link(db, &person.id, LinkPurpose::Invitation, now).await?;
    let notice = Notice::Invitation {
        organisation: organisation.to_owned(),
        link: format!("{}{INVITATION_PAGE}?jeton={token}", mail.public_url),
        valid_hours: LinkPurpose::Invitation.valid_hours(),
    };
    mail::notify(db, person, &notice, None, now).await
}

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Sends a reset link to `email` if an active account has that address; otherwise does nothing, visibly the same.
pub async fn request(db: &DatabaseConnection, mail: &MailSettings, email: &str, origin: &Origin, now: DateTime<Utc>) -> Result<(), AppError> {
    let address = EmailAddress::parse(email).map_err(|e| AppError::field("email", e.to_string()))?;
    use crate::server::entities::audit_event;
    let from_address = audit_event::Entity::find()
        .filter(audit_event::Column::Ip.eq(&origin.ip))
        .filter(audit_event::Column::Action.is_in(["password.reset_requested", "password.reset_unknown"]))
        .filter(audit_event::Column::OccurredAt.gt(now - Duration::hours(1)))
        .count(db)
        .await?;
    if !origin.ip.is_empty() && from_address >= MAX_REQUESTS_PER_ADDRESS_PER_HOUR {
        // The same answer as always: the limit tells nothing about the address typed.
        tracing::info!("password reset not processed: hourly limit of the client address reached");
        return Ok(());
    }
    let Some(person) =
        account::Entity::find().filter(account::Column::Email.eq(address.as_str())).filter(account::Column::Active.eq(true)).one(db).await?
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
    let txn = crate::server::db::write_transaction(db).await?;
    let token = store_link(&txn, &person.id, LinkPurpose::Reset, now).await?;
    let link = format!("{}{RESET_PAGE}?jeton={token}", mail.public_url);
    let minutes = LinkPurpose::Reset.valid_hours() * 60;
    mail::notify(&txn, &person, &Notice::PasswordReset { link, valid_minutes: minutes }, None, now).await?;
    let actor = Actor::Account { id: person.id.clone(), label: person.email.clone() };
    audit::record(
        &txn,
        Entry::new(actor, "password.reset_requested", "account", Some(person.id.clone())).in_caisse(person.caisse_id.clone()),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What `token` is for, if it still opens the form (unused, not expired).
pub async fn link_purpose(db: &DatabaseConnection, token: &str, now: DateTime<Utc>) -> Result<Option<LinkPurpose>, AppError> {
    Ok(usable(db, token, now).await?.map(|link| link.purpose))
}

async fn usable(db: &impl sea_orm::ConnectionTrait, token: &str, now: DateTime<Utc>) -> Result<Option<password_reset::Model>, AppError> {
    Ok(password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(digest(token.trim())))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .one(db)
        .await?)
}

/// Sets the password chosen through a link, uses the link up (and every other link of the account), and ends every
/// session of the account; returns what the link was for. An expired link says so in the words of the purpose the
/// page was opened for.
pub async fn choose(
    db: &DatabaseConnection,
    mail: &MailSettings,
    token: &str,
    password: &str,
    confirmation: &str,
    origin: &Origin,
    now: DateTime<Utc>,
) -> Result<LinkPurpose, AppError> {
    let link = usable(db, token, now).await?.ok_or_else(|| AppError::Conflict(LinkPurpose::Reset.expired().to_owned()))?;
    let purpose = link.purpose;
    let expired = || AppError::Conflict(purpose.expired().to_owned());
    // Whose password it is: it must not be built from their own e-mail address or names.
    let person = account::Entity::find_by_id(link.account_id.clone()).filter(account::Column::Active.eq(true)).one(db).await?.ok_or_else(expired)?;
    new_password::checked(&person, password, confirmation)?;
    let hash = new_password::hashed(password).await?;
    let txn = crate::server::db::write_transaction(db).await?;
    // Used once only, even by two submissions at the same moment.
    let used = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(password_reset::Column::Id.eq(&link.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(expired());
    }
    new_password::store(&txn, &person, &hash, now).await?;
    end_all_sessions_of(&txn, &person.id).await?;
    let action = match purpose {
        LinkPurpose::Reset => {
            mail::notify(&txn, &person, &Notice::PasswordChanged { sign_in_link: format!("{}/login", mail.public_url) }, None, now).await?;
            "password.reset"
        }
        LinkPurpose::Invitation => "account.activated",
    };
    let actor = Actor::Account { id: person.id.clone(), label: person.email.clone() };
    audit::record(&txn, Entry::new(actor, action, "account", Some(person.id.clone())).in_caisse(person.caisse_id.clone()), origin, now).await?;
    txn.commit().await?;
    Ok(purpose)
}
