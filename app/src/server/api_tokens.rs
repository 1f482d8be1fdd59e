//! The caisse's API tokens: created by its admins (or from the command line) and shown once, kept as a hash,
//! listed with their last use, revoked; and the check every `/api/v1` call passes: the token, its expiry, its
//! client addresses, its rate, then the scope each operation needs.

use crate::domain::api_tokens::{
    self as rules, AllowedNetwork, NAME_MAX, RateVerdict, SHOWN_PREFIX_LEN, Scope, TOKEN_PREFIX, looks_like_token, parse_days, parse_networks,
    parse_scopes, scopes_code,
};
use crate::domain::field_error::Problems;
use crate::domain::form_values::FormValues;
use crate::dto::admin::api_tokens::{ApiTokenLine, ApiTokenList, CreatedToken};
use crate::dto::error::AppError;
use crate::server::admin::{admin, check_manages, in_scope};
use crate::server::audit::{self, Actor, Entry, Origin};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::entities::{api_token, caisse};
use crate::server::time_fr;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Where the creation form refused without JavaScript keeps what was typed.
pub const CREATE_FLASH: &str = "admin.api_token";
/// Where the token just created waits, sealed in the admin's session, until its page shows it once.
pub const CREATED_KEY: &str = "admin.api_token_created";

/// What a token may be created with, as typed (the admin page's form, or the command line's arguments).
pub struct NewToken<'a> {
    pub caisse_id: &'a str,
    pub name: &'a str,
    pub scopes: &'a str,
    pub days: &'a str,
    pub allowed_addresses: &'a str,
}

fn hash_of(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a token and returns it in clear, the only time it exists in clear. Audited (`api_token.created`).
pub async fn create(
    db: &impl ConnectionTrait,
    new: NewToken<'_>,
    actor: Actor,
    origin: &Origin,
    now: DateTime<Utc>,
) -> Result<(api_token::Model, String), AppError> {
    let mut problems = Problems::new();
    let name = problems.required("name", new.name, "Donnez un nom au jeton (l'outil qui l'utilise).", NAME_MAX);
    let scopes = parse_scopes(new.scopes).map_err(|e| problems.push("scopes", e.to_string())).ok();
    let days = parse_days(new.days).map_err(|e| problems.push("days", e.to_string())).ok();
    let networks = parse_networks(new.allowed_addresses).map_err(|e| problems.push("allowed_addresses", e.to_string())).ok();
    let checked = problems.into_result(()).map_err(AppError::Validation);
    let (Some(scopes), Some(days), Some(networks)) = (scopes, days, networks) else { return Err(checked.err().unwrap_or(AppError::Internal)) };
    checked?;
    caisse::Entity::find_by_id(new.caisse_id.to_owned()).one(db).await?.ok_or_else(|| AppError::field("caisse", "Cette caisse n'existe pas."))?;

    let mut secret = [0u8; 24];
    rand::rng().fill_bytes(&mut secret);
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(secret));
    let allowed = networks.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
    let created_by = match &actor {
        Actor::Account { id, .. } => Some(id.clone()),
        _ => None,
    };
    let model = api_token::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        caisse_id: Set(new.caisse_id.to_owned()),
        name: Set(name.clone()),
        token_hash: Set(hash_of(&token)),
        shown_prefix: Set(token[..SHOWN_PREFIX_LEN].to_owned()),
        scopes: Set(scopes_code(&scopes)),
        allowed_addresses: Set(Some(allowed).filter(|a| !a.is_empty())),
        expires_at: Set(now + Duration::days(days)),
        created_by: Set(created_by),
        created_at: Set(now),
        revoked_at: Set(None),
        last_used_at: Set(None),
    }
    .insert(db)
    .await?;
    let detail = format!("{name} ({}, {days} jours)", scopes_code(&scopes));
    audit::record(
        db,
        Entry::new(actor, "api_token.created", "api_token", Some(model.id.clone())).in_caisse(Some(model.caisse_id.clone())).detail(detail),
        origin,
        now,
    )
    .await?;
    Ok((model, token))
}

/// Creates a token from the admin page, for the admin's caisse (or the one a national admin chose). The token is
/// kept in the admin's session for the page that shows it once.
pub async fn create_for(cx: &RequestContext, typed: &FormValues) -> Result<CreatedToken, AppError> {
    let user = admin(&cx.user)?;
    let caisse_id = match &user.caisse_id {
        Some(own) => own.clone(),
        None => typed.text("caisse").to_owned(),
    };
    check_manages(user, &caisse_id).map_err(|_| AppError::field("caisse", "Choisissez une caisse."))?;
    let scopes = typed.all("scopes").join(",");
    let new = NewToken {
        caisse_id: &caisse_id,
        name: typed.text("name"),
        scopes: &scopes,
        days: typed.text("days"),
        allowed_addresses: typed.text("allowed_addresses"),
    };
    let (model, token) = create(cx.db(), new, Actor::signed_in(user), &cx.origin, cx.now).await?;
    Ok(CreatedToken { name: model.name, token, expires_on: time_fr::date(time_fr::paris_day(model.expires_at)) })
}

/// Creates a token for the caisse with this code, from the command line of a deployment; the token is returned
/// to be printed once. Audited, with the system as the actor.
pub async fn create_from_command_line(
    db: &impl ConnectionTrait,
    caisse_code: &str,
    name: &str,
    scopes: &str,
    days: &str,
    allowed_addresses: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let caisse = caisse::Entity::find()
        .filter(caisse::Column::Code.eq(caisse_code))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("caisse", format!("Aucune caisse ne porte le code « {caisse_code} ».")))?;
    let new = NewToken { caisse_id: &caisse.id, name, scopes, days, allowed_addresses };
    let origin = Origin::default();
    Ok(create(db, new, Actor::System, &origin, now).await?.1)
}

/// The token just created, sealed (`MFA_ENCRYPTION_KEY`, bound to the admin's account) for the admin's session
/// until its page shows it once: the session's row never holds it in clear.
pub fn seal_created(cx: &RequestContext, created: &CreatedToken) -> Result<String, AppError> {
    let bytes = serde_json::to_vec(created).map_err(|_| AppError::Internal)?;
    crate::server::auth::second_factor::Sealer::new(&cx.state.settings.mfa)?.seal(&cx.user.id, &bytes)
}

/// The token [`seal_created`] kept, for its one showing.
pub fn open_created(cx: &RequestContext, sealed: &str) -> Result<CreatedToken, AppError> {
    let bytes = crate::server::auth::second_factor::Sealer::new(&cx.state.settings.mfa)?.open(&cx.user.id, sealed)?;
    serde_json::from_slice(&bytes).map_err(|_| AppError::Internal)
}

/// The tokens of the caisses the admin manages, newest first, with their state and last use.
pub async fn list(cx: &RequestContext) -> Result<ApiTokenList, AppError> {
    let user = admin(&cx.user)?;
    let db = cx.db();
    let names: HashMap<String, String> = caisse::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let tokens = api_token::Entity::find().filter(in_scope(user, api_token::Column::CaisseId)).order_by_desc(api_token::Column::Id).all(db).await?;
    let lines = tokens
        .into_iter()
        .map(|t| {
            let state = match (t.revoked_at, t.expires_at <= cx.now) {
                (Some(at), _) => format!("Révoqué le {}", time_fr::date_time(at)),
                (None, true) => "Expiré".to_owned(),
                (None, false) => "Actif".to_owned(),
            };
            ApiTokenLine {
                active: t.revoked_at.is_none() && t.expires_at > cx.now,
                caisse: names.get(&t.caisse_id).cloned().unwrap_or_default(),
                scopes: parse_scopes(&t.scopes).map(|s| s.iter().map(|s| s.label().to_owned()).collect()).unwrap_or_default(),
                shown_prefix: format!("{}…", t.shown_prefix),
                allowed_addresses: t.allowed_addresses.unwrap_or_default(),
                expires_on: time_fr::date(time_fr::paris_day(t.expires_at)),
                last_used: t.last_used_at.map(time_fr::date_time),
                created_on: time_fr::date(time_fr::paris_day(t.created_at)),
                state,
                name: t.name,
                id: t.id,
            }
        })
        .collect();
    let scopes = Scope::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect();
    let caisses = crate::server::admin::structures::caisse_choices(db, user).await?;
    Ok(ApiTokenList { tokens: lines, scopes, caisses, max_days: rules::MAX_DAYS })
}

/// Revokes a token of a caisse the admin manages: its next call is refused. Audited (`api_token.revoked`).
pub async fn revoke(cx: &RequestContext, id: &str) -> Result<(), AppError> {
    let user = admin(&cx.user)?;
    let db = cx.db();
    let model = api_token::Entity::find_by_id(id.to_owned()).one(db).await?.ok_or(AppError::NotFound)?;
    check_manages(user, &model.caisse_id).map_err(|_| AppError::NotFound)?;
    if model.revoked_at.is_some() {
        return Ok(());
    }
    let (caisse_id, name) = (model.caisse_id.clone(), model.name.clone());
    let mut active: api_token::ActiveModel = model.into();
    active.revoked_at = Set(Some(cx.now));
    active.update(db).await?;
    audit::record(
        db,
        Entry::new(Actor::signed_in(user), "api_token.revoked", "api_token", Some(id.to_owned())).in_caisse(Some(caisse_id)).detail(name),
        &cx.origin,
        cx.now,
    )
    .await?;
    Ok(())
}

/// Who is calling the API: a valid token of one caisse, with its scopes.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub token_id: String,
    pub name: String,
    pub caisse_id: String,
    pub scopes: Vec<Scope>,
}

impl ApiCaller {
    /// Refuses an operation whose scope the token lacks.
    pub fn require(&self, scope: Scope) -> Result<(), ApiRefusal> {
        if self.scopes.contains(&scope) { Ok(()) } else { Err(ApiRefusal::Scope(scope)) }
    }

    pub fn may(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// How the audit log, the timeline and the thread name the token.
    pub fn label(&self) -> String {
        format!("Jeton API « {} »", self.name)
    }

    /// The token as the author of what it does: an agent of its caisse, named after it (`SignedIn::api_client`).
    pub fn acting(&self) -> SignedIn {
        SignedIn::api_client(&self.token_id, &self.label(), &self.caisse_id)
    }

    pub fn actor(&self) -> Actor {
        Actor::Account { id: self.token_id.clone(), label: self.label() }
    }
}

/// Why a call to the API was refused before its operation ran.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiRefusal {
    #[error("Jeton d'accès manquant : envoyez l'en-tête « Authorization: Bearer ep_live_… ».")]
    Missing,
    #[error("Jeton d'accès inconnu.")]
    Unknown,
    #[error("Ce jeton d'accès a expiré : demandez-en un nouveau à un administrateur de la caisse.")]
    Expired,
    #[error("Ce jeton d'accès a été révoqué.")]
    Revoked,
    #[error("Ce jeton d'accès n'est pas autorisé depuis cette adresse.")]
    Address,
    #[error("Trop d'appels pour ce jeton : réessayez dans {0} secondes.")]
    Rate(u32),
    #[error("Ce jeton d'accès n'a pas le droit « {} » ({}).", .0.code(), .0.label())]
    Scope(Scope),
    #[error("Le service est momentanément indisponible. Réessayez dans quelques instants.")]
    Unavailable,
}

impl ApiRefusal {
    pub fn status(&self) -> u16 {
        match self {
            ApiRefusal::Missing | ApiRefusal::Unknown | ApiRefusal::Expired | ApiRefusal::Revoked => 401,
            ApiRefusal::Address | ApiRefusal::Scope(_) => 403,
            ApiRefusal::Rate(_) => 429,
            ApiRefusal::Unavailable => 503,
        }
    }
}

/// Calls per token in the current minute, in this instance (each instance counts its own).
#[derive(Debug, Default)]
pub struct ApiCallCounts {
    windows: Mutex<HashMap<String, (std::time::Instant, u32)>>,
}

impl ApiCallCounts {
    fn count(&self, token_id: &str, allowed: u32) -> RateVerdict {
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = std::time::Instant::now();
        let (start, used) = windows.entry(token_id.to_owned()).or_insert((now, 0));
        if now.duration_since(*start) >= std::time::Duration::from_secs(60) {
            (*start, *used) = (now, 0);
        }
        let verdict = rules::rate_verdict(*used, allowed, now.duration_since(*start).as_secs() as u32);
        if matches!(verdict, RateVerdict::Allowed { .. }) {
            *used += 1;
        }
        verdict
    }
}

/// The caller of one API call, from its `Authorization` header: a known token, not revoked, not expired, used from
/// an allowed address, within its rate. Its last use is written at most once a minute.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    (counts, allowed): (&ApiCallCounts, u32),
    authorization: Option<&str>,
    client: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<ApiCaller, ApiRefusal> {
    let presented =
        authorization.and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer "))).map(str::trim).ok_or(ApiRefusal::Missing)?;
    if !looks_like_token(presented) {
        return Err(ApiRefusal::Unknown);
    }
    let unavailable = |error: sea_orm::DbErr| {
        tracing::error!(%error, "API token lookup failed");
        ApiRefusal::Unavailable
    };
    let model = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash_of(presented)))
        .one(db)
        .await
        .map_err(unavailable)?
        .ok_or(ApiRefusal::Unknown)?;
    if model.revoked_at.is_some() {
        return Err(ApiRefusal::Revoked);
    }
    if model.expires_at <= now {
        return Err(ApiRefusal::Expired);
    }
    let networks: Vec<AllowedNetwork> = parse_networks(model.allowed_addresses.as_deref().unwrap_or_default()).unwrap_or_default();
    if !networks.is_empty() && !client.is_some_and(|ip| rules::address_allowed(&networks, ip)) {
        return Err(ApiRefusal::Address);
    }
    if let RateVerdict::Refused { retry_after } = counts.count(&model.id, allowed) {
        return Err(ApiRefusal::Rate(retry_after));
    }
    if model.last_used_at.is_none_or(|at| now - at >= Duration::minutes(1)) {
        let touched = api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(&model.id))
            .exec(db)
            .await;
        if let Err(error) = touched {
            tracing::warn!(%error, "API token last use not written");
        }
    }
    let scopes = parse_scopes(&model.scopes).unwrap_or_default();
    Ok(ApiCaller { token_id: model.id, name: model.name, caisse_id: model.caisse_id, scopes })
}

/// The display name of a token that acted on a request (the assignee it took), by id.
pub async fn label_of(db: &impl ConnectionTrait, id: &str) -> Result<Option<String>, AppError> {
    Ok(api_token::Entity::find_by_id(id.to_owned()).one(db).await?.map(|t| format!("Jeton API « {} »", t.name)))
}
