//! The accessibility statement: read by anyone, its text kept in `site_texts` (the default until a national admin
//! saves one), edited by national admins only, each change audited.

use super::audit::{self, Actor, Entry};
use super::auth::SignedIn;
use super::context::RequestContext;
use super::entities::site_text;
use crate::domain::accessibility::{DEFAULT_STATEMENT, blocks, checked};
use crate::domain::role::Role;
use crate::dto::accessibility::{AccessibilityStatement, StatementEditor};
use crate::dto::error::AppError;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

/// The key of the statement in `site_texts`.
const KEY: &str = "accessibility";

/// The form's name for what was typed when it came back refused.
pub const FLASH: &str = "accessibility_statement";

/// Whether `user` edits the site's texts: national admins only.
fn may_edit(user: &SignedIn) -> bool {
    user.role == Role::Admin && user.caisse_id.is_none()
}

async fn kept(db: &impl ConnectionTrait) -> Result<Option<site_text::Model>, AppError> {
    Ok(site_text::Entity::find_by_id(KEY.to_owned()).one(db).await?)
}

/// The statement for anyone (signed in or not).
pub async fn statement(db: &impl ConnectionTrait, reader: Option<&SignedIn>) -> Result<AccessibilityStatement, AppError> {
    let kept = kept(db).await?;
    Ok(AccessibilityStatement {
        blocks: blocks(kept.as_ref().map_or(DEFAULT_STATEMENT, |text| text.body.as_str())),
        updated: kept.map(|text| format!("Mise à jour le {}", super::time_fr::date(super::time_fr::paris_day(text.updated_at)))),
        can_edit: reader.is_some_and(may_edit),
    })
}

/// The editor, for a national admin: what a refused form kept, else the text as kept.
pub async fn editor(cx: &RequestContext, returned: Option<StatementEditor>) -> Result<StatementEditor, AppError> {
    if !may_edit(&cx.user) {
        return Err(AppError::Forbidden);
    }
    if let Some(returned) = returned {
        return Ok(returned);
    }
    Ok(StatementEditor { text: kept(cx.db()).await?.map_or_else(|| DEFAULT_STATEMENT.to_owned(), |text| text.body) })
}

/// Saves the statement typed by a national admin, audited; a text that cannot be kept is refused with its reason.
pub async fn save(cx: &RequestContext, text: &str) -> Result<(), AppError> {
    if !may_edit(&cx.user) {
        return Err(AppError::Forbidden);
    }
    let text = checked(text).map_err(|message| AppError::field("text", message))?;
    let txn = super::db::write_transaction(cx.db()).await?;
    let row = site_text::ActiveModel {
        key: Set(KEY.to_owned()),
        body: Set(text),
        updated_at: Set(cx.now),
        updated_by: Set(format!("{} {}", cx.user.first_name, cx.user.last_name)),
    };
    site_text::Entity::insert(row)
        .on_conflict(
            OnConflict::column(site_text::Column::Key)
                .update_columns([site_text::Column::Body, site_text::Column::UpdatedAt, site_text::Column::UpdatedBy])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    audit::record(&txn, Entry::new(Actor::signed_in(&cx.user), "accessibility.updated", "site_text", Some(KEY.to_owned())), &cx.origin, cx.now)
        .await?;
    txn.commit().await?;
    Ok(())
}
