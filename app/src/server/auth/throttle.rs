//! The database side of the sign-in throttle (`domain::sign_in_throttle`) for any check of a password someone
//! typed: the attempt is reserved as a failure, then counted with the others of the account and of the client
//! address; only when the policy allows it is the password verified. A success withdraws the reservation, a wrong
//! password leaves it as the failure it is, so sign-in and password change share one lock.

use crate::domain::sign_in_throttle::{AttemptsInWindow, ThrottlePolicy};
use crate::dto::error::AppError;
use crate::server::entities::sign_in_failure;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

/// An attempt written as a failure until its password proves right.
#[must_use = "withdraw the reservation when the password is right"]
pub struct Reservation {
    id: String,
}

/// Reserves an attempt for `email` from `ip`; `None` when the throttle forbids even trying (nothing is kept then).
pub async fn reserve(
    db: &DatabaseConnection,
    policy: &ThrottlePolicy,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Option<Reservation>, AppError> {
    let id = uuid::Uuid::now_v7().to_string();
    sign_in_failure::ActiveModel { id: Set(id.clone()), email: Set(email.to_owned()), ip: Set(ip.to_owned()), occurred_at: Set(now) }
        .insert(db)
        .await?;
    let since = now - Duration::minutes(policy.window_minutes);
    let counted = AttemptsInWindow {
        for_account: sign_in_failure::Entity::find()
            .filter(sign_in_failure::Column::Email.eq(email))
            .filter(sign_in_failure::Column::OccurredAt.gt(since))
            .count(db)
            .await?,
        from_ip: sign_in_failure::Entity::find()
            .filter(sign_in_failure::Column::Ip.eq(ip))
            .filter(sign_in_failure::Column::OccurredAt.gt(since))
            .count(db)
            .await?,
    };
    if policy.allows(counted) {
        Ok(Some(Reservation { id }))
    } else {
        // Not tried, so not a failure: the lock lasts from the failures that were verified.
        sign_in_failure::Entity::delete_by_id(id).exec(db).await?;
        Ok(None)
    }
}

impl Reservation {
    /// The password was right: the attempt is not a failure.
    pub async fn withdraw(self, db: &DatabaseConnection) -> Result<(), AppError> {
        sign_in_failure::Entity::delete_by_id(self.id).exec(db).await?;
        Ok(())
    }

    /// The password was wrong: the reservation stays, counted as a failure.
    pub fn keep(self) {}
}
