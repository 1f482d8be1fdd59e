//! A signed-in person changes their own password (`/compte/mot-de-passe`): the current one is asked again and
//! checked like a sign-in, under the same throttle; the new one follows the password rule. The change voids every
//! outstanding one-time link of the account, ends the person's other sessions, is audited, and is announced by
//! e-mail through the outbox — all in one transaction.

use crate::domain::notice::Notice;
use crate::dto::error::{AppError, FieldError};
use crate::server::audit::{self, Actor, Entry};
use crate::server::auth::password::PasswordHash;
use crate::server::auth::{SignedIn, new_password, throttle};
use crate::server::context::RequestContext;
use crate::server::entities::{account, session};
use crate::server::mail;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// What the change form sends.
pub struct Change<'a> {
    pub current: &'a str,
    pub password: &'a str,
    pub confirmation: &'a str,
}

/// Changes `user`'s password; `this_session` (the one making the change) stays open, every other one ends.
/// Returns the person as now signed in (the session must be stamped with the new password, or it would end too).
pub async fn change(cx: &RequestContext, this_session: Option<&str>, change: Change<'_>) -> Result<SignedIn, AppError> {
    let db = cx.db();
    let mail = &cx.state.settings.mail;
    let policy = &cx.state.settings.sign_in_throttle;
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let person =
        account::Entity::find_by_id(user.id.clone()).filter(account::Column::Active.eq(true)).one(db).await?.ok_or(AppError::Unauthenticated)?;
    let actor = || Actor::signed_in(user);
    let mut problems: Vec<FieldError> = vec![];
    if change.current.is_empty() {
        problems.push(FieldError { field: "current".into(), message: "Saisissez votre mot de passe actuel.".into() });
    } else {
        let Some(attempt) = throttle::reserve(db, policy, &person.email, &origin.ip, now).await? else {
            audit::record(
                db,
                Entry::new(actor(), "password.change_throttled", "account", Some(person.id.clone())).in_caisse(person.caisse_id.clone()),
                origin,
                now,
            )
            .await?;
            return Err(AppError::TooManyAttempts);
        };
        let stored = person.password_hash.clone().map(PasswordHash::from_stored);
        let current = change.current.to_owned();
        let right = tokio::task::spawn_blocking(move || stored.map_or(Ok(false), |hash| hash.verify(&current))).await??;
        if right {
            attempt.withdraw(db).await?;
        } else {
            attempt.keep();
            audit::record(
                db,
                Entry::new(actor(), "password.change_refused", "account", Some(person.id.clone()))
                    .in_caisse(person.caisse_id.clone())
                    .detail("wrong_password"),
                origin,
                now,
            )
            .await?;
            problems.push(FieldError { field: "current".into(), message: "Le mot de passe actuel est incorrect.".into() });
        }
    }
    match new_password::checked(&person, change.password, change.confirmation) {
        Err(refused) => problems.extend(refused.field_errors().iter().cloned()),
        Ok(()) if problems.is_empty() && change.password == change.current => {
            problems.push(FieldError { field: "password".into(), message: "Choisissez un mot de passe différent de l'actuel.".into() });
        }
        Ok(()) => {}
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }

    let hash = new_password::hashed(change.password).await?;
    let txn = crate::server::db::write_transaction(db).await?;
    new_password::store(&txn, &person, &hash, now).await?;
    let mut others = session::Entity::delete_many().filter(session::Column::AccountId.eq(&person.id));
    if let Some(this_session) = this_session {
        others = others.filter(session::Column::Id.ne(this_session));
    }
    let ended = others.exec(&txn).await?.rows_affected;
    mail::notify(&txn, &person, &Notice::PasswordChanged { sign_in_link: format!("{}/login", mail.public_url) }, None, now).await?;
    audit::record(
        &txn,
        Entry::new(actor(), "password.changed", "account", Some(person.id.clone()))
            .in_caisse(person.caisse_id.clone())
            .detail(format!("other_sessions_ended={ended}")),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(account.id = %person.id, other_sessions_ended = ended, "password changed");
    let mut changed = person;
    changed.password_hash = Some(hash.as_stored().to_owned());
    Ok(SignedIn::from_model(changed))
}
