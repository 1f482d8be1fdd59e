//! The conventions as the services read them: stored rows as domain terms, and the gate in front of every
//! submission (a convention in force that opens the kind, and a trained agent). The one owner other services call.

use crate::domain::convention::{self, ConventionTerms, SubmissionBlock};
use crate::domain::request_kind::RequestKind;
use crate::dto::error::AppError;
use crate::server::context::RequestContext;
use crate::server::entities::convention as convention_entity;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// A stored convention as domain terms.
pub fn terms_of(model: &convention_entity::Model) -> ConventionTerms {
    ConventionTerms { status: model.status, starts_on: model.starts_on, ends_on: model.ends_on, kinds: model.kinds.clone() }
}

/// The conventions of each structure, as domain terms, keyed by structure id.
pub(crate) async fn conventions_by_structure(
    db: &DatabaseConnection,
    caisse_id: Option<&str>,
) -> Result<HashMap<String, Vec<ConventionTerms>>, DbErr> {
    let mut query = convention_entity::Entity::find();
    if let Some(caisse_id) = caisse_id {
        query = query.filter(convention_entity::Column::CaisseId.eq(caisse_id));
    }
    let mut map: HashMap<String, Vec<ConventionTerms>> = HashMap::new();
    for model in query.all(db).await? {
        map.entry(model.structure_id.clone()).or_default().push(terms_of(&model));
    }
    Ok(map)
}

/// Why `user` may not submit a request for `function` today, if anything stops them.
pub async fn submission_block(cx: &RequestContext, kind: RequestKind) -> Result<Option<SubmissionBlock>, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let today = cx.today();
    let structure_id = user.structure_id.clone().ok_or(AppError::Forbidden)?;
    let conventions = structure_terms(db, &structure_id).await?;
    Ok(convention::submission_block(convention::governing(&conventions, today), user.trained_on.is_some(), kind, today))
}

pub(crate) async fn structure_terms(db: &DatabaseConnection, structure_id: &str) -> Result<Vec<ConventionTerms>, DbErr> {
    Ok(convention_entity::Entity::find()
        .filter(convention_entity::Column::StructureId.eq(structure_id))
        .all(db)
        .await?
        .iter()
        .map(terms_of)
        .collect())
}
