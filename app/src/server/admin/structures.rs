//! Partner structures, for admins: the searchable, paged list; one structure's page with its conventions, agents
//! and request counts; creation and edits (SIRET checked, and unique).

use super::{check_manages, in_scope, invalid};
use crate::domain::account_review::AccountState;
use crate::domain::convention::{self as rules, ConventionAction, ConventionTerms};
use crate::domain::form_values::FormValues;
use crate::domain::request_lifecycle::{Reader, Status};
use crate::domain::role::Role;
use crate::domain::structure_kind::StructureKind;
use crate::domain::structure_profile::{StructureProfile, TypedProfile};
use crate::domain::submission::search_key;
use crate::dto::admin::structures::{AgentLine, StructureLine, StructureList, StructurePage};
use crate::dto::error::AppError;
use crate::server::audit::Actor;
use crate::server::audit::{self, Entry};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::conventions::terms_of;
use crate::server::entities::{account, caisse, convention, partner_structure, request};
use crate::server::time_fr;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Where forms refused without JavaScript keep what was typed.
pub const CREATE_FLASH: &str = "admin.structure_create";
pub const PROFILE_FLASH: &str = "admin.structure_profile";
pub const CONVENTION_FLASH: &str = "admin.convention";
pub const INVITATION_FLASH: &str = "admin.structure_invitation";
pub const DOCUMENT_FLASH: &str = "admin.convention_document";

/// Structures per page of the list.
pub const PER_PAGE: u64 = 25;

const SIRET_TAKEN: &str = "Une structure porte déjà ce SIRET : cherchez-la dans la liste plutôt que de la créer une seconde fois.";

/// (code, label) of every kind of structure, as the forms offer them.
pub fn kinds() -> Vec<(String, String)> {
    StructureKind::ALL.iter().map(|k| (k.code().to_owned(), k.label().to_owned())).collect()
}

/// The caisse's name, or every caisse's for a national admin.
pub async fn scope_name(db: &impl ConnectionTrait, user: &SignedIn) -> Result<String, AppError> {
    Ok(match &user.caisse_id {
        Some(id) => caisse::Entity::find_by_id(id.clone()).one(db).await?.map(|c| c.name).unwrap_or_default(),
        None => "Toutes les caisses".to_owned(),
    })
}

/// (id, name) of the caisses a national admin chooses from; empty for a caisse's admin (theirs is implied).
pub async fn caisse_choices(db: &impl ConnectionTrait, user: &SignedIn) -> Result<Vec<(String, String)>, AppError> {
    if user.caisse_id.is_some() {
        return Ok(vec![]);
    }
    Ok(caisse::Entity::find().order_by_asc(caisse::Column::Name).all(db).await?.into_iter().map(|c| (c.id, c.name)).collect())
}

/// The structure with this id, if `user` manages its caisse.
pub async fn find_managed(db: &impl ConnectionTrait, user: &SignedIn, id: &str) -> Result<partner_structure::Model, AppError> {
    let structure = partner_structure::Entity::find_by_id(id.to_owned()).one(db).await?.ok_or(AppError::NotFound)?;
    check_manages(user, &structure.caisse_id)?;
    Ok(structure)
}

pub async fn list(cx: &RequestContext, search: &str, page: u64, returned: Option<FormValues>) -> Result<StructureList, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let now = cx.now;
    super::admin(user)?;
    let today = time_fr::paris_day(now);
    let search = search.trim();
    let mut filter = in_scope(user, partner_structure::Column::CaisseId);
    if !search.is_empty() {
        // Names and communes compare as the history's search does (`search_key`: case, accents and hyphens
        // folded, so « evry » finds « Évry-Courcouronnes »); a SIRET by its digits. The admin's structures are a
        // caisse's few hundred (a national admin's few thousand): their names are read and matched here.
        let key = search_key(search);
        let digits: String = search.chars().filter(char::is_ascii_digit).collect();
        let candidates: Vec<(String, String, String, Option<String>)> = partner_structure::Entity::find()
            .select_only()
            .column(partner_structure::Column::Id)
            .column(partner_structure::Column::Name)
            .column(partner_structure::Column::Commune)
            .column_as(Expr::col(partner_structure::Column::Siret), "siret")
            .filter(filter.clone())
            .into_tuple()
            .all(db)
            .await?;
        let found: Vec<String> = candidates
            .into_iter()
            .filter(|(_, name, commune, siret)| {
                search_key(&format!("{name} {commune}")).contains(&key)
                    || (digits.len() >= 3 && siret.as_deref().is_some_and(|siret| siret.contains(&digits)))
            })
            .map(|(id, ..)| id)
            .collect();
        filter = filter.add(partner_structure::Column::Id.is_in(found));
    }
    let query =
        partner_structure::Entity::find().filter(filter).order_by_asc(partner_structure::Column::Name).order_by_asc(partner_structure::Column::Id);
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = page.min(pages);
    let structures = query.offset((page - 1) * PER_PAGE).limit(PER_PAGE).all(db).await?;
    let ids: Vec<String> = structures.iter().map(|s| s.id.clone()).collect();
    let mut conventions: HashMap<String, Vec<ConventionTerms>> = HashMap::new();
    for model in convention::Entity::find().filter(convention::Column::StructureId.is_in(ids.clone())).all(db).await? {
        conventions.entry(model.structure_id.clone()).or_default().push(terms_of(&model));
    }
    let mut agents: HashMap<String, u64> = HashMap::new();
    for model in account::Entity::find().filter(account::Column::StructureId.is_in(ids)).filter(account::Column::Active.eq(true)).all(db).await? {
        *agents.entry(model.structure_id.unwrap_or_default()).or_default() += 1;
    }
    let rows = structures
        .into_iter()
        .map(|s| StructureLine {
            convention: conventions.get(&s.id).and_then(|terms| rules::governing(terms, today)).map(|t| t.status_on(today)),
            agents: agents.get(&s.id).copied().unwrap_or(0),
            kind: s.kind.label().to_owned(),
            siret: s.siret.as_ref().map(|s| s.to_string()).unwrap_or_default(),
            id: s.id,
            name: s.name,
            commune: s.commune,
        })
        .collect();
    Ok(StructureList {
        scope: scope_name(db, user).await?,
        search: search.to_owned(),
        rows,
        total,
        page,
        pages,
        kinds: kinds(),
        caisses: caisse_choices(db, user).await?,
        returned,
    })
}

fn typed_profile(typed: &FormValues) -> TypedProfile<'_> {
    TypedProfile {
        name: typed.text("name"),
        kind: typed.text("kind"),
        siret: typed.text("siret"),
        address: typed.text("address"),
        postal_code: typed.text("postal_code"),
        commune: typed.text("commune"),
    }
}

/// Whether another structure than `except` already has this SIRET.
async fn siret_taken(db: &impl ConnectionTrait, siret: &str, except: Option<&str>) -> Result<bool, AppError> {
    let mut query = partner_structure::Entity::find().filter(partner_structure::Column::Siret.eq(siret));
    if let Some(id) = except {
        query = query.filter(partner_structure::Column::Id.ne(id));
    }
    Ok(query.count(db).await? > 0)
}

/// Creates a structure in the admin's caisse (a national admin names the caisse); returns its id.
pub async fn create(cx: &RequestContext, typed: &FormValues) -> Result<String, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    super::admin(user)?;
    let caisse_id = match &user.caisse_id {
        Some(own) => own.clone(),
        None => {
            let chosen = typed.text("caisse_id");
            if caisse::Entity::find_by_id(chosen.to_owned()).one(db).await?.is_none() {
                return Err(AppError::field("caisse_id", "Choisissez la caisse de la structure."));
            }
            chosen.to_owned()
        }
    };
    check_manages(user, &caisse_id)?;
    let profile = StructureProfile::parse(&typed_profile(typed)).map_err(invalid)?;
    let txn = crate::server::db::write_transaction(db).await?;
    if siret_taken(&txn, profile.siret.as_str(), None).await? {
        return Err(AppError::field("siret", SIRET_TAKEN));
    }
    let id = uuid::Uuid::now_v7().to_string();
    partner_structure::ActiveModel {
        id: Set(id.clone()),
        caisse_id: Set(caisse_id.clone()),
        name: Set(profile.name.clone()),
        kind: Set(profile.kind),
        siret: Set(Some(profile.siret.clone())),
        address: Set(profile.address),
        postal_code: Set(profile.postal_code),
        commune: Set(profile.commune),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let entry =
        Entry::new(Actor::signed_in(user), "structure.created", "structure", Some(id.clone())).in_caisse(Some(caisse_id)).detail(profile.name);
    audit::record(&txn, entry, origin, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// Changes a structure's name, kind, SIRET and address.
pub async fn update(cx: &RequestContext, id: &str, typed: &FormValues) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let txn = crate::server::db::write_transaction(db).await?;
    let structure = find_managed(&txn, user, id).await?;
    let profile = StructureProfile::parse(&typed_profile(typed)).map_err(invalid)?;
    if siret_taken(&txn, profile.siret.as_str(), Some(id)).await? {
        return Err(AppError::field("siret", SIRET_TAKEN));
    }
    let caisse_id = structure.caisse_id.clone();
    let mut active: partner_structure::ActiveModel = structure.into();
    active.name = Set(profile.name.clone());
    active.kind = Set(profile.kind);
    active.siret = Set(Some(profile.siret.clone()));
    active.address = Set(profile.address);
    active.postal_code = Set(profile.postal_code);
    active.commune = Set(profile.commune);
    active.updated_at = Set(now);
    active.update(&txn).await?;
    let entry =
        Entry::new(Actor::signed_in(user), "structure.updated", "structure", Some(id.to_owned())).in_caisse(Some(caisse_id)).detail(profile.name);
    audit::record(&txn, entry, origin, now).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn page(
    cx: &RequestContext,
    id: &str,
    [returned_profile, returned_convention, returned_invitation]: [Option<FormValues>; 3],
    document_refused: Option<(String, String)>,
) -> Result<StructurePage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let now = cx.now;
    let structure = find_managed(db, user, id).await?;
    let today = time_fr::paris_day(now);
    let caisse_name = caisse::Entity::find_by_id(structure.caisse_id.clone()).one(db).await?.map(|c| c.name).unwrap_or_default();
    let models = convention::Entity::find()
        .filter(convention::Column::StructureId.eq(id))
        .order_by_desc(convention::Column::StartsOn)
        .order_by_desc(convention::Column::Id)
        .all(db)
        .await?;
    let followed: Vec<String> = models.iter().filter_map(|m| m.previous_convention_id.clone()).collect();
    let mut conventions = vec![];
    for model in &models {
        let terms = terms_of(model);
        let status = terms.status_on(today);
        let renewed = followed.contains(&model.id);
        conventions.push(crate::dto::admin::structures::ConventionLine {
            id: model.id.clone(),
            status,
            starts_on: time_fr::date(model.starts_on),
            ends_on: model.ends_on.map(time_fr::date),
            starts_on_iso: model.starts_on.format("%Y-%m-%d").to_string(),
            ends_on_iso: model.ends_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            kinds: terms.kinds.0.clone(),
            reason: model.suspension_reason.clone(),
            document: model.signed_document_name.clone(),
            renews: model.previous_convention_id.is_some(),
            renewed,
            actions: terms.actions(today).into_iter().filter(|a| !(renewed && *a == ConventionAction::Renew)).collect(),
        });
    }
    let agents = account::Entity::find()
        .filter(account::Column::StructureId.eq(id))
        .filter(account::Column::Role.eq(Role::PartnerAgent))
        .order_by_asc(account::Column::LastName)
        .order_by_asc(account::Column::FirstName)
        .all(db)
        .await?
        .into_iter()
        .map(|a| AgentLine {
            state: AccountState::of(a.active, a.password_hash.is_some(), a.last_sign_in_at.unwrap_or(a.created_at), now),
            name: format!("{} {}", a.first_name, a.last_name),
            trained_on: a.trained_on.map(time_fr::date),
            id: a.id,
            email: a.email,
        })
        .collect();
    let counts: Vec<(String, i64)> = request::Entity::find()
        .select_only()
        .column(request::Column::Status)
        .column_as(request::Column::Id.count(), "n")
        .filter(request::Column::StructureId.eq(id))
        .group_by(request::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let requests: Vec<(String, u64)> = Status::ALL
        .iter()
        .filter_map(|status| {
            let n = counts.iter().find(|(code, _)| code == status.code()).map(|(_, n)| u64::try_from(*n).unwrap_or(0))?;
            Some((status.label(Reader::Caisse).to_owned(), n))
        })
        .collect();
    Ok(StructurePage {
        id: structure.id,
        caisse_name,
        kind_label: structure.kind.label().to_owned(),
        kind: structure.kind.code().to_owned(),
        siret: structure.siret.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        name: structure.name,
        address: structure.address,
        postal_code: structure.postal_code,
        commune: structure.commune,
        conventions,
        agents,
        total_requests: requests.iter().map(|(_, n)| n).sum(),
        requests,
        kinds: kinds(),
        returned_profile,
        returned_convention,
        returned_invitation,
        document_refused,
    })
}
