//! "Mes demandes": the structure's requests, newest first, filtered, one keyset page at a time (fast at any depth:
//! every page is an index range scan from a cursor, never an OFFSET).

use crate::domain::reference::Reference;
use crate::domain::request_kind::RequestKind;
use crate::domain::request_lifecycle::{Reader, Status};
use crate::domain::submission::search_key;
use crate::dto::error::AppError;
use crate::dto::requests::{HistoryPage, HistoryQuery, RequestRow};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::entities::{request, request_follower};
use crate::server::time_fr;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Select};

/// Status filter values beyond single statuses.
pub const OPEN: &str = "open";
pub const FINISHED: &str = "finished";

fn day_start(day: NaiveDate) -> chrono::DateTime<Utc> {
    Paris
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN)))
}

/// Applies the filters; a filter that cannot be read is skipped and reported in `notices`.
fn filtered(mut query: Select<request::Entity>, user: &SignedIn, filters: &HistoryQuery, notices: &mut Vec<String>) -> Select<request::Entity> {
    if let Some(kind) = filters.kind.as_deref().filter(|k| !k.is_empty()) {
        match RequestKind::parse(kind) {
            Ok(kind) => query = query.filter(request::Column::Kind.eq(kind)),
            Err(_) => notices.push("Le type de demande choisi n'existe pas : il n'a pas été appliqué.".to_owned()),
        }
    }
    match filters.status.as_deref().filter(|s| !s.is_empty()) {
        None => {}
        Some(OPEN) => query = query.filter(request::is_open()),
        Some(FINISHED) => query = query.filter(request::Column::Status.is_in(Status::ALL.into_iter().filter(|s| !s.is_open()))),
        Some(code) => match Status::parse(code) {
            Ok(status) => query = query.filter(request::Column::Status.eq(status)),
            Err(_) => notices.push("Le statut choisi n'existe pas : il n'a pas été appliqué.".to_owned()),
        },
    }
    if filters.mine {
        let followed = Query::select()
            .column(request_follower::Column::RequestId)
            .from(request_follower::Entity)
            .and_where(request_follower::Column::AccountId.eq(&user.id))
            .to_owned();
        query = query.filter(Condition::any().add(request::Column::AuthorId.eq(&user.id)).add(request::Column::Id.in_subquery(followed)));
    }
    // A period that cannot be read, or that ends before it starts, would silently list nothing: it is not applied,
    // and the page says why (the filters show the same message under the field).
    match filters.period() {
        Ok(period) => {
            if let Some(from) = period.from {
                query = query.filter(request::Column::CreatedAt.gte(day_start(from)));
            }
            if let Some(next_day) = period.to.and_then(|to| to.succ_opt()) {
                query = query.filter(request::Column::CreatedAt.lt(day_start(next_day)));
            }
        }
        Err(problems) => notices.extend(problems.into_iter().map(|problem| format!("{} La période n'a pas été appliquée.", problem.message))),
    }
    if let Some(search) = filters.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        query = match Reference::parse(search) {
            Some(reference) => query.filter(request::Column::Reference.eq(reference.to_string())),
            None => query.filter(request::Column::BeneficiarySearch.contains(search_key(search))),
        };
    }
    query
}

/// One page of `per_page` rows of the user's structure.
pub async fn page(cx: &RequestContext, filters: &HistoryQuery, per_page: u64) -> Result<HistoryPage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    if user.structure_id.is_none() {
        return Err(AppError::Forbidden);
    }
    let mut notices = vec![];
    let base = filtered(request::Entity::find().filter(super::visibility::in_sight(user)), user, filters, &mut notices);
    let page = super::keyset_page(db, base, super::Order::Newest, filters.after.as_deref(), filters.before.as_deref(), per_page).await?;
    Ok(HistoryPage { rows: rows_of(page.rows), next: page.next, previous: page.previous, notices })
}

/// The rows as people read them.
fn rows_of(listed: Vec<super::Listed>) -> Vec<RequestRow> {
    listed
        .into_iter()
        .map(|m| RequestRow {
            kind: m.kind.short_label().to_owned(),
            beneficiary: super::beneficiary_line(&m),
            status_code: m.status.code().to_owned(),
            status: m.status.label(Reader::Partner).to_owned(),
            created_at: time_fr::date_time(m.created_at),
            author: m.author_name.unwrap_or_default(),
            subject: m.subject,
            reference: m.reference,
        })
        .collect()
}
