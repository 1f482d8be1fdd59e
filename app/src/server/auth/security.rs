//! The person's own security (`/compte/securite`): their open sessions (browser, approximate address, started, last
//! seen) which they may end, and their second factor — recovery codes renewed, or the factor removed to enrol
//! another phone, both only with the password and a current code again (ASVS 7.5.1).

use super::password::PasswordHash;
use super::second_factor::{self, Sealer};
use super::second_step::{self, CLIENT, Client};
use super::{SEEN_AT_MINUTE, SIGNED_IN_AT, throttle};
use crate::domain::notice::FactorChange;
use crate::dto::error::{AppError, FieldError};
use crate::dto::security::{SecurityOverview, SessionLine};
use crate::server::audit::{self, Actor, Entry};
use crate::server::context::RequestContext;
use crate::server::entities::{account, session};
use crate::server::time_fr;
use chrono::DateTime;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::Digest;

/// A session's name on the page: a digest of its id, so the page never carries another browser's cookie value.
fn handle(session_id: &str) -> String {
    hex::encode(&sha2::Sha256::digest(session_id.as_bytes())[..12])
}

/// The person's sessions still open, this one (`this_session`) first, and the state of their second factor.
pub async fn overview(cx: &RequestContext, this_session: Option<&str>) -> Result<SecurityOverview, AppError> {
    let db = cx.db();
    let rows = session::Entity::find()
        .filter(session::Column::AccountId.eq(&cx.user.id))
        .filter(session::Column::ExpiresAt.gt(cx.now))
        .order_by_desc(session::Column::ExpiresAt)
        .all(db)
        .await?;
    let mut sessions: Vec<SessionLine> = rows
        .into_iter()
        .map(|row| {
            let data: serde_json::Value = serde_json::from_str(&row.data).unwrap_or_default();
            let client: Client = serde_json::from_value(data[CLIENT].clone()).unwrap_or_default();
            let at =
                |seconds: Option<i64>| seconds.and_then(|s| DateTime::from_timestamp(s, 0)).map(time_fr::date_time).unwrap_or_else(|| "—".to_owned());
            SessionLine {
                handle: handle(&row.id),
                current: this_session == Some(row.id.as_str()),
                browser: if client.browser.is_empty() { "Navigateur inconnu".to_owned() } else { client.browser },
                address: if client.address.is_empty() { "adresse inconnue".to_owned() } else { client.address },
                started: at(data[SIGNED_IN_AT].as_i64()),
                last_seen: at(data[SEEN_AT_MINUTE].as_i64().map(|minute| minute * 60).or(data[SIGNED_IN_AT].as_i64())),
            }
        })
        .collect();
    sessions.sort_by_key(|line| !line.current);
    let sealer = Sealer::new(&cx.state.settings.mfa)?;
    let factor = second_factor::factor_of(db, &sealer, &cx.user.id).await?;
    Ok(SecurityOverview {
        sessions,
        enrolled_since: factor.map(|f| time_fr::date_time(f.enrolled_at)),
        recovery_codes_left: second_factor::recovery_codes_left(db, &cx.user.id).await?,
    })
}

/// Ends one of the person's sessions, named by its handle: that browser is signed out at its next request.
pub async fn end_session(cx: &RequestContext, this_session: Option<&str>, wanted: &str) -> Result<(), AppError> {
    let db = cx.db();
    let rows = session::Entity::find().filter(session::Column::AccountId.eq(&cx.user.id)).all(db).await?;
    // Only among the person's own sessions: another person's handle names nothing here.
    let row = rows.into_iter().find(|row| handle(&row.id) == wanted).ok_or(AppError::NotFound)?;
    if this_session == Some(row.id.as_str()) {
        return Err(AppError::Conflict("Pour fermer cette session-ci, utilisez « Se déconnecter ».".to_owned()));
    }
    session::Entity::delete_by_id(row.id).exec(db).await?;
    audit(cx, "one").await
}

/// Ends every session of the person but this one.
pub async fn end_other_sessions(cx: &RequestContext, this_session: Option<&str>) -> Result<u64, AppError> {
    let mut others = session::Entity::delete_many().filter(session::Column::AccountId.eq(&cx.user.id));
    if let Some(this_session) = this_session {
        others = others.filter(session::Column::Id.ne(this_session));
    }
    let ended = others.exec(cx.db()).await?.rows_affected;
    audit(cx, &format!("others={ended}")).await?;
    Ok(ended)
}

async fn audit(cx: &RequestContext, detail: &str) -> Result<(), AppError> {
    let entry = Entry::new(Actor::signed_in(&cx.user), "auth.session_ended", "account", Some(cx.user.id.clone()))
        .in_caisse(cx.user.caisse_id.clone())
        .detail(detail);
    Ok(audit::record(cx.db(), entry, &cx.origin, cx.now).await?)
}

/// The password and a current code, asked again before the factor changes: both checked under the sign-in
/// throttle, each wrong one said next to its field.
async fn confirm_again(cx: &RequestContext, password: &str, code: &str) -> Result<(), AppError> {
    let db = cx.db();
    let mut problems = vec![];
    if password.is_empty() {
        problems.push(FieldError { field: "password".into(), message: "Saisissez votre mot de passe.".into() });
    }
    if code.trim().is_empty() {
        problems.push(FieldError { field: "code".into(), message: second_step::CODE_MISSING.into() });
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let person = account::Entity::find_by_id(cx.user.id.clone()).one(db).await?.ok_or(AppError::Unauthenticated)?;
    let Some(attempt) = throttle::reserve(db, &cx.state.settings.sign_in_throttle, &person.email, &cx.origin.ip, cx.now).await? else {
        return Err(AppError::TooManyAttempts);
    };
    let stored = person.password_hash.clone().map(PasswordHash::from_stored);
    let typed = password.to_owned();
    let right_password = tokio::task::spawn_blocking(move || stored.map_or(Ok(false), |hash| hash.verify(&typed))).await??;
    let factor = second_factor::factor_of(db, &Sealer::new(&cx.state.settings.mfa)?, &person.id).await?.ok_or(AppError::NotFound)?;
    let right_code = right_password && second_factor::accept_code(db, &person.id, &factor.secret, code, cx.now).await?;
    if !right_password {
        attempt.keep();
        return Err(AppError::field("password", "Le mot de passe est incorrect."));
    }
    if !right_code {
        attempt.keep();
        return Err(second_step::wrong("code"));
    }
    attempt.withdraw(db).await
}

/// New recovery codes (the old ones stop working), shown once on the next page.
pub async fn renew_recovery_codes(cx: &RequestContext, session: &tower_sessions::Session, password: &str, code: &str) -> Result<(), AppError> {
    confirm_again(cx, password, code).await?;
    let codes = second_factor::new_recovery_codes(cx.db(), &cx.user.id, cx.now).await?;
    let entry = Entry::new(Actor::signed_in(&cx.user), "auth.recovery_codes_renewed", "account", Some(cx.user.id.clone()))
        .in_caisse(cx.user.caisse_id.clone());
    audit::record(cx.db(), entry, &cx.origin, cx.now).await?;
    second_step::notify(cx.db(), &cx.state.settings.mail.public_url, &cx.user.id, FactorChange::RecoveryCodesRenewed, cx.now).await?;
    second_step::keep_fresh_codes(&cx.state, session, &cx.user, codes, "/compte/securite").await
}

/// Removes the person's factor to enrol another phone: every session ends, this one too; the next sign-in enrols.
pub async fn remove_second_factor(cx: &RequestContext, password: &str, code: &str) -> Result<(), AppError> {
    confirm_again(cx, password, code).await?;
    let txn = crate::server::db::write_transaction(cx.db()).await?;
    second_factor::remove(&txn, &cx.user.id).await?;
    super::session_store::end_all_sessions_of(&txn, &cx.user.id).await?;
    let entry = Entry::new(Actor::signed_in(&cx.user), "auth.second_factor_replaced", "account", Some(cx.user.id.clone()))
        .in_caisse(cx.user.caisse_id.clone());
    audit::record(&txn, entry, &cx.origin, cx.now).await?;
    second_step::notify(&txn, &cx.state.settings.mail.public_url, &cx.user.id, FactorChange::Replaced, cx.now).await?;
    txn.commit().await?;
    Ok(())
}
