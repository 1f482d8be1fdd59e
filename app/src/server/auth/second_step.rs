//! The sign-in's second step. A right password opens nothing: it leaves, in a fresh session, the account waiting
//! for its code ([`Pending`]), for [`SECOND_STEP_MINUTES`]; no page, server function or download sees anyone signed
//! in until [`finish`] logs the account in. The code step is throttled with the password step (the same failures,
//! per account and per address), audited, and accepts each code once.

use super::second_factor::{self, Sealer};
use super::{AuthSession, SIGNED_IN_AT, SignedIn, sign_in, throttle};
use crate::domain::account_security::{approximate_address, browser_family};
use crate::domain::notice::{FactorChange, Notice};
use crate::domain::second_factor::{SECOND_STEP_MINUTES, second_step_path};
use crate::dto::error::AppError;
use crate::server::audit::{self, Actor, Entry, Origin};
use crate::server::entities::account;
use crate::server::state::AppState;
use chrono::{DateTime, Utc};
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// Session key of the account waiting for its second step.
const PENDING: &str = "second_step";
/// Session key of the recovery codes to show once, sealed, with where to go after.
const FRESH_CODES: &str = "fresh_recovery_codes";
/// Session key of what the security page shows of the session's browser.
pub const CLIENT: &str = "client";

/// The account whose password was right, waiting for its code.
#[derive(Serialize, Deserialize)]
struct Pending {
    account_id: String,
    email: String,
    /// Unix time the password was accepted.
    at: i64,
    /// Where the person was going (`?suite=`), checked again at the end.
    suite: Option<String>,
    /// For an account not enrolled yet: the secret offered to its app, sealed.
    new_secret: Option<String>,
}

/// What the security page shows of a session's browser: its family and approximate address.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Client {
    pub browser: String,
    pub address: String,
}

/// After a right password: the account waits for its code in a fresh session; answers the step's page.
pub async fn begin(
    state: &AppState,
    session: &Session,
    user: &SignedIn,
    suite: Option<String>,
    now: DateTime<Utc>,
) -> Result<&'static str, AppError> {
    let sealer = Sealer::new(&state.settings.mfa)?;
    let enrolled = second_factor::factor_of(&state.db, &sealer, &user.id).await?.is_some();
    let new_secret = if enrolled { None } else { Some(sealer.seal(&user.id, &second_factor::new_secret())?) };
    // A fresh id from the password on (session fixation), and nothing of an earlier sign-in kept.
    session.cycle_id().await?;
    session.remove::<serde_json::Value>(FRESH_CODES).await?;
    session.insert(PENDING, Pending { account_id: user.id.clone(), email: user.email.clone(), at: now.timestamp(), suite, new_secret }).await?;
    Ok(second_step_path(enrolled))
}

/// The account waiting in this session, if its password was accepted within the last minutes.
async fn pending(session: &Session, now: DateTime<Utc>) -> Result<Pending, AppError> {
    let pending = session.get::<Pending>(PENDING).await?.ok_or(AppError::Unauthenticated)?;
    if now.timestamp() - pending.at > SECOND_STEP_MINUTES * 60 {
        session.remove::<Pending>(PENDING).await?;
        return Err(AppError::Unauthenticated);
    }
    Ok(pending)
}

/// What the enrolment page shows: the QR code, the key in groups of four, and the account it is for.
pub struct Sheet {
    pub qr_svg: String,
    pub key: String,
    pub email: String,
}

/// The enrolment sheet of the account waiting in this session (`Forbidden` when it is already enrolled).
pub async fn sheet(state: &AppState, session: &Session, now: DateTime<Utc>) -> Result<Sheet, AppError> {
    let pending = pending(session, now).await?;
    let sealed = pending.new_secret.as_deref().ok_or(AppError::Forbidden)?;
    let secret = Sealer::new(&state.settings.mfa)?.open(&pending.account_id, sealed)?;
    let key = second_factor::base32(&secret);
    let url = crate::domain::second_factor::otpauth_url(&pending.email, &key);
    Ok(Sheet { qr_svg: second_factor::qr_svg(&url)?, key: crate::domain::second_factor::key_in_groups(&key), email: pending.email })
}

/// How the second step is answered.
pub enum Proof<'a> {
    /// The app's code, for an enrolled account or to confirm the enrolment.
    Code(&'a str),
    /// One of the account's recovery codes.
    RecoveryCode(&'a str),
}

/// Said next to an empty code field.
pub(crate) const CODE_MISSING: &str = "Saisissez le code à 6 chiffres de votre application.";

/// The refusal of a wrong code (`code`) or recovery code (`recovery_code`), next to its field.
pub(crate) fn wrong(field: &str) -> AppError {
    let message = if field == "code" {
        "Code incorrect ou déjà utilisé. Saisissez le code que votre application affiche maintenant."
    } else {
        "Code de secours incorrect ou déjà utilisé."
    };
    AppError::field(field, message)
}

/// Checks the second step's proof under the throttle; on success logs the account in and answers where to go.
pub async fn complete(
    state: &AppState,
    auth: &mut AuthSession,
    proof: Proof<'_>,
    user_agent: &str,
    origin: &Origin,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let db = &state.db;
    let pending = pending(&auth.session, now).await?;
    let field = match proof {
        Proof::Code(_) => "code",
        Proof::RecoveryCode(_) => "recovery_code",
    };
    let typed = match proof {
        Proof::Code(typed) | Proof::RecoveryCode(typed) => typed,
    };
    if typed.trim().is_empty() {
        let message = if field == "code" { CODE_MISSING } else { "Saisissez un de vos codes de secours." };
        return Err(AppError::field(field, message));
    }
    // The account as it is now: read once, for the audit entries' caisse and, at the end, whether it is still active.
    let person = account::Entity::find_by_id(pending.account_id.clone()).one(db).await?.ok_or(AppError::Unauthenticated)?;
    let in_caisse = person.caisse_id.clone();
    let actor = || Actor::Account { id: pending.account_id.clone(), label: pending.email.clone() };
    let Some(reservation) = throttle::reserve(db, &state.settings.sign_in_throttle, &pending.email, &origin.ip, now).await? else {
        let entry = Entry::new(actor(), "auth.code_throttled", "account", Some(pending.account_id.clone())).in_caisse(in_caisse);
        audit::record(db, entry, origin, now).await?;
        return Err(AppError::TooManyAttempts);
    };
    let sealer = Sealer::new(&state.settings.mfa)?;
    let accepted = match (&pending.new_secret, proof) {
        (Some(sealed), Proof::Code(typed)) => {
            let secret = sealer.open(&pending.account_id, sealed)?;
            match second_factor::matching_step(&secret, typed, now)? {
                Some(step) => Some(Accepted::Enrolment(second_factor::enrol(db, &sealer, &pending.account_id, &secret, step, now).await?)),
                None => None,
            }
        }
        (Some(_), Proof::RecoveryCode(_)) => return Err(AppError::Forbidden),
        (None, Proof::Code(typed)) => {
            let factor = second_factor::factor_of(db, &sealer, &pending.account_id).await?.ok_or(AppError::Unauthenticated)?;
            second_factor::accept_code(db, &pending.account_id, &factor.secret, typed, now).await?.then_some(Accepted::Code)
        }
        (None, Proof::RecoveryCode(typed)) => {
            second_factor::use_recovery_code(db, &pending.account_id, typed, now).await?.map(|left| Accepted::RecoveryCode { left })
        }
    };
    let Some(accepted) = accepted else {
        reservation.keep();
        let entry = Entry::new(actor(), "auth.code_refused", "account", Some(pending.account_id.clone())).in_caisse(in_caisse).detail(field);
        audit::record(db, entry, origin, now).await?;
        return Err(wrong(field));
    };
    reservation.withdraw(db).await?;
    if !person.active {
        return Err(AppError::Unauthenticated);
    }
    let user = SignedIn::from_model(person);
    let about_user =
        |action: &'static str| Entry::new(Actor::signed_in(&user), action, "account", Some(user.id.clone())).in_caisse(user.caisse_id.clone());
    match &accepted {
        Accepted::Enrolment(_) => audit::record(db, about_user("auth.enrolled"), origin, now).await?,
        Accepted::RecoveryCode { left } => {
            audit::record(db, about_user("auth.recovery_code_used").detail(format!("left={left}")), origin, now).await?;
            notify(db, &state.settings.mail.public_url, &user.id, FactorChange::RecoveryCodeUsed { left: *left }, now).await?;
        }
        Accepted::Code => {}
    }
    let home = crate::domain::access::after_sign_in(pending.suite.as_deref(), user.role).to_owned();
    open(state, auth, &user, accepted.how(), user_agent, origin, now).await?;
    Ok(match accepted {
        Accepted::Enrolment(codes) => {
            keep_fresh_codes(state, &auth.session, &user, codes, &home).await?;
            FRESH_CODES_PAGE.to_owned()
        }
        Accepted::RecoveryCode { left } => format!("/compte/securite?codes-restants={left}"),
        Accepted::Code => home,
    })
}

/// A second step that passed.
enum Accepted {
    /// The first code of a new factor; its recovery codes, to show once.
    Enrolment(Vec<String>),
    /// The app's code.
    Code,
    /// A recovery code; `left` remain.
    RecoveryCode { left: u64 },
}

impl Accepted {
    /// How the sign-in went, for the audit log.
    fn how(&self) -> &'static str {
        match self {
            Accepted::Enrolment(_) => "enrolment",
            Accepted::Code => "totp",
            Accepted::RecoveryCode { .. } => "recovery_code",
        }
    }
}

/// Logs `user` in: a fresh session id, its start for the absolute limit, its browser for the security page.
pub async fn open(
    state: &AppState,
    auth: &mut AuthSession,
    user: &SignedIn,
    how: &str,
    user_agent: &str,
    origin: &Origin,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    auth.login(user).await.map_err(|e| {
        tracing::error!(error = %e, "could not open the session");
        AppError::Unavailable
    })?;
    // A fresh id at every sign-in, whatever the session held before (session fixation).
    auth.session.cycle_id().await?;
    auth.session.remove::<Pending>(PENDING).await?;
    auth.session.insert(SIGNED_IN_AT, now.timestamp()).await?;
    auth.session.insert(CLIENT, Client { browser: browser_family(user_agent), address: approximate_address(&origin.ip) }).await?;
    sign_in::record(&state.db, user, how, origin, now).await?;
    tracing::info!(account.id = %user.id, how, "signed in");
    Ok(())
}

/// The page showing new recovery codes once.
pub const FRESH_CODES_PAGE: &str = "/compte/codes-de-secours";

/// Keeps new recovery codes (sealed) for the page that shows them once, with where to go after.
pub async fn keep_fresh_codes(state: &AppState, session: &Session, user: &SignedIn, codes: Vec<String>, next: &str) -> Result<(), AppError> {
    let sealed =
        Sealer::new(&state.settings.mfa)?.seal(&user.id, serde_json::to_string(&(codes, next)).map_err(|_| AppError::Internal)?.as_bytes())?;
    session.insert(FRESH_CODES, sealed).await?;
    Ok(())
}

/// The recovery codes just given at enrolment and where to go next, once: taken from the session as they are read.
pub async fn take_fresh_codes(state: &AppState, session: &Session, user: &SignedIn) -> Result<Option<(Vec<String>, String)>, AppError> {
    let Some(sealed) = session.remove::<String>(FRESH_CODES).await? else { return Ok(None) };
    let bytes = Sealer::new(&state.settings.mfa)?.open(&user.id, &sealed)?;
    Ok(Some(serde_json::from_slice(&bytes).map_err(|_| AppError::Internal)?))
}

/// Queues the security notice of a change to the person's second factor (inside the caller's transaction, if any).
pub async fn notify(
    db: &impl sea_orm::ConnectionTrait,
    public_url: &str,
    account_id: &str,
    change: FactorChange,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(person) = account::Entity::find_by_id(account_id.to_owned()).one(db).await? else { return Ok(()) };
    let notice = Notice::SecondFactor { change, link: format!("{public_url}/compte/securite") };
    crate::server::mail::notify(db, &person, &notice, None, now).await
}
