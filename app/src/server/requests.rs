//! Requests on the server: submitting, listing, reading, answering and withdrawing, always within the signed-in
//! partner's own structure. A request of another structure or caisse is, for them, a request that does not exist.

pub mod attachments;
pub mod detail;
pub mod followers;
pub mod history;
pub mod respond;
pub mod submit;
pub mod visibility;

use crate::domain::due_date;
use crate::domain::nir::Nir;
use crate::domain::request_kind::RequestKind;
use crate::domain::request_lifecycle::Status;
use crate::server::auth::SignedIn;
use crate::server::entities::{request, request_event};
use crate::server::time_fr::paris_day;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

/// "LEFÈVRE Élodie": who a request is about, by name only (exports carry no NIR).
pub(crate) fn beneficiary_name(row: &Listed) -> String {
    match &row.beneficiary_last_name {
        Some(last_name) => format!("{} {}", last_name.to_uppercase(), row.beneficiary_first_names.clone().unwrap_or_default()),
        None => String::new(),
    }
}

/// "LEFÈVRE Élodie · NIR 2 84 •• •• ••• ••• 93": who a request is about, NIR masked.
pub(crate) fn beneficiary_line(row: &Listed) -> String {
    let mut line = beneficiary_name(row);
    if let Some(nir) = row.beneficiary_nir.as_ref().filter(|_| !line.is_empty()) {
        line.push_str(&format!(" · NIR {}", nir.masked()));
    }
    line
}

/// "1,2 Mo", "830 ko".
pub(crate) fn human_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} Mo", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} ko", (bytes as f64 / 1024.0).ceil() as i64)
    }
}

/// The request moved to `to` at `now`, with its due date worked out again (closed ones get their closing time);
/// callers set anything else that changes, then `update` it in their transaction, and record the step's event.
pub(crate) async fn moved(db: &impl ConnectionTrait, model: request::Model, to: Status, now: DateTime<Utc>) -> Result<request::ActiveModel, DbErr> {
    let pauses = pauses_after(db, &model, to, now).await?;
    let (sent, today) = (paris_day(model.created_at), paris_day(now));
    let due_on = match model.due_budget_days.and_then(|days| u32::try_from(days).ok()) {
        Some(budget) => Some(due_date::due_date(sent, budget, &pauses, today)),
        None => model.due_on,
    };
    let answer = to.answers_partner().then(|| first_answer(&model, now)).flatten();
    let mut active = sea_orm::IntoActiveModel::into_active_model(model);
    active.status = Set(to);
    active.updated_at = Set(now);
    active.due_on = Set(due_on);
    if !to.is_open() {
        active.closed_at = Set(Some(now));
    }
    if let Some(answer) = answer {
        answer.write(&mut active);
    }
    if let Status::Closed(_) = to {
        active.closing_days = Set(Some(i32::try_from(due_date::handling_days(sent, &pauses, today)).unwrap_or(i32::MAX)));
    }
    Ok(active)
}

/// The caisse's first answer to the partner, for the statistics: when, after how many business days, on time or not.
pub(crate) struct FirstAnswer {
    at: DateTime<Utc>,
    days: u32,
    on_time: bool,
}

impl FirstAnswer {
    pub(crate) fn write(self, active: &mut request::ActiveModel) {
        active.first_answer_at = Set(Some(self.at));
        active.first_answer_days = Set(Some(i32::try_from(self.days).unwrap_or(i32::MAX)));
        active.answered_on_time = Set(Some(self.on_time));
    }
}

/// `model`'s first answer if the caisse answers it at `now` and never did before.
pub(crate) fn first_answer(model: &request::Model, now: DateTime<Utc>) -> Option<FirstAnswer> {
    if model.first_answer_at.is_some() {
        return None;
    }
    let (days, on_time) = crate::domain::statistics::first_answer(paris_day(model.created_at), paris_day(now), model.due_on);
    Some(FirstAnswer { at: now, days, on_time })
}

/// The pauses of `model`'s clock once it moves to `to` at `now`, read from its timeline, this move included
/// (`domain::due_date::pauses`): its due date and its closing delay count them. Never from `updated_at`, which any
/// step moves.
async fn pauses_after(
    db: &impl ConnectionTrait,
    model: &request::Model,
    to: Status,
    now: DateTime<Utc>,
) -> Result<Vec<(chrono::NaiveDate, Option<chrono::NaiveDate>)>, DbErr> {
    let events = request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(&model.id))
        .order_by_asc(request_event::Column::OccurredAt)
        .order_by_asc(request_event::Column::Id)
        .all(db)
        .await?;
    let mut steps = Vec::with_capacity(events.len() + 1);
    for event in &events {
        steps.push((paris_day(event.occurred_at), event.to_status));
    }
    steps.push((paris_day(now), to));
    Ok(due_date::pauses(steps))
}

/// One step of a request's timeline: what was done, the status it left (none for the submission) and the one it
/// reached, and the note that explains it.
pub(crate) struct Step<'a> {
    pub action: &'a str,
    pub from: Option<Status>,
    pub to: Status,
    pub note: Option<String>,
}

/// Appends a step to the request's timeline.
pub(crate) async fn record_event(
    db: &impl ConnectionTrait,
    request_id: &str,
    actor: &SignedIn,
    step: Step<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Step { action, from, to, note } = step;
    request_event::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        request_id: Set(request_id.to_owned()),
        occurred_at: Set(now),
        actor_id: Set(Some(actor.id.clone())),
        actor_label: Set(actor.display_name()),
        action: Set(action.to_owned()),
        from_status: Set(from),
        to_status: Set(to),
        note: Set(note.filter(|n| !n.trim().is_empty())),
    }
    .insert(db)
    .await?;
    // Receivers hear of it in the same transaction: a submission, or a status that moved.
    crate::server::webhooks::request_moved(db, request_id, from, to, now).await
}

/// A request as the lists show it: without its text and answers, with the names of its author and assignee read
/// in the same query (one query per page, whatever its rows).
#[derive(Debug, FromQueryResult)]
pub(crate) struct Listed {
    pub id: String,
    pub reference: String,
    pub kind: RequestKind,
    pub subject: String,
    pub status: Status,
    pub structure_id: String,
    pub team_id: Option<String>,
    pub due_on: Option<chrono::NaiveDate>,
    pub beneficiary_last_name: Option<String>,
    pub beneficiary_first_names: Option<String>,
    pub beneficiary_nir: Option<Nir>,
    pub created_at: DateTime<Utc>,
    pub author_name: Option<String>,
    pub assignee_name: Option<String>,
}

/// The columns of [`Listed`], with the two names as subqueries on the accounts' primary key.
fn listed(query: Select<request::Entity>) -> sea_orm::Selector<sea_orm::SelectModel<Listed>> {
    use request::Column as C;
    use sea_orm::sea_query::Expr;
    let name_of = |column: &str| Expr::cust(format!("(SELECT first_name || ' ' || last_name FROM accounts WHERE accounts.id = requests.{column})"));
    // A request an API token took is held by the token (`SignedIn::api_client`): named after it.
    let holder = Expr::cust(
        "COALESCE((SELECT first_name || ' ' || last_name FROM accounts WHERE accounts.id = requests.assignee_id), \
         (SELECT 'Jeton API « ' || name || ' »' FROM api_tokens WHERE api_tokens.id = requests.assignee_id))",
    );
    query
        .select_only()
        .columns([
            C::Id,
            C::Reference,
            C::Kind,
            C::Subject,
            C::Status,
            C::StructureId,
            C::TeamId,
            C::DueOn,
            C::BeneficiaryLastName,
            C::BeneficiaryFirstNames,
            C::BeneficiaryNir,
            C::CreatedAt,
        ])
        .column_as(name_of("author_id"), "author_name")
        .column_as(holder, "assignee_name")
        .into_model::<Listed>()
}

/// The orders a list of requests can be read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// Newest first.
    Newest,
    /// Oldest first.
    Oldest,
    /// Soonest due date first (requests without one are left out), then oldest first.
    SoonestDue,
}

/// One page of requests in the chosen order, and the cursors to the following (`next`) and preceding
/// (`previous`) pages.
pub(crate) struct KeysetPage {
    pub rows: Vec<Listed>,
    pub next: Option<String>,
    pub previous: Option<String>,
}

/// A row's place in `order`: its id (UUIDv7, so its creation time), preceded by its due date when sorting by it.
fn cursor_of(order: Order, row: &Listed) -> String {
    match (order, row.due_on) {
        (Order::SoonestDue, Some(due)) => format!("{due}|{}", row.id),
        _ => row.id.clone(),
    }
}

/// The rows beyond `cursor` when walking `order` forwards (or backwards), or `None` for an unreadable cursor.
fn beyond(order: Order, cursor: &str, forwards: bool) -> Option<Condition> {
    use request::Column::{DueOn, Id};
    let ascending = forwards != (order == Order::Newest);
    let after_id = |id: &str| if ascending { Id.gt(id) } else { Id.lt(id) };
    match order {
        Order::Newest | Order::Oldest => Some(Condition::all().add(after_id(cursor))),
        Order::SoonestDue => {
            // A row-value comparison, `(due_on, id) > (…, …)`: one range scan of the (caisse_id, due_on, id) index.
            use sea_orm::sea_query::{Expr, ExprTrait};
            let (due, id) = cursor.split_once('|')?;
            let due = chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").ok()?;
            let row = Expr::tuple([Expr::col(DueOn), Expr::col(Id)]);
            let at = Expr::tuple([Expr::val(due), Expr::val(id.to_owned())]);
            Some(Condition::all().add(if ascending { row.gt(at) } else { row.lt(at) }))
        }
    }
}

fn sorted(query: Select<request::Entity>, order: Order, forwards: bool) -> Select<request::Entity> {
    let direction = if forwards != (order == Order::Newest) { sea_orm::Order::Asc } else { sea_orm::Order::Desc };
    match order {
        Order::SoonestDue => query
            .filter(request::Column::DueOn.is_not_null())
            .order_by(request::Column::DueOn, direction.clone())
            .order_by(request::Column::Id, direction),
        _ => query.order_by(request::Column::Id, direction),
    }
}

/// Pages through `query` in `order` from a cursor: an index range scan at any depth, never an OFFSET.
/// `before` is ignored when `after` is given; an unreadable cursor gives the first page.
pub(crate) async fn keyset_page(
    db: &impl ConnectionTrait,
    query: Select<request::Entity>,
    order: Order,
    after: Option<&str>,
    before: Option<&str>,
    per_page: u64,
) -> Result<KeysetPage, DbErr> {
    let after = after.filter(|c| !c.is_empty()).and_then(|c| beyond(order, c, true));
    let before = before.filter(|c| !c.is_empty()).filter(|_| after.is_none()).and_then(|c| beyond(order, c, false));
    let limit = per_page + 1;
    match before {
        Some(condition) => {
            // The preceding page: walk back from the cursor, then put it in reading order.
            let mut rows = listed(sorted(query.filter(condition), order, false).limit(limit)).all(db).await?;
            let more_before = rows.len() as u64 > per_page;
            rows.truncate(per_page as usize);
            rows.reverse();
            let previous = more_before.then(|| rows.first().map(|r| cursor_of(order, r))).flatten();
            let next = rows.last().map(|r| cursor_of(order, r));
            Ok(KeysetPage { rows, next, previous })
        }
        None => {
            let from_cursor = after.is_some();
            let query = match after {
                Some(condition) => query.filter(condition),
                None => query,
            };
            let mut rows = listed(sorted(query, order, true).limit(limit)).all(db).await?;
            let more_after = rows.len() as u64 > per_page;
            rows.truncate(per_page as usize);
            let next = more_after.then(|| rows.last().map(|r| cursor_of(order, r))).flatten();
            let previous = from_cursor.then(|| rows.first().map(|r| cursor_of(order, r))).flatten();
            Ok(KeysetPage { rows, next, previous })
        }
    }
}
