//! What the caisse's admins are told by e-mail without anyone asking: conventions about to end (60 days before,
//! then 15), and the e-mails that could not be delivered, which they can send again.

use crate::domain::convention::ConventionStatus;
use crate::domain::notice::Notice;
use crate::domain::role::Role;
use crate::dto::error::AppError;
use crate::dto::outbox::UndeliveredMail;
use crate::server::auth::SignedIn;
use crate::server::entities::{account, convention, outbox, partner_structure};
use crate::server::mail::{self, OutboxStatus};
use crate::server::settings::MailSettings;
use crate::server::time_fr;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The warnings before a convention ends, in days, the earliest first.
pub const WARNINGS: [i64; 2] = [60, 15];

/// Queues each due warning about conventions in force that end soon; each (convention, warning, admin) once.
pub async fn warn_expiring_conventions(
    db: &DatabaseConnection,
    settings: &MailSettings,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let horizon = today + chrono::Duration::days(WARNINGS[0]);
    let ending = convention::Entity::find()
        .filter(convention::Column::Status.is_in([ConventionStatus::Signed, ConventionStatus::Active]))
        .filter(convention::Column::EndsOn.gte(today))
        .filter(convention::Column::EndsOn.lte(horizon))
        .all(db)
        .await?;
    let mut queued = 0;
    for deal in ending {
        let Some(ends_on) = deal.ends_on else { continue };
        let days = (ends_on - today).num_days();
        // The latest warning whose day has come: 60 days before, then 15.
        let Some(warning) = WARNINGS.iter().rev().find(|w| days <= **w) else { continue };
        let structure = partner_structure::Entity::find_by_id(deal.structure_id.clone()).one(db).await?.map(|s| s.name).unwrap_or_default();
        let notice = Notice::ConventionExpiring {
            structure,
            ends_on: ends_on.format("%d/%m/%Y").to_string(),
            days: u32::try_from(days).unwrap_or(0),
            link: format!("{}/admin/conventions", settings.public_url),
        };
        let admins = account::Entity::find()
            .filter(account::Column::Role.eq(Role::Admin))
            .filter(account::Column::CaisseId.eq(&deal.caisse_id))
            .filter(account::Column::Active.eq(true))
            .all(db)
            .await?;
        for admin in admins {
            if mail::queue_once(db, &format!("convention-{}-{warning}", deal.id), &admin, &notice.render(), now).await? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// The caisse's e-mails given up or still failing (a national admin sees every caisse's), the latest first, as the
/// admin's list shows them.
pub async fn undelivered_mail(db: &DatabaseConnection, admin: &SignedIn) -> Result<Vec<UndeliveredMail>, AppError> {
    Ok(undelivered(db, admin)
        .await?
        .into_iter()
        .map(|row| UndeliveredMail {
            state: if row.status == OutboxStatus::Failed { "Abandonné" } else { "Nouvel essai prévu" }.to_owned(),
            queued_at: time_fr::date_time(row.created_at),
            last_error: row.last_error.unwrap_or_default(),
            id: row.id,
            recipient: row.recipient,
            subject: row.subject,
            attempts: row.attempts,
        })
        .collect())
}

async fn undelivered(db: &DatabaseConnection, admin: &SignedIn) -> Result<Vec<outbox::Model>, AppError> {
    if admin.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let mut query = outbox::Entity::find().filter(
        Condition::any()
            .add(outbox::Column::Status.eq(OutboxStatus::Failed))
            .add(Condition::all().add(outbox::Column::Status.eq(OutboxStatus::Pending)).add(outbox::Column::LastError.is_not_null())),
    );
    if let Some(caisse_id) = &admin.caisse_id {
        let people: Vec<String> = account::Entity::find()
            .select_only()
            .column(account::Column::Id)
            .filter(account::Column::CaisseId.eq(caisse_id))
            .into_tuple()
            .all(db)
            .await?;
        query = query.filter(outbox::Column::AccountId.is_in(people));
    }
    Ok(query.order_by_desc(outbox::Column::Id).limit(200).all(db).await?)
}

/// Puts an undelivered e-mail back in the queue, to go at the next round.
pub async fn send_again(db: &DatabaseConnection, admin: &SignedIn, id: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let row = undelivered(db, admin).await?.into_iter().find(|r| r.id == id).ok_or(AppError::NotFound)?;
    let mut active: outbox::ActiveModel = row.into();
    active.status = Set(OutboxStatus::Pending);
    active.attempts = Set(0);
    active.last_error = Set(None);
    active.next_attempt_at = Set(now);
    active.update(db).await?;
    Ok(())
}
