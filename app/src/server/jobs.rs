//! Periodic jobs that run once per slot however many instances serve: each instance ticks, and the one whose claim
//! on (job, slot) goes in first runs the job; the others skip it.

use super::entities::job_claim;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// The slot `at` falls in, for jobs run every `every`.
pub fn tick(at: DateTime<Utc>, every: std::time::Duration) -> i64 {
    at.timestamp().div_euclid(every.as_secs().max(1) as i64)
}

/// Claims `job` for slot `tick`: true for the one caller whose row went in.
pub async fn claim(db: &impl ConnectionTrait, job: &str, tick: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let claimed = job_claim::Entity::insert(job_claim::ActiveModel { job: Set(job.to_owned()), tick: Set(tick), claimed_at: Set(now) })
        .on_conflict(OnConflict::columns([job_claim::Column::Job, job_claim::Column::Tick]).do_nothing().to_owned())
        .exec_without_returning(db)
        .await;
    match claimed {
        Ok(rows) => Ok(rows == 1),
        Err(DbErr::RecordNotInserted) => Ok(false),
        Err(err) => Err(err),
    }
}

/// Forgets the claims made before `before` (they only matter within their slot).
pub async fn forget_claims(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(job_claim::Entity::delete_many().filter(job_claim::Column::ClaimedAt.lt(before)).exec(db).await?.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_is_the_same_for_every_instant_within_it() {
        let every = std::time::Duration::from_secs(300);
        let at = |s: i64| DateTime::from_timestamp(s, 0).expect("instant");
        assert_eq!(tick(at(600), every), 2);
        assert_eq!(tick(at(899), every), 2);
        assert_eq!(tick(at(900), every), 3);
    }
}
