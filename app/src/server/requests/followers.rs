//! Colleagues who follow a request: any agent of the request's structure may ask to hear about it by e-mail, as
//! its author does; the caisse's replies, questions, appointments and closing then reach them too.

use crate::domain::role::Role;
use crate::dto::error::AppError;
use crate::dto::requests::{Following, Standing};
use crate::server::audit::{self, Actor, Entry};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::entities::{account, request, request_follower};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// Starts (`follow`) or stops following a request of the agent's own structure. Doing it twice changes nothing;
/// the author always hears about their request, so following it is not theirs to change.
pub async fn set(cx: &RequestContext, reference: &str, follow: bool) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let txn = crate::server::db::write_transaction(db).await?;
    let model = super::visibility::find(&txn, user, reference, Role::PartnerAgent).await?;
    if model.author_id == user.id {
        return Err(AppError::Conflict("Vous avez écrit cette demande : vous êtes déjà prévenu par e-mail de ses suites.".to_owned()));
    }
    let changed = if follow {
        let row = request_follower::ActiveModel { request_id: Set(model.id.clone()), account_id: Set(user.id.clone()), created_at: Set(now) };
        request_follower::Entity::insert(row)
            .on_conflict(OnConflict::columns([request_follower::Column::RequestId, request_follower::Column::AccountId]).do_nothing().to_owned())
            .exec_without_returning(&txn)
            .await?
    } else {
        request_follower::Entity::delete_by_id((model.id.clone(), user.id.clone())).exec(&txn).await?.rows_affected
    };
    if changed > 0 {
        let action = if follow { "request.followed" } else { "request.unfollowed" };
        let entry = Entry::new(Actor::signed_in(user), action, "request", Some(model.id)).in_caisse(Some(model.caisse_id)).detail(model.reference);
        audit::record(&txn, entry, origin, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The agents of the request's structure who follow it, by name (an agent who left the structure no longer does).
async fn followers(db: &impl ConnectionTrait, model: &request::Model) -> Result<Vec<account::Model>, AppError> {
    let ids: Vec<String> = request_follower::Entity::find()
        .filter(request_follower::Column::RequestId.eq(&model.id))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.account_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .filter(account::Column::StructureId.eq(&model.structure_id))
        .order_by_asc(account::Column::LastName)
        .order_by_asc(account::Column::FirstName)
        .all(db)
        .await?)
}

/// Where the signed-in agent stands, and who else follows (active accounts only).
pub async fn standing(db: &impl ConnectionTrait, user: &SignedIn, model: &request::Model) -> Result<Following, AppError> {
    let followers = followers(db, model).await?;
    let me = if model.author_id == user.id {
        Standing::Author
    } else if followers.iter().any(|f| f.id == user.id) {
        Standing::Following
    } else {
        Standing::NotFollowing
    };
    let others = followers.into_iter().filter(|f| f.id != user.id && f.active).map(|f| format!("{} {}", f.first_name, f.last_name)).collect();
    Ok(Following { me, others })
}

/// Everyone to tell about the request on the partner's side: its author, then its followers.
pub async fn audience(db: &impl ConnectionTrait, model: &request::Model) -> Result<Vec<account::Model>, AppError> {
    let mut people: Vec<account::Model> = account::Entity::find_by_id(model.author_id.clone()).one(db).await?.into_iter().collect();
    people.extend(followers(db, model).await?.into_iter().filter(|f| f.id != model.author_id));
    Ok(people)
}
