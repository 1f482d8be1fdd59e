//! "Mes demandes": the structure's requests, newest first, filtered, one keyset page at a time (fast at any depth:
//! every page is an index range scan from a cursor, never an OFFSET).

use crate::domain::csv::{self, CsvDocument, EXPORT_MAX_ROWS};
use crate::domain::reference::Reference;
use crate::domain::request_kind::RequestKind;
use crate::domain::request_lifecycle::{Reader, Status};
use crate::domain::submission::search_key;
use crate::domain::wording::plural;
use crate::dto::error::AppError;
use crate::dto::requests::{HistoryPage, HistoryQuery, RequestRow, ToDoRow};
use crate::server::audit::{self, Actor, Entry};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::entities::{request, request_follower, request_message};
use crate::server::time_fr;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Select};
use std::collections::HashMap;

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

/// The requests of the user's structure that the filters keep (a partner agent's only); unreadable filters are
/// skipped and said in `notices`.
fn structure_requests(user: &SignedIn, filters: &HistoryQuery, notices: &mut Vec<String>) -> Result<Select<request::Entity>, AppError> {
    if user.structure_id.is_none() {
        return Err(AppError::Forbidden);
    }
    Ok(filtered(request::Entity::find().filter(super::visibility::in_sight(user)), user, filters, notices))
}

/// One page of `per_page` rows of the user's structure.
pub async fn page(cx: &RequestContext, filters: &HistoryQuery, per_page: u64) -> Result<HistoryPage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let mut notices = vec![];
    let base = structure_requests(user, filters, &mut notices)?;
    let page = super::keyset_page(db, base, super::Order::Newest, filters.after.as_deref(), filters.before.as_deref(), per_page).await?;
    Ok(HistoryPage { rows: rows_of(page.rows), next: page.next, previous: page.previous, notices })
}

/// The structure's requests waiting for its answer, longest waiting first (at most `limit`), each with the caisse's
/// latest message to the structure: the partner's to-do.
pub async fn awaiting_answer(cx: &RequestContext, limit: u64) -> Result<Vec<ToDoRow>, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let waiting = request::Entity::find().filter(super::visibility::in_sight(user)).filter(request::Column::Status.eq(Status::AwaitingPartner));
    let rows = super::keyset_page(db, waiting, super::Order::Oldest, None, None, limit).await?.rows;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let mut questions: HashMap<String, request_message::Model> = HashMap::new();
    let asked = request_message::Entity::find()
        .filter(request_message::Column::RequestId.is_in(rows.iter().map(|r| r.id.clone())))
        .filter(request_message::Column::FromCaisse.eq(true))
        .filter(request_message::Column::Internal.eq(false))
        .order_by_asc(request_message::Column::CreatedAt)
        .all(db)
        .await?;
    for message in asked {
        questions.insert(message.request_id.clone(), message);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let question = questions.remove(&row.id);
            ToDoRow {
                kind: row.kind.short_label().to_owned(),
                beneficiary: super::beneficiary_line(&row),
                question: question.as_ref().map(|q| q.body.clone()).unwrap_or_default(),
                asked_at: question.map(|q| time_fr::date_time(q.created_at)).unwrap_or_default(),
                subject: row.subject,
                reference: row.reference,
            }
        })
        .collect())
}

/// The export's columns: the assuré by name only, never a NIR.
pub const CSV_HEADER: [&str; 7] = ["Référence", "Type", "Objet", "Assuré", "Statut", "Envoyée le", "Par"];

/// How many rows an export reads at a time.
const EXPORT_BATCH: u64 = 500;

/// Every request of the user's structure that the filters keep, newest first, as a CSV document: at most
/// [`EXPORT_MAX_ROWS`], a last line saying when more were left out or a filter could not be read. The export is
/// recorded in the audit log (its filters, never the searched name) before the file is handed over.
pub async fn export(cx: &RequestContext, filters: &HistoryQuery) -> Result<String, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let mut notices = vec![];
    let base = structure_requests(user, filters, &mut notices)?;
    let mut document = CsvDocument::new(&CSV_HEADER);
    let (mut written, mut cut, mut after) = (0usize, false, None::<String>);
    loop {
        let page = super::keyset_page(db, base.clone(), super::Order::Newest, after.as_deref(), None, EXPORT_BATCH).await?;
        for row in &page.rows {
            if written == EXPORT_MAX_ROWS {
                cut = true;
                break;
            }
            document.push_row(&[
                row.reference.as_str(),
                row.kind.short_label(),
                row.subject.as_str(),
                &super::beneficiary_name(row),
                row.status.label(Reader::Partner),
                &time_fr::date_time(row.created_at),
                row.author_name.as_deref().unwrap_or_default(),
            ]);
            written += 1;
        }
        match page.next {
            Some(cursor) if !cut => after = Some(cursor),
            _ => break,
        }
    }
    let detail = format!("{}{} ; {}", plural(written as u64, "demande", "demandes"), if cut { " (limite atteinte)" } else { "" }, described(filters));
    let entry = Entry::new(Actor::signed_in(user), "request.exported", "structure", user.structure_id.clone());
    audit::record(db, entry.in_caisse(user.caisse_id.clone()).detail(detail), &cx.origin, cx.now).await?;
    if cut {
        notices.insert(0, csv::cut_note(EXPORT_MAX_ROWS, "précisez les filtres (période, type, statut)"));
    }
    Ok(document.finish((!notices.is_empty()).then(|| notices.join(" ")).as_deref()))
}

/// The filters of an export as the audit log keeps them: which ones were set, never the searched name or reference.
fn described(filters: &HistoryQuery) -> String {
    let set = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let mut parts = vec![];
    if let Some(kind) = set(&filters.kind) {
        parts.push(format!("type {kind}"));
    }
    if let Some(status) = set(&filters.status) {
        parts.push(format!("statut {status}"));
    }
    if filters.mine {
        parts.push("les miennes et suivies".to_owned());
    }
    if let Some(from) = set(&filters.from) {
        parts.push(format!("du {from}"));
    }
    if let Some(to) = set(&filters.to) {
        parts.push(format!("au {to}"));
    }
    if set(&filters.search).is_some() {
        parts.push("avec une recherche".to_owned());
    }
    if parts.is_empty() { "sans filtre".to_owned() } else { parts.join(", ") }
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
