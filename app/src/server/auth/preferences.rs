//! A person's own choices about e-mail notices (security e-mails always go, whatever they choose).

use crate::domain::notice::MailPreference;
use crate::dto::error::AppError;
use crate::server::audit::{self, Actor, Entry};
use crate::server::context::RequestContext;
use crate::server::entities::account;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

pub async fn mail_preference(cx: &RequestContext) -> Result<String, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let person = account::Entity::find_by_id(user.id.clone()).one(db).await?.ok_or(AppError::Unauthenticated)?;
    Ok(person.mail_preference.code().to_owned())
}

pub async fn save_mail_preference(cx: &RequestContext, code: &str) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let preference = MailPreference::parse(code).map_err(|_| AppError::field("preference", "Choisissez une des trois possibilités."))?;
    account::Entity::update_many()
        .col_expr(account::Column::MailPreference, sea_orm::sea_query::Expr::value(preference))
        .col_expr(account::Column::UpdatedAt, sea_orm::sea_query::Expr::value(now))
        .filter(account::Column::Id.eq(&user.id))
        .exec(db)
        .await?;
    let actor = Actor::signed_in(user);
    audit::record(
        db,
        Entry::new(actor, "account.mail_preference", "account", Some(user.id.clone())).in_caisse(user.caisse_id.clone()).detail(preference.code()),
        origin,
        now,
    )
    .await?;
    Ok(())
}
