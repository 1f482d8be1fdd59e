//! The places and people a caisse's work is organised around: its accueils (where assurés are received, with
//! their opening hours; a deactivated one takes no new appointment) and its teams (where new requests are routed,
//! one team per kind at most). Admins manage their own caisse's; every change is audited with it.

use crate::domain::accueil::AccueilDraft;
use crate::domain::field_error::FieldError;
use crate::domain::form_values::FormValues;
use crate::domain::opening_hours::typed::{DAY_FIELDS, week};
use crate::domain::request_kind::{RequestKind, RequestKinds};
use crate::domain::request_lifecycle::Status;
use crate::domain::teams::{TeamDraft, kinds_taken, kinds_taken_message};
use crate::domain::wording::plural;
use crate::dto::admin::places::{AccueilEditPage, AccueilForm, AccueilRow, AccueilsPage, TeamEditPage, TeamForm, TeamRow, TeamsPage};
use crate::dto::common::Choice;
use crate::dto::error::AppError;
use crate::server::admin::{admin, check_manages, in_scope, invalid};
use crate::server::audit::Actor;
use crate::server::audit::{self, Entry};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::entities::{account, accueil, caisse, request, team};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Where the new-accueil form that came back with errors (JavaScript off) keeps what was typed.
pub const NEW_ACCUEIL_FLASH: &str = "admin.accueil.new";
/// The same for an accueil's edit form.
pub const EDIT_ACCUEIL_FLASH: &str = "admin.accueil.edit";
pub const NEW_TEAM_FLASH: &str = "admin.team.new";
pub const EDIT_TEAM_FLASH: &str = "admin.team.edit";

/// The names of the caisses the admin manages, by id.
async fn caisse_names(db: &impl ConnectionTrait, user: &SignedIn) -> Result<HashMap<String, String>, AppError> {
    let caisses = caisse::Entity::find().filter(in_scope(user, caisse::Column::Id)).all(db).await?;
    Ok(caisses.into_iter().map(|c| (c.id, c.name)).collect())
}

fn scope_name(user: &SignedIn, names: &HashMap<String, String>) -> String {
    match &user.caisse_id {
        Some(own) => names.get(own).cloned().unwrap_or_default(),
        None => "toutes les caisses".to_owned(),
    }
}

/// For a national admin, the caisses to pick from (by name); nothing for an admin of one caisse.
fn caisse_choices(user: &SignedIn, names: &HashMap<String, String>) -> Vec<Choice> {
    if user.caisse_id.is_some() {
        return vec![];
    }
    let mut choices: Vec<Choice> = names.iter().map(|(id, name)| Choice { id: id.clone(), label: name.clone() }).collect();
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    choices
}

/// The caisse something new goes to: the admin's own, or the one a national admin picked (`caisse` field).
async fn target_caisse(db: &impl ConnectionTrait, user: &SignedIn, picked: &str) -> Result<String, AppError> {
    admin(user)?;
    let picked = picked.trim();
    let caisse_id = match (&user.caisse_id, picked) {
        (Some(own), "") => own.clone(),
        (Some(own), picked) if picked == own => own.clone(),
        (Some(_), _) => return Err(AppError::Forbidden),
        (None, "") => return Err(AppError::field("caisse", "Choisissez la caisse.")),
        (None, picked) => {
            if caisse::Entity::find_by_id(picked.to_owned()).one(db).await?.is_none() {
                return Err(AppError::field("caisse", "Cette caisse n'existe pas."));
            }
            picked.to_owned()
        }
    };
    check_manages(user, &caisse_id)?;
    Ok(caisse_id)
}

fn accueil_values(typed: &AccueilForm) -> FormValues {
    let mut values = FormValues::new()
        .with("name", &typed.name)
        .with("address", &typed.address)
        .with("postal_code", &typed.postal_code)
        .with("commune", &typed.commune)
        .with("phone", &typed.phone);
    for (index, field) in DAY_FIELDS.into_iter().enumerate() {
        values.push(field, typed.day(index));
    }
    values
}

/// The stored accueil as its form shows it.
fn accueil_form(model: &accueil::Model) -> AccueilForm {
    let hours = model.opening_hours.clone();
    AccueilForm {
        id: model.id.clone(),
        caisse: model.caisse_id.clone(),
        name: model.name.clone(),
        address: model.address.clone(),
        postal_code: model.postal_code.clone(),
        commune: model.commune.clone(),
        phone: model.phone.clone().unwrap_or_default(),
        hours: week().into_iter().map(|day| hours.typed(day)).collect(),
    }
}

/// The caisse's accueils (every caisse's for a national admin), active ones first.
pub async fn accueils(cx: &RequestContext, returned: Option<AccueilForm>) -> Result<AccueilsPage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    admin(user)?;
    let names = caisse_names(db, user).await?;
    let models = accueil::Entity::find()
        .filter(in_scope(user, accueil::Column::CaisseId))
        .order_by_desc(accueil::Column::Active)
        .order_by_asc(accueil::Column::Name)
        .order_by_asc(accueil::Column::Id)
        .all(db)
        .await?;
    let rows = models
        .into_iter()
        .map(|m| AccueilRow {
            hours: m.opening_hours.summary(),
            address: format!("{}, {} {}", m.address, m.postal_code, m.commune),
            caisse: user.caisse_id.is_none().then(|| names.get(&m.caisse_id).cloned().unwrap_or_default()),
            id: m.id,
            name: m.name,
            phone: m.phone,
            active: m.active,
        })
        .collect();
    Ok(AccueilsPage { scope: scope_name(user, &names), rows, caisses: caisse_choices(user, &names), returned: returned.filter(|r| r.id.is_empty()) })
}

/// The accueil with this id if the admin manages it: `NotFound` when there is none, `Forbidden` when it is another
/// caisse's.
async fn managed_accueil(db: &impl ConnectionTrait, user: &SignedIn, id: &str) -> Result<accueil::Model, AppError> {
    admin(user)?;
    let model = accueil::Entity::find_by_id(id.to_owned()).one(db).await?.ok_or(AppError::NotFound)?;
    check_manages(user, &model.caisse_id)?;
    Ok(model)
}

/// One accueil's edit form: as stored, or as typed when it came back with errors.
pub async fn accueil(cx: &RequestContext, id: &str, returned: Option<AccueilForm>) -> Result<AccueilEditPage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let model = managed_accueil(db, user, id).await?;
    let caisse_name = caisse::Entity::find_by_id(model.caisse_id.clone()).one(db).await?.map(|c| c.name).unwrap_or_default();
    let form = returned.filter(|r| r.id == model.id).unwrap_or_else(|| accueil_form(&model));
    Ok(AccueilEditPage { caisse_name, active: model.active, form })
}

/// Adds an accueil to the admin's caisse (to the caisse a national admin picked); returns its id.
pub async fn create_accueil(cx: &RequestContext, typed: &AccueilForm) -> Result<String, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let caisse_id = target_caisse(db, user, &typed.caisse).await?;
    let draft = AccueilDraft::parse(&accueil_values(typed)).map_err(invalid)?;
    let id = uuid::Uuid::now_v7().to_string();
    let txn = crate::server::db::write_transaction(db).await?;
    accueil::ActiveModel {
        id: Set(id.clone()),
        caisse_id: Set(caisse_id.clone()),
        name: Set(draft.name.clone()),
        address: Set(draft.address.clone()),
        postal_code: Set(draft.postal_code.clone()),
        commune: Set(draft.commune.clone()),
        phone: Set(draft.phone.clone()),
        opening_hours: Set(draft.hours.clone()),
        active: Set(true),
    }
    .insert(&txn)
    .await?;
    let detail = format!("{} ({})", draft.name, draft.address_line());
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "accueil.created", "accueil", Some(id.clone())).in_caisse(Some(caisse_id)).detail(detail),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Changes an accueil's details and hours (appointments already booked keep their time).
pub async fn update_accueil(cx: &RequestContext, typed: &AccueilForm) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let txn = crate::server::db::write_transaction(db).await?;
    let model = managed_accueil(&txn, user, &typed.id).await?;
    let draft = AccueilDraft::parse(&accueil_values(typed)).map_err(invalid)?;
    let caisse_id = model.caisse_id.clone();
    let mut active: accueil::ActiveModel = model.into();
    active.name = Set(draft.name.clone());
    active.address = Set(draft.address.clone());
    active.postal_code = Set(draft.postal_code.clone());
    active.commune = Set(draft.commune.clone());
    active.phone = Set(draft.phone.clone());
    active.opening_hours = Set(draft.hours.clone());
    active.update(&txn).await?;
    let detail = format!("{} ; {}", draft.name, draft.hours.summary().join(" ; "));
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "accueil.updated", "accueil", Some(typed.id.clone())).in_caisse(Some(caisse_id)).detail(detail),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deactivates (no new appointment there; those booked stay) or reactivates an accueil. Asking for the state it
/// is already in changes nothing and records nothing.
pub async fn set_accueil_active(cx: &RequestContext, id: &str, active: bool) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let txn = crate::server::db::write_transaction(db).await?;
    let model = managed_accueil(&txn, user, id).await?;
    if model.active == active {
        return Ok(());
    }
    let (caisse_id, name) = (model.caisse_id.clone(), model.name.clone());
    let mut row: accueil::ActiveModel = model.into();
    row.active = Set(active);
    row.update(&txn).await?;
    let action = if active { "accueil.reactivated" } else { "accueil.deactivated" };
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), action, "accueil", Some(id.to_owned())).in_caisse(Some(caisse_id)).detail(name),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The short labels of some kinds.
fn kind_labels(kinds: &RequestKinds) -> Vec<String> {
    kinds.0.iter().map(|k| k.short_label().to_owned()).collect()
}

/// How many accounts belong to each of these teams, and how many open requests each holds.
async fn team_loads(db: &impl ConnectionTrait, ids: Vec<String>) -> Result<(HashMap<String, u64>, HashMap<String, u64>), AppError> {
    if ids.is_empty() {
        return Ok((HashMap::new(), HashMap::new()));
    }
    let agents: Vec<(Option<String>, i64)> = account::Entity::find()
        .select_only()
        .column(account::Column::TeamId)
        .column_as(account::Column::Id.count(), "count")
        .filter(account::Column::TeamId.is_in(ids.clone()))
        .group_by(account::Column::TeamId)
        .into_tuple()
        .all(db)
        .await?;
    let open: Vec<(Option<String>, i64)> = request::Entity::find()
        .select_only()
        .column(request::Column::TeamId)
        .column_as(request::Column::Id.count(), "count")
        .filter(request::Column::TeamId.is_in(ids))
        .filter(request::Column::Status.is_in(open_statuses()))
        .group_by(request::Column::TeamId)
        .into_tuple()
        .all(db)
        .await?;
    let counted = |rows: Vec<(Option<String>, i64)>| rows.into_iter().filter_map(|(id, n)| Some((id?, u64::try_from(n).unwrap_or(0)))).collect();
    Ok((counted(agents), counted(open)))
}

fn open_statuses() -> Vec<&'static str> {
    Status::ALL.into_iter().filter(|s| s.is_open()).map(Status::code).collect()
}

/// The caisse's teams (every caisse's for a national admin) with their agents and open requests.
pub async fn teams(cx: &RequestContext, returned: Option<TeamForm>) -> Result<TeamsPage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    admin(user)?;
    let names = caisse_names(db, user).await?;
    let mut models = team::Entity::find()
        .filter(in_scope(user, team::Column::CaisseId))
        .order_by_asc(team::Column::Name)
        .order_by_asc(team::Column::Id)
        .all(db)
        .await?;
    models.sort_by_cached_key(|t| (names.get(&t.caisse_id).cloned().unwrap_or_default(), crate::domain::submission::search_key(&t.name)));
    let (agents, open) = team_loads(db, models.iter().map(|t| t.id.clone()).collect()).await?;
    let unrouted = match user.caisse_id {
        Some(_) => {
            let routed: Vec<RequestKind> = models.iter().flat_map(|t| t.kinds.0.iter().copied()).collect();
            RequestKind::ALL.into_iter().filter(|k| !routed.contains(k)).map(|k| k.short_label().to_owned()).collect()
        }
        None => vec![],
    };
    let rows = models
        .into_iter()
        .map(|t| TeamRow {
            kinds: kind_labels(&t.kinds),
            agents: agents.get(&t.id).copied().unwrap_or(0),
            open_requests: open.get(&t.id).copied().unwrap_or(0),
            caisse: user.caisse_id.is_none().then(|| names.get(&t.caisse_id).cloned().unwrap_or_default()),
            id: t.id,
            name: t.name,
        })
        .collect();
    Ok(TeamsPage {
        scope: scope_name(user, &names),
        rows,
        caisses: caisse_choices(user, &names),
        unrouted,
        returned: returned.filter(|r| r.id.is_empty()),
    })
}

async fn managed_team(db: &impl ConnectionTrait, user: &SignedIn, id: &str) -> Result<team::Model, AppError> {
    admin(user)?;
    let model = team::Entity::find_by_id(id.to_owned()).one(db).await?.ok_or(AppError::NotFound)?;
    check_manages(user, &model.caisse_id)?;
    Ok(model)
}

/// One team's edit form, with what it holds.
pub async fn team(cx: &RequestContext, id: &str, returned: Option<TeamForm>) -> Result<TeamEditPage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let model = managed_team(db, user, id).await?;
    let caisse_name = caisse::Entity::find_by_id(model.caisse_id.clone()).one(db).await?.map(|c| c.name).unwrap_or_default();
    let (agents, open) = team_loads(db, vec![model.id.clone()]).await?;
    let form = returned.filter(|r| r.id == model.id).unwrap_or_else(|| TeamForm {
        id: model.id.clone(),
        caisse: model.caisse_id.clone(),
        name: model.name.clone(),
        kinds: model.kinds.0.iter().map(|k| k.code().to_owned()).collect(),
    });
    Ok(TeamEditPage {
        caisse_name,
        form,
        agents: agents.get(&model.id).copied().unwrap_or(0),
        open_requests: open.get(&model.id).copied().unwrap_or(0),
    })
}

/// The draft, checked against the caisse's other teams: a name of its own, and no kind another team receives.
async fn checked_team(db: &impl ConnectionTrait, caisse_id: &str, own_id: Option<&str>, typed: &TeamForm) -> Result<TeamDraft, AppError> {
    let kinds: Vec<&str> = typed.kinds.iter().map(String::as_str).collect();
    let draft = TeamDraft::parse(&typed.name, &kinds).map_err(invalid)?;
    let others: Vec<(String, RequestKinds)> = team::Entity::find()
        .filter(team::Column::CaisseId.eq(caisse_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|t| Some(t.id.as_str()) != own_id)
        .map(|t| (t.name, t.kinds))
        .collect();
    let mut problems = vec![];
    let key = crate::domain::submission::search_key(&draft.name);
    if let Some((name, _)) = others.iter().find(|(name, _)| crate::domain::submission::search_key(name) == key) {
        problems.push(FieldError::new("name", format!("La caisse a déjà une équipe « {name} » : choisissez un autre nom.")));
    }
    let taken = kinds_taken(&draft.kinds, &others);
    if !taken.is_empty() {
        problems.push(FieldError::new("kinds", kinds_taken_message(&taken)));
    }
    if problems.is_empty() { Ok(draft) } else { Err(invalid(problems)) }
}

fn team_detail(draft: &TeamDraft) -> String {
    let kinds = kind_labels(&draft.kinds);
    format!("{} : {}", draft.name, if kinds.is_empty() { "aucun type de demande".to_owned() } else { kinds.join(", ") })
}

/// Adds a team to the admin's caisse (to the caisse a national admin picked); returns its id.
pub async fn create_team(cx: &RequestContext, typed: &TeamForm) -> Result<String, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let caisse_id = target_caisse(db, user, &typed.caisse).await?;
    let txn = crate::server::db::write_transaction(db).await?;
    let draft = checked_team(&txn, &caisse_id, None, typed).await?;
    let id = uuid::Uuid::now_v7().to_string();
    team::ActiveModel {
        id: Set(id.clone()),
        caisse_id: Set(caisse_id.clone()),
        name: Set(draft.name.clone()),
        kinds: Set(draft.kinds.clone()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "team.created", "team", Some(id.clone())).in_caisse(Some(caisse_id)).detail(team_detail(&draft)),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Renames a team and changes the kinds routed to it (requests it already holds stay with it).
pub async fn update_team(cx: &RequestContext, typed: &TeamForm) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let txn = crate::server::db::write_transaction(db).await?;
    let model = managed_team(&txn, user, &typed.id).await?;
    let caisse_id = model.caisse_id.clone();
    let draft = checked_team(&txn, &caisse_id, Some(&model.id), typed).await?;
    let mut row: team::ActiveModel = model.into();
    row.name = Set(draft.name.clone());
    row.kinds = Set(draft.kinds.clone());
    row.update(&txn).await?;
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "team.updated", "team", Some(typed.id.clone())).in_caisse(Some(caisse_id)).detail(team_detail(&draft)),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes a team that no account belongs to and no open request is with; the closed requests it held keep no
/// team. Otherwise a `Conflict` says what to move first.
pub async fn delete_team(cx: &RequestContext, id: &str) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let txn = crate::server::db::write_transaction(db).await?;
    let model = managed_team(&txn, user, id).await?;
    let agents = account::Entity::find().filter(account::Column::TeamId.eq(id)).count(&txn).await?;
    let open =
        request::Entity::find().filter(request::Column::TeamId.eq(id)).filter(request::Column::Status.is_in(open_statuses())).count(&txn).await?;
    let mut reasons = vec![];
    if agents > 0 {
        reasons.push(format!("{} (rattachez-les à une autre équipe)", plural(agents, "agent y est rattaché", "agents y sont rattachés")));
    }
    if open > 0 {
        reasons.push(format!(
            "{} (confiez-les à une autre équipe ou clôturez-les)",
            plural(open, "demande en cours lui est confiée", "demandes en cours lui sont confiées")
        ));
    }
    if !reasons.is_empty() {
        return Err(AppError::Conflict(format!("L'équipe « {} » ne peut pas être supprimée : {}.", model.name, reasons.join(" ; "))));
    }
    let released = request::Entity::update_many()
        .col_expr(request::Column::TeamId, Expr::value(Option::<String>::None))
        .filter(request::Column::TeamId.eq(id))
        .exec(&txn)
        .await?
        .rows_affected;
    team::Entity::delete_by_id(model.id.clone()).exec(&txn).await?;
    let detail = format!("{} ; {} sans équipe désormais", model.name, plural(released, "ancienne demande", "anciennes demandes"));
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "team.deleted", "team", Some(model.id)).in_caisse(Some(model.caisse_id)).detail(detail),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
