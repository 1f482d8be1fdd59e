//! The domain's visibility rule (`domain::visibility`) applied to every read of a request: lists, one request by its
//! reference, a download. A request out of sight answers `NotFound`, exactly as if it did not exist.

use crate::domain::reference::Reference;
use crate::domain::role::Role;
use crate::domain::visibility::{Sight, sight};
use crate::dto::error::AppError;
use crate::server::auth::SignedIn;
use crate::server::entities::request;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

fn sight_of(user: &SignedIn) -> Sight<'_> {
    sight(user.role, user.structure_id.as_deref(), user.caisse_id.as_deref())
}

/// The condition that keeps, of any query on requests, those `user` may see (none when they may see none).
pub(crate) fn in_sight(user: &SignedIn) -> Condition {
    match sight_of(user) {
        Sight::Structure(structure_id) => Condition::all().add(request::Column::StructureId.eq(structure_id)),
        Sight::Caisse(caisse_id) => Condition::all().add(request::Column::CaisseId.eq(caisse_id)),
        Sight::Nothing => Condition::any(),
    }
}

/// Whether `user` may see `request` (a file joined to it, an appointment's calendar file…).
pub(crate) fn may_see(user: &SignedIn, request: &request::Model) -> bool {
    sight_of(user).sees(&request.structure_id, &request.caisse_id)
}

/// The request with this public reference, for someone working on `side` (partner or caisse) who may see it:
/// `Forbidden` for the other side, `NotFound` for a request out of sight or a malformed reference.
pub(crate) async fn find(db: &impl ConnectionTrait, user: &SignedIn, reference: &str, side: Role) -> Result<request::Model, AppError> {
    if user.role != side || sight_of(user) == Sight::Nothing {
        return Err(AppError::Forbidden);
    }
    let reference = Reference::parse(reference).ok_or(AppError::NotFound)?;
    request::Entity::find()
        .filter(request::Column::Reference.eq(reference.to_string()))
        .filter(in_sight(user))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}
