//! Accounts, for admins: the list with its filters and the accounts unused for six months, invitations (a
//! one-time link by e-mail, valid 72 hours), role and team of caisse staff, deactivation (every session ends at
//! once) and reactivation, and partner agents' training dates (no training, no submission).

use super::structures::{caisse_choices, find_managed, scope_name};
use super::{check_manages, in_scope};
use crate::domain::account_review::{AccountState, DORMANT_AFTER};
use crate::domain::email::EmailAddress;
use crate::domain::field_error::Problems;
use crate::domain::form_values::FormValues;
use crate::domain::notice::{FactorChange, MailPreference};
use crate::domain::role::Role;
use crate::dto::admin::accounts::{AccountLine, AccountList, AccountPage, AccountQuery};
use crate::dto::error::AppError;
use crate::server::audit::Actor;
use crate::server::audit::{self, Entry};
use crate::server::auth::SignedIn;
use crate::server::auth::reset;
use crate::server::auth::session_store::end_all_sessions_of;
use crate::server::context::RequestContext;
use crate::server::entities::{account, caisse, partner_structure, second_factor, team};
use crate::server::setup::teams_of;
use crate::server::time_fr;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// Where forms refused without JavaScript keep what was typed.
pub const INVITE_FLASH: &str = "admin.invite";
pub const ACCOUNT_FLASH: &str = "admin.account";

pub const PER_PAGE: u64 = 25;
const NAME_MAX: usize = 100;

/// The account with this id, if `user` manages it: an account of their caisse (a national admin's only for a
/// national admin).
async fn find_managed_account(db: &impl ConnectionTrait, user: &SignedIn, id: &str) -> Result<account::Model, AppError> {
    super::admin(user)?;
    let model = account::Entity::find_by_id(id.to_owned()).one(db).await?.ok_or(AppError::NotFound)?;
    match &model.caisse_id {
        Some(caisse_id) => check_manages(user, caisse_id)?,
        None if user.caisse_id.is_none() => {}
        None => return Err(AppError::Forbidden),
    }
    Ok(model)
}

fn state_of(model: &account::Model, now: DateTime<Utc>) -> AccountState {
    AccountState::of(model.active, model.password_hash.is_some(), model.last_sign_in_at.unwrap_or(model.created_at), now)
}

/// The rows in `state` (an `AccountState` code), as a query condition matching [`AccountState::of`].
fn state_condition(state: &str, now: DateTime<Utc>) -> Option<Condition> {
    let cutoff = now - DORMANT_AFTER;
    let last_use_before = Condition::any()
        .add(account::Column::LastSignInAt.lt(cutoff))
        .add(Condition::all().add(account::Column::LastSignInAt.is_null()).add(account::Column::CreatedAt.lt(cutoff)));
    let usable = Condition::all().add(account::Column::Active.eq(true)).add(account::Column::PasswordHash.is_not_null());
    Some(match state {
        "invited" => Condition::all().add(account::Column::Active.eq(true)).add(account::Column::PasswordHash.is_null()),
        "deactivated" => Condition::all().add(account::Column::Active.eq(false)),
        "dormant" => usable.add(last_use_before),
        "active" => usable.add(last_use_before.not()),
        _ => return None,
    })
}

pub async fn list(cx: &RequestContext, query: &AccountQuery, returned: Option<FormValues>) -> Result<AccountList, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let now = cx.now;
    super::admin(user)?;
    let scope = in_scope(user, account::Column::CaisseId);
    let mut filter = scope.clone();
    let search = query.search.trim().to_lowercase().replace(['%', '_'], "");
    if !search.is_empty() {
        use sea_orm::sea_query::ExprTrait;
        let like = |column: account::Column| Expr::expr(Func::lower(Expr::col((account::Entity, column)))).like(format!("%{search}%"));
        filter =
            filter.add(Condition::any().add(like(account::Column::Email)).add(like(account::Column::LastName)).add(like(account::Column::FirstName)));
    }
    if let Ok(role) = Role::parse(&query.role) {
        filter = filter.add(account::Column::Role.eq(role));
    }
    if let Some(state) = state_condition(&query.state, now) {
        filter = filter.add(state);
    }
    let found = account::Entity::find()
        .filter(filter)
        .order_by_asc(account::Column::LastName)
        .order_by_asc(account::Column::FirstName)
        .order_by_asc(account::Column::Id);
    let total = found.clone().count(db).await?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = query.page.clamp(1, pages);
    let models = found.offset((page - 1) * PER_PAGE).limit(PER_PAGE).all(db).await?;
    let structure_ids: Vec<String> = models.iter().filter_map(|m| m.structure_id.clone()).collect();
    let team_ids: Vec<String> = models.iter().filter_map(|m| m.team_id.clone()).collect();
    let structures: HashMap<String, String> = partner_structure::Entity::find()
        .filter(partner_structure::Column::Id.is_in(structure_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let teams: HashMap<String, String> =
        team::Entity::find().filter(team::Column::Id.is_in(team_ids)).all(db).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let rows = models
        .into_iter()
        .map(|m| AccountLine {
            state: state_of(&m, now),
            role: m.role,
            attached_to: m
                .structure_id
                .as_ref()
                .and_then(|id| structures.get(id))
                .or_else(|| m.team_id.as_ref().and_then(|id| teams.get(id)))
                .cloned()
                .unwrap_or_default(),
            last_sign_in: m.last_sign_in_at.map(time_fr::date_time),
            name: format!("{} {}", m.first_name, m.last_name),
            id: m.id,
            email: m.email,
        })
        .collect();
    let dormant = account::Entity::find().filter(scope).filter(state_condition("dormant", now).unwrap_or_else(Condition::all)).count(db).await?;
    let teams = match &user.caisse_id {
        Some(caisse_id) => teams_of(db, caisse_id).await?.into_iter().map(|t| (t.id, t.name)).collect(),
        None => vec![],
    };
    Ok(AccountList {
        scope: scope_name(db, user).await?,
        rows,
        total,
        page,
        pages,
        dormant,
        teams,
        caisses: caisse_choices(db, user).await?,
        returned,
    })
}

pub async fn page(cx: &RequestContext, id: &str, returned: Option<FormValues>) -> Result<AccountPage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let now = cx.now;
    let model = find_managed_account(db, user, id).await?;
    let caisse_name = match &model.caisse_id {
        Some(caisse_id) => caisse::Entity::find_by_id(caisse_id.clone()).one(db).await?.map(|c| c.name).unwrap_or_default(),
        None => "Administration nationale".to_owned(),
    };
    let structure = match &model.structure_id {
        Some(structure_id) => partner_structure::Entity::find_by_id(structure_id.clone()).one(db).await?.map(|s| (s.id, s.name)),
        None => None,
    };
    let teams = match &model.caisse_id {
        Some(caisse_id) => teams_of(db, caisse_id).await?.into_iter().map(|t| (t.id, t.name)).collect(),
        None => vec![],
    };
    Ok(AccountPage {
        state: state_of(&model, now),
        role: model.role,
        name: format!("{} {}", model.first_name, model.last_name),
        caisse_name,
        structure,
        team_id: model.team_id.clone().unwrap_or_default(),
        teams,
        trained_on: model.trained_on.map(time_fr::date),
        trained_on_iso: model.trained_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        last_sign_in: model.last_sign_in_at.map(time_fr::date_time),
        created: time_fr::date_time(model.created_at),
        is_self: model.id == user.id,
        second_factor: second_factor::Entity::find_by_id(model.id.clone()).one(db).await?.is_some(),
        id: model.id,
        email: model.email,
        returned,
    })
}

/// The team `team_id` if it is one of the caisse's (empty: none).
async fn team_of_caisse(db: &impl ConnectionTrait, caisse_id: &str, team_id: &str) -> Result<Option<String>, AppError> {
    if team_id.is_empty() {
        return Ok(None);
    }
    let found = team::Entity::find_by_id(team_id.to_owned()).filter(team::Column::CaisseId.eq(caisse_id)).one(db).await?;
    found.map(|t| Some(t.id)).ok_or_else(|| AppError::field("team_id", "Choisissez une équipe de la caisse."))
}

/// Creates the account of an invited person (no password yet) and e-mails them a one-time link valid 72 hours.
pub async fn invite(cx: &RequestContext, typed: &FormValues) -> Result<String, AppError> {
    let db = cx.db();
    let mail = &cx.state.settings.mail;
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    super::admin(user)?;
    let mut problems = Problems::new();
    let email = EmailAddress::parse(typed.text("email")).map_err(|e| problems.push("email", e.to_string())).ok();
    let first_name = problems.required("first_name", typed.text("first_name"), "Indiquez le prénom.", NAME_MAX);
    let last_name = problems.required("last_name", typed.text("last_name"), "Indiquez le nom.", NAME_MAX);
    let role = Role::parse(typed.text("role")).map_err(|_| problems.push("role", "Choisissez le rôle de la personne.")).ok();
    let (Some(email), Some(role), true) = (email, role, problems.is_empty()) else {
        return Err(super::invalid(problems.into_vec()));
    };
    let txn = crate::server::db::write_transaction(db).await?;
    let (caisse_id, structure_id, team_id, organisation) = match role {
        Role::PartnerAgent => {
            let structure = find_managed(&txn, user, typed.text("structure_id")).await?;
            (Some(structure.caisse_id.clone()), Some(structure.id), None, structure.name)
        }
        Role::CaisseAgent | Role::Admin => {
            let caisse_id = match (&user.caisse_id, typed.text("caisse_id")) {
                (Some(own), _) => Some(own.clone()),
                (None, "") if role == Role::Admin => None,
                (None, "") => return Err(AppError::field("caisse_id", "Choisissez la caisse de la personne.")),
                (None, chosen) => Some(chosen.to_owned()),
            };
            let caisse = match &caisse_id {
                Some(id) => {
                    check_manages(user, id)?;
                    Some(
                        caisse::Entity::find_by_id(id.clone())
                            .one(&txn)
                            .await?
                            .ok_or_else(|| AppError::field("caisse_id", "Choisissez la caisse de la personne."))?,
                    )
                }
                None => None,
            };
            let team_id = match (&caisse_id, role) {
                (Some(id), Role::CaisseAgent) => team_of_caisse(&txn, id, typed.text("team_id")).await?,
                _ => None,
            };
            (caisse_id, None, team_id, caisse.map(|c| c.name).unwrap_or_else(|| "l'administration nationale".to_owned()))
        }
    };
    if account::Entity::find().filter(account::Column::Email.eq(email.as_str())).count(&txn).await? > 0 {
        return Err(AppError::field("email", "Un compte existe déjà avec cette adresse : retrouvez-le dans la liste des comptes."));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let model = account::ActiveModel {
        id: Set(id.clone()),
        email: Set(email.as_str().to_owned()),
        first_name: Set(first_name),
        last_name: Set(last_name),
        role: Set(role),
        caisse_id: Set(caisse_id.clone()),
        structure_id: Set(structure_id),
        team_id: Set(team_id),
        mail_preference: Set(MailPreference::default()),
        password_hash: Set(None),
        trained_on: Set(None),
        active: Set(true),
        last_sign_in_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    reset::invite(&txn, mail, &model, &organisation, now).await?;
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "account.invited", "account", Some(id.clone())).in_caisse(caisse_id).detail(format!(
            "{} {} ({})",
            model.first_name,
            model.last_name,
            role.label()
        )),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Sends a new invitation to an account whose password is not chosen yet.
pub async fn resend_invitation(cx: &RequestContext, id: &str) -> Result<(), AppError> {
    let db = cx.db();
    let mail = &cx.state.settings.mail;
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let txn = crate::server::db::write_transaction(db).await?;
    let model = find_managed_account(&txn, user, id).await?;
    if state_of(&model, now) != AccountState::Invited {
        return Err(AppError::Conflict("Ce compte est déjà activé (ou désactivé) : il n'y a pas d'invitation à renvoyer.".to_owned()));
    }
    let organisation = match (&model.structure_id, &model.caisse_id) {
        (Some(structure_id), _) => partner_structure::Entity::find_by_id(structure_id.clone()).one(&txn).await?.map(|s| s.name),
        (None, Some(caisse_id)) => caisse::Entity::find_by_id(caisse_id.clone()).one(&txn).await?.map(|c| c.name),
        (None, None) => None,
    };
    reset::invite(&txn, mail, &model, &organisation.unwrap_or_else(|| "l'administration nationale".to_owned()), now).await?;
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "account.invitation_resent", "account", Some(model.id.clone())).in_caisse(model.caisse_id.clone()),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Changes a caisse staff member's role and team (an admin belongs to no team).
pub async fn update(cx: &RequestContext, id: &str, typed: &FormValues) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let txn = crate::server::db::write_transaction(db).await?;
    let model = find_managed_account(&txn, user, id).await?;
    if model.role == Role::PartnerAgent {
        return Err(AppError::Conflict(
            "Un agent partenaire reste rattaché à sa structure : invitez la personne sous une autre adresse pour un autre rôle.".to_owned(),
        ));
    }
    let role = match Role::parse(typed.text("role")) {
        Ok(role @ (Role::CaisseAgent | Role::Admin)) => role,
        _ => return Err(AppError::field("role", "Choisissez « Agent de caisse » ou « Administrateur ».")),
    };
    if model.id == user.id && role != Role::Admin {
        return Err(AppError::field(
            "role",
            "Vous ne pouvez pas retirer votre propre rôle d'administrateur : demandez-le à un autre administrateur.",
        ));
    }
    let team_id = match (&model.caisse_id, role) {
        (Some(caisse_id), Role::CaisseAgent) => team_of_caisse(&txn, caisse_id, typed.text("team_id")).await?,
        _ => None,
    };
    let caisse_id = model.caisse_id.clone();
    let mut active: account::ActiveModel = model.into();
    active.role = Set(role);
    active.team_id = Set(team_id.clone());
    active.updated_at = Set(now);
    active.update(&txn).await?;
    let detail = format!("role={} team={}", role.code(), team_id.unwrap_or_default());
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "account.updated", "account", Some(id.to_owned())).in_caisse(caisse_id).detail(detail),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deactivates an account (its sessions end at once) or reactivates it. Nobody deactivates their own account.
pub async fn set_active(cx: &RequestContext, id: &str, active: bool) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let txn = crate::server::db::write_transaction(db).await?;
    let model = find_managed_account(&txn, user, id).await?;
    if model.id == user.id && !active {
        return Err(AppError::Conflict("Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur.".to_owned()));
    }
    let caisse_id = model.caisse_id.clone();
    let mut row: account::ActiveModel = model.into();
    row.active = Set(active);
    row.updated_at = Set(now);
    row.update(&txn).await?;
    if !active {
        end_all_sessions_of(&txn, id).await?;
    }
    let action = if active { "account.reactivated" } else { "account.deactivated" };
    audit::record(&txn, Entry::new(Actor::signed_in(user), action, "account", Some(id.to_owned())).in_caisse(caisse_id), origin, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Resets a person's second factor (a lost phone, no recovery code left): the factor and the recovery codes go,
/// every session ends, the person is told by e-mail and enrols again at the next sign-in. Only the admins who manage
/// the account (its caisse's, or a national one); never one's own (the security page does that, with a code).
pub async fn reset_second_factor(cx: &RequestContext, id: &str) -> Result<(), AppError> {
    let user = &cx.user;
    let txn = crate::server::db::write_transaction(cx.db()).await?;
    let model = find_managed_account(&txn, user, id).await?;
    if model.id == user.id {
        return Err(AppError::Conflict("Pour votre propre compte, passez par la page Sécurité du compte.".to_owned()));
    }
    if second_factor::Entity::find_by_id(model.id.clone()).one(&txn).await?.is_none() {
        return Err(AppError::Conflict("Cette personne n'a pas encore activé sa double authentification.".to_owned()));
    }
    crate::server::auth::second_factor::remove(&txn, &model.id).await?;
    let ended = end_all_sessions_of(&txn, &model.id).await?;
    let entry = Entry::new(Actor::signed_in(user), "auth.second_factor_reset", "account", Some(model.id.clone()))
        .in_caisse(model.caisse_id.clone())
        .detail(format!("sessions_ended={ended}"));
    audit::record(&txn, entry, &cx.origin, cx.now).await?;
    crate::server::auth::second_step::notify(&txn, &cx.state.settings.mail.public_url, &model.id, FactorChange::Reset, cx.now).await?;
    txn.commit().await?;
    Ok(())
}

/// The training day typed, if it is a date that has come.
fn parse_training_day(text: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("trained_on", "Indiquez la date de la formation (jj/mm/aaaa)."))?;
    if day > today {
        return Err(AppError::field("trained_on", "La date de formation ne peut pas être dans le futur."));
    }
    Ok(day)
}

/// Records the day a partner agent was trained: from then on they may submit requests.
pub async fn record_training(cx: &RequestContext, id: &str, trained_on: &str) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let txn = crate::server::db::write_transaction(db).await?;
    let model = find_managed_account(&txn, user, id).await?;
    if model.role != Role::PartnerAgent {
        return Err(AppError::Conflict("La formation s'enregistre pour les agents des structures partenaires.".to_owned()));
    }
    let day = parse_training_day(trained_on, time_fr::paris_day(now))?;
    let caisse_id = model.caisse_id.clone();
    let mut row: account::ActiveModel = model.into();
    row.trained_on = Set(Some(day));
    row.updated_at = Set(now);
    row.update(&txn).await?;
    let entry =
        Entry::new(Actor::signed_in(user), "account.training_recorded", "account", Some(id.to_owned())).in_caisse(caisse_id).detail(day.to_string());
    audit::record(&txn, entry, origin, now).await?;
    txn.commit().await?;
    Ok(())
}
