//! The `/api/v1` operations of a caisse's back-office tools, on behalf of an API token: its caisse's requests
//! (the queue's filters, keyset pages), one request with its timeline, thread and files, the lifecycle actions,
//! replies and notes, the appointments of a period, the partner structures and their conventions.
//!
//! Each operation checks the token's scope, then calls the services the pages call (the queue's filters, the
//! visibility rule, `triage::act`, `triage::message`): no second copy of a permission or a transition. The token
//! acts as an agent of its caisse named after it (`ApiCaller::acting`), so another caisse's request does not exist.

use crate::domain::api_tokens::Scope;
use crate::domain::request_lifecycle::{Reader, transition};
use crate::domain::role::Role;
use crate::dto::error::AppError;
use crate::dto::triage::QueueQuery;
use crate::server::api_tokens::{ApiCaller, ApiRefusal};
use crate::server::audit::Origin;
use crate::server::context::RequestContext;
use crate::server::entities::{accueil, appointment, attachment, convention, partner_structure, request, request_event};
use crate::server::requests::detail::contents;
use crate::server::requests::visibility;
use crate::server::state::AppState;
use crate::server::storage::StoredFile;
use crate::server::triage::{self, ACTIONS, ActionInput};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// Why an operation was refused: by the token check, or by the service it called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    Refused(ApiRefusal),
    App(AppError),
}

impl From<ApiRefusal> for ApiError {
    fn from(refusal: ApiRefusal) -> Self {
        ApiError::Refused(refusal)
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError::App(error)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        ApiError::App(error.into())
    }
}

/// One call: the token's caller and the context its services run in.
pub struct ApiCall {
    pub caller: ApiCaller,
    pub cx: RequestContext,
}

impl ApiCall {
    pub fn new(state: AppState, caller: ApiCaller, origin: Origin, now: DateTime<Utc>) -> Self {
        let cx = RequestContext::new(state, caller.acting(), origin, now);
        ApiCall { caller, cx }
    }
}

/// The most rows one page of a list may hold.
pub const PAGE_MAX: u64 = 100;
const PAGE_DEFAULT: u64 = 25;

/// Whose requests the list keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// Those this token took.
    Me,
    /// Those nobody holds.
    None,
}

/// The order of the request list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    Newest,
    Oldest,
    /// Soonest due date first; requests without one are left out.
    Due,
}

/// The filters of the request list: those of the caisse's queue.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestFilters {
    /// `open` (the default: every status the caisse still works on), `all`, or one status code (`submitted`,
    /// `in_progress`, `awaiting_partner`, `appointment_scheduled`, `closed_resolved`…).
    pub status: Option<String>,
    /// A kind of request: `contact`, `mas_referral`, `appointment`, `dossier_study`.
    pub kind: Option<String>,
    /// Only those this token took, or those nobody holds.
    #[param(inline)]
    pub assignee: Option<Holder>,
    /// A partner structure's id.
    pub structure: Option<String>,
    /// A team's id.
    pub team: Option<String>,
    /// `newest` by default.
    #[param(inline)]
    pub sort: Option<Sort>,
    /// Only requests past their due date while the caisse has them in hand.
    pub overdue: Option<bool>,
    /// The `next` cursor of the previous page.
    pub cursor: Option<String>,
    /// Rows per page (25 by default).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

/// A request as lists show it: no text, no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestSummary {
    /// The request's reference, `EP-AAAA-NNNNNN`: its id in every other operation.
    pub reference: String,
    pub kind: String,
    pub kind_label: String,
    pub subject: String,
    pub status: String,
    pub status_label: String,
    pub structure_id: String,
    pub team_id: Option<String>,
    /// Who holds it (an agent, or a token), by name.
    pub assignee: Option<String>,
    /// The date the caisse answers by, while it has the request in hand.
    pub due_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

/// One page of requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestPage {
    pub items: Vec<RequestSummary>,
    /// Pass it as `cursor` for the following page; absent on the last page.
    pub next: Option<String>,
}

fn kind_filter(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

fn limit_of(limit: Option<u64>) -> Result<u64, AppError> {
    match limit {
        None => Ok(PAGE_DEFAULT),
        Some(n) if (1..=PAGE_MAX).contains(&n) => Ok(n),
        Some(_) => Err(AppError::field("limit", format!("Le nombre de lignes par page va de 1 à {PAGE_MAX}."))),
    }
}

/// The caisse's requests the filters keep, one keyset page.
pub async fn list_requests(call: &ApiCall, filters: RequestFilters) -> Result<RequestPage, ApiError> {
    call.caller.require(Scope::RequestsRead)?;
    let per_page = limit_of(filters.limit)?;
    let sort = match filters.sort {
        None | Some(Sort::Newest) => None,
        Some(Sort::Oldest) => Some("anciennes".to_owned()),
        Some(Sort::Due) => Some("echeance".to_owned()),
    };
    let assignee = filters.assignee.map(|holder| if holder == Holder::Me { "me" } else { "none" }.to_owned());
    let query = QueueQuery {
        kind: kind_filter(filters.kind),
        status: kind_filter(filters.status),
        assignee,
        structure: kind_filter(filters.structure),
        team: kind_filter(filters.team),
        sort,
        overdue: filters.overdue.unwrap_or(false),
        search: None,
        nir: false,
        after: filters.cursor.filter(|c| !c.is_empty()),
        before: None,
    };
    let page = triage::listed_page(&call.cx, &query, per_page).await?;
    let items = page
        .rows
        .into_iter()
        .map(|m| RequestSummary {
            kind: m.kind.code().to_owned(),
            kind_label: m.kind.label().to_owned(),
            status: m.status.code().to_owned(),
            status_label: m.status.label(Reader::Caisse).to_owned(),
            due_on: m.due_on.filter(|_| m.status.clock_runs()),
            reference: m.reference,
            subject: m.subject,
            structure_id: m.structure_id,
            team_id: m.team_id,
            assignee: m.assignee_name,
            created_at: m.created_at,
        })
        .collect();
    Ok(RequestPage { items, next: page.next })
}

/// The assuré a request is about: the NIR masked (the pages reveal it in full, audited; the API never does).
#[derive(Debug, Serialize, ToSchema)]
pub struct Beneficiary {
    pub last_name: Option<String>,
    pub first_names: Option<String>,
    pub nir_masked: Option<String>,
}

/// One answer of the request's form.
#[derive(Debug, Serialize, ToSchema)]
pub struct Answer {
    pub label: String,
    pub value: String,
}

/// One step of the timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineStep {
    pub at: DateTime<Utc>,
    /// What was done (`submitted`, `take`, `ask_partner`, `close_resolved`…).
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    /// Who did it, by name.
    pub actor: String,
    pub note: Option<String>,
}

/// One message of the thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadMessage {
    pub id: String,
    pub at: DateTime<Utc>,
    pub author: String,
    pub from_caisse: bool,
    /// An internal note: only with the `notes:read` scope.
    pub internal: bool,
    pub body: String,
}

/// A file of the request or of one of its messages.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentInfo {
    pub id: String,
    /// The message it came with; absent for the request's own files.
    pub message_id: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// A request, whole, as the caisse's agents work on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestDetail {
    #[serde(flatten)]
    pub summary: RequestSummary,
    pub body: String,
    pub structure_name: String,
    pub beneficiary: Beneficiary,
    pub answers: Vec<Answer>,
    pub timeline: Vec<TimelineStep>,
    pub thread: Vec<ThreadMessage>,
    pub attachments: Vec<AttachmentInfo>,
    /// The actions its status allows now (`POST …/actions`).
    pub allowed_actions: Vec<String>,
}

/// The request with this reference in the token's caisse, its thread (internal notes with `notes:read`) and the
/// files the token may see. Audited as a read, like the page.
pub async fn read_request(call: &ApiCall, reference: &str) -> Result<RequestDetail, ApiError> {
    call.caller.require(Scope::RequestsRead)?;
    let cx = &call.cx;
    let db = cx.db();
    let model = visibility::find(db, &cx.user, reference, Role::CaisseAgent).await?;
    let with_notes = call.caller.may(Scope::NotesRead);
    let contents = contents(cx, &model, with_notes).await?;
    let shown: Vec<&str> = contents.messages.iter().map(|m| m.id.as_str()).collect();
    let attachments = contents
        .files
        .iter()
        .filter(|f| f.message_id.as_deref().is_none_or(|m| shown.contains(&m)))
        .map(|f| AttachmentInfo {
            id: f.id.clone(),
            message_id: f.message_id.clone(),
            file_name: f.file_name.clone(),
            content_type: f.content_type.clone(),
            size_bytes: f.size_bytes,
        })
        .collect();
    let events =
        request_event::Entity::find().filter(request_event::Column::RequestId.eq(&model.id)).order_by_asc(request_event::Column::Id).all(db).await?;
    let structure_name = partner_structure::Entity::find_by_id(model.structure_id.clone()).one(db).await?.map(|s| s.name).unwrap_or_default();
    let holder = match &model.assignee_id {
        Some(id) => triage::holder_name(db, id).await?,
        None => None,
    };
    let status = model.status;
    Ok(RequestDetail {
        summary: RequestSummary {
            kind: model.kind.code().to_owned(),
            kind_label: model.kind.label().to_owned(),
            status: status.code().to_owned(),
            status_label: status.label(Reader::Caisse).to_owned(),
            due_on: model.due_on.filter(|_| status.clock_runs()),
            reference: model.reference.clone(),
            subject: model.subject.clone(),
            structure_id: model.structure_id.clone(),
            team_id: model.team_id.clone(),
            assignee: holder,
            created_at: model.created_at,
        },
        body: model.body.clone(),
        structure_name,
        beneficiary: Beneficiary {
            last_name: model.beneficiary_last_name.clone(),
            first_names: model.beneficiary_first_names.clone(),
            nir_masked: model.beneficiary_nir.as_ref().map(|n| n.masked()),
        },
        answers: contents.answers.iter().map(|(label, value)| Answer { label: label.clone(), value: value.clone() }).collect(),
        timeline: events
            .into_iter()
            .map(|e| TimelineStep {
                at: e.occurred_at,
                action: e.action,
                from_status: e.from_status.map(|s| s.code().to_owned()),
                to_status: e.to_status.code().to_owned(),
                actor: e.actor_label,
                note: e.note,
            })
            .collect(),
        thread: contents
            .messages
            .iter()
            .map(|m| ThreadMessage {
                id: m.id.clone(),
                at: m.created_at,
                author: m.author_label.clone(),
                from_caisse: m.from_caisse,
                internal: m.internal,
                body: m.body.clone(),
            })
            .collect(),
        attachments,
        allowed_actions: ACTIONS
            .iter()
            .filter(|(_, a)| transition(status, *a, Role::CaisseAgent).is_ok())
            .map(|(code, _)| (*code).to_owned())
            .collect(),
    })
}

/// A file of a request of the token's caisse; one joined to an internal note only with `notes:read`. Audited.
pub async fn attachment(call: &ApiCall, reference: &str, attachment_id: &str) -> Result<(attachment::Model, StoredFile), ApiError> {
    call.caller.require(Scope::RequestsRead)?;
    let cx = &call.cx;
    let db = cx.db();
    let model = visibility::find(db, &cx.user, reference, Role::CaisseAgent).await?;
    let file = attachment::Entity::find_by_id(attachment_id.to_owned())
        .filter(attachment::Column::RequestId.eq(&model.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(message_id) = &file.message_id
        && !call.caller.may(Scope::NotesRead)
    {
        let message = crate::server::entities::request_message::Entity::find_by_id(message_id.clone()).one(db).await?;
        if message.is_none_or(|m| m.internal) {
            return Err(AppError::NotFound.into());
        }
    }
    Ok(crate::server::requests::attachments::download(cx, &file.id).await?)
}

/// The lifecycle actions, by the codes of the request page's form (`triage::ACTIONS`, which a test holds them to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionCode {
    Take,
    Assign,
    AssignTeam,
    AskPartner,
    Schedule,
    Reschedule,
    CancelAppointment,
    AppointmentHeld,
    AppointmentMissed,
    CloseResolved,
    CloseOutOfScope,
    CloseDuplicate,
}

impl ActionCode {
    pub const ALL: [ActionCode; 12] = [
        ActionCode::Take,
        ActionCode::Assign,
        ActionCode::AssignTeam,
        ActionCode::AskPartner,
        ActionCode::Schedule,
        ActionCode::Reschedule,
        ActionCode::CancelAppointment,
        ActionCode::AppointmentHeld,
        ActionCode::AppointmentMissed,
        ActionCode::CloseResolved,
        ActionCode::CloseOutOfScope,
        ActionCode::CloseDuplicate,
    ];

    /// The code `triage::act` takes.
    pub fn code(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    }
}

/// An action on a request (`POST /api/v1/requests/{reference}/actions`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionBody {
    #[schema(inline)]
    pub action: ActionCode,
    /// The message to the partner (`ask_partner`), the reason (closing out of scope, moving or cancelling an
    /// appointment), or the instructions of an appointment.
    #[serde(default)]
    pub message: String,
    /// The agent's account id (`assign`).
    #[serde(default)]
    pub assignee: String,
    /// The team's id (`assign_team`).
    #[serde(default)]
    pub team: String,
    /// The reference of the original request (`close_duplicate`).
    #[serde(default)]
    pub duplicate_of: String,
    /// The accueil's id, or `telephone` (`schedule`, `reschedule`).
    #[serde(default)]
    pub place: String,
    /// `AAAA-MM-JJ` (`schedule`, `reschedule`).
    #[serde(default)]
    pub date: String,
    /// `HH:MM` (`schedule`, `reschedule`).
    #[serde(default)]
    pub time: String,
}

/// A request after an action or a message: where it stands now.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestState {
    pub reference: String,
    pub status: String,
    pub status_label: String,
    pub assignee: Option<String>,
}

async fn state_of(call: &ApiCall, reference: &str) -> Result<RequestState, ApiError> {
    let db = call.cx.db();
    let model = visibility::find(db, &call.cx.user, reference, Role::CaisseAgent).await?;
    let assignee = match &model.assignee_id {
        Some(id) => triage::holder_name(db, id).await?,
        None => None,
    };
    Ok(RequestState {
        status: model.status.code().to_owned(),
        status_label: model.status.label(Reader::Caisse).to_owned(),
        assignee,
        reference: model.reference,
    })
}

/// One lifecycle action, by the rules of the request page (`triage::act`).
pub async fn act(call: &ApiCall, reference: &str, body: ActionBody) -> Result<RequestState, ApiError> {
    call.caller.require(Scope::RequestsWrite)?;
    let booking = crate::server::appointments::Booking { place: body.place, date: body.date, time: body.time, instructions: body.message.clone() };
    let input = ActionInput {
        action: body.action.code(),
        message: body.message,
        assignee: body.assignee,
        team: body.team,
        duplicate_of: body.duplicate_of,
        booking,
    };
    triage::act(&call.cx, reference, input).await?;
    state_of(call, reference).await
}

/// A message (`POST /api/v1/requests/{reference}/messages`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct MessageBody {
    /// The text, 1 to 5,000 characters.
    pub body: String,
    /// An internal note, never shown to the partner.
    #[serde(default)]
    pub internal: bool,
}

/// A reply to the partner or an internal note, by the rules of the request page (`triage::message`).
pub async fn message(call: &ApiCall, reference: &str, body: MessageBody) -> Result<RequestState, ApiError> {
    call.caller.require(Scope::RequestsWrite)?;
    triage::message(&call.cx, reference, &body.body, body.internal).await?;
    state_of(call, reference).await
}

/// The period of the appointment list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// The first day, `AAAA-MM-JJ`.
    pub from: NaiveDate,
    /// How many days from `from` (7 by default).
    #[param(minimum = 1, maximum = 93)]
    pub days: Option<u32>,
}

/// The longest period of one appointment list, in days.
pub const PERIOD_MAX_DAYS: u32 = 93;

/// An appointment of the caisse.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentInfo {
    pub id: String,
    pub request_reference: String,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    /// `booked`, `held`, `missed`, `cancelled`…
    pub status: String,
    /// The accueil's id; absent for a telephone appointment.
    pub accueil_id: Option<String>,
    /// The accueil's name, or « Par téléphone ».
    pub place: String,
}

/// The caisse's appointments of `days` days from `from` (Paris days), in time order.
pub async fn appointments(call: &ApiCall, period: Period) -> Result<Vec<AppointmentInfo>, ApiError> {
    call.caller.require(Scope::AppointmentsRead)?;
    let days = period.days.unwrap_or(7);
    if !(1..=PERIOD_MAX_DAYS).contains(&days) {
        return Err(AppError::field("days", format!("La période va de 1 à {PERIOD_MAX_DAYS} jours.")).into());
    }
    let db = call.cx.db();
    let start = crate::server::time_fr::start_of_day(period.from);
    let last = period.from.checked_add_days(chrono::Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
    let end = crate::server::time_fr::start_of_day(last);
    let rows = appointment::Entity::find()
        .filter(appointment::Column::CaisseId.eq(&call.caller.caisse_id))
        .filter(appointment::Column::StartsAt.gte(start))
        .filter(appointment::Column::StartsAt.lt(end))
        .order_by_asc(appointment::Column::StartsAt)
        .limit(5000)
        .all(db)
        .await?;
    let request_ids: Vec<String> = rows.iter().map(|a| a.request_id.clone()).collect();
    let references: HashMap<String, String> = request::Entity::find()
        .select_only()
        .columns([request::Column::Id, request::Column::Reference])
        .filter(request::Column::Id.is_in(request_ids))
        .into_tuple::<(String, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let places: HashMap<String, String> = accueil::Entity::find()
        .filter(accueil::Column::CaisseId.eq(&call.caller.caisse_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|a| AppointmentInfo {
            request_reference: references.get(&a.request_id).cloned().unwrap_or_default(),
            place: a.accueil_id.as_ref().and_then(|id| places.get(id).cloned()).unwrap_or_else(|| "Par téléphone".to_owned()),
            status: a.status.code().to_owned(),
            starts_at: a.starts_at,
            duration_minutes: a.duration_minutes,
            accueil_id: a.accueil_id,
            id: a.id,
        })
        .collect())
}

/// The paging of the structure list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// The `next` cursor of the previous page.
    pub cursor: Option<String>,
    /// Rows per page (25 by default).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

/// A convention of a structure: it gates what the structure's agents may submit.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConventionInfo {
    pub id: String,
    /// `draft`, `active`, `suspended`, `ended`…
    pub status: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// The kinds of request it covers.
    pub kinds: Vec<String>,
}

/// A partner structure of the caisse.
#[derive(Debug, Serialize, ToSchema)]
pub struct StructureInfo {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub siret: Option<String>,
    pub postal_code: String,
    pub commune: String,
    pub conventions: Vec<ConventionInfo>,
}

/// One page of structures.
#[derive(Debug, Serialize, ToSchema)]
pub struct StructurePage {
    pub items: Vec<StructureInfo>,
    pub next: Option<String>,
}

/// The caisse's partner structures by id, one keyset page, each with its conventions.
/// Whom a request can be given to: the caisse's teams by name and its active agents by last name, the very lists its
/// agents pick from on a request's page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assignees {
    /// The `team` an `assign_team` action takes.
    pub teams: Vec<Assignee>,
    /// The `assignee` an `assign` action takes.
    pub agents: Vec<Assignee>,
}

/// A team or an agent of the caisse.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assignee {
    pub id: String,
    /// The team's name, or the agent's first and last names.
    pub name: String,
}

/// The caisse's teams and active agents, for the `assign` and `assign_team` actions (the right to act on requests).
pub async fn assignees(call: &ApiCall) -> Result<Assignees, ApiError> {
    call.caller.require(Scope::RequestsWrite)?;
    let choices = triage::choices_of(call.cx.db(), &call.caller.caisse_id).await?;
    let named = |list: Vec<crate::dto::common::Choice>| list.into_iter().map(|c| Assignee { id: c.id, name: c.label }).collect();
    Ok(Assignees { teams: named(choices.teams), agents: named(choices.agents) })
}

pub async fn structures(call: &ApiCall, paging: Paging) -> Result<StructurePage, ApiError> {
    call.caller.require(Scope::StructuresRead)?;
    let per_page = limit_of(paging.limit)?;
    let db = call.cx.db();
    let mut query = partner_structure::Entity::find().filter(partner_structure::Column::CaisseId.eq(&call.caller.caisse_id));
    if let Some(cursor) = paging.cursor.filter(|c| !c.is_empty()) {
        query = query.filter(partner_structure::Column::Id.gt(cursor));
    }
    let mut rows = query.order_by_asc(partner_structure::Column::Id).limit(per_page + 1).all(db).await?;
    let next = (rows.len() as u64 > per_page).then(|| rows.truncate(per_page as usize)).and_then(|_| rows.last().map(|s| s.id.clone()));
    let ids: Vec<String> = rows.iter().map(|s| s.id.clone()).collect();
    let mut conventions: HashMap<String, Vec<ConventionInfo>> = HashMap::new();
    for c in convention::Entity::find().filter(convention::Column::StructureId.is_in(ids)).order_by_asc(convention::Column::StartsOn).all(db).await? {
        conventions.entry(c.structure_id.clone()).or_default().push(ConventionInfo {
            status: c.status.code().to_owned(),
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            kinds: c.kinds.0.iter().map(|k| k.code().to_owned()).collect(),
            id: c.id,
        });
    }
    let items = rows
        .into_iter()
        .map(|s| StructureInfo {
            conventions: conventions.remove(&s.id).unwrap_or_default(),
            kind: s.kind.code().to_owned(),
            siret: s.siret.map(|siret| siret.to_string()),
            id: s.id,
            name: s.name,
            postal_code: s.postal_code,
            commune: s.commune,
        })
        .collect();
    Ok(StructurePage { items, next })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_holds_one_to_a_hundred_rows() {
        assert_eq!(limit_of(None), Ok(PAGE_DEFAULT));
        assert_eq!(limit_of(Some(100)), Ok(100));
        assert!(limit_of(Some(0)).is_err());
        assert!(limit_of(Some(101)).is_err());
    }

    #[test]
    fn the_api_offers_exactly_the_request_pages_actions() {
        let codes: Vec<String> = ActionCode::ALL.iter().map(|a| a.code()).collect();
        let page: Vec<String> = ACTIONS.iter().map(|(code, _)| (*code).to_owned()).collect();
        assert_eq!(codes, page);
    }
}
