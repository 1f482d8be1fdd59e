//! The caisse side of requests: the queue, a request as an agent sees it (internal notes included), the lifecycle
//! actions, replies and notes. Always within the agent's own caisse: another caisse's request does not exist here.

use crate::domain::appointment::{AppointmentStatus, Change};
use crate::domain::due_date::deadline;
use crate::domain::field_error::Problems;
use crate::domain::nir::Nir;
use crate::domain::reference::Reference;
use crate::domain::request_kind::RequestKind;
use crate::domain::request_lifecycle::{Action, Reader, Resolution, Status, transition};
use crate::domain::role::Role;
use crate::domain::search::Search;
use crate::domain::wording::plural;
use crate::dto::common::Choice;
use crate::dto::error::{AppError, FieldError};
use crate::dto::triage::{BulkResult, CaisseRequest, PlaceChoice, QueuePage, QueueQuery, QueueRow, SearchReturn, StatusCount, ThreadLine};
use crate::server::appointments::{self, Booking};
use crate::server::audit::{self, Actor, Entry};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::entities::{account, accueil, canned_reply, partner_structure, request, request_message};
use crate::server::exports::{self, Download, Job, Progress};
use crate::server::request_notices::{self, ToPartner};
use crate::server::requests::Order;
use crate::server::requests::detail::{beneficiary_view, contents};
use crate::server::requests::visibility;
use crate::server::requests::{Step, beneficiary_line, record_event};
use crate::server::spreadsheet::{self, Format, Sheet};
use crate::server::time_fr;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;

const MESSAGE_MAX: usize = 5000;

/// The due date and where it stands today, while the caisse has the request in hand.
fn due_of(due_on: Option<chrono::NaiveDate>, status: Status, today: chrono::NaiveDate) -> Option<(String, String)> {
    let due = due_on.filter(|_| status.clock_runs())?;
    Some((time_fr::date(due), deadline(due, today).label().to_owned()))
}

/// The lifecycle actions an agent can take from the request page, by code.
pub const ACTIONS: [(&str, Action); 12] = [
    ("take", Action::Take),
    ("assign", Action::Assign),
    ("assign_team", Action::Assign),
    ("ask_partner", Action::AskPartner),
    ("schedule", Action::ScheduleAppointment),
    ("reschedule", Action::RescheduleAppointment),
    ("cancel_appointment", Action::CancelAppointment),
    ("appointment_held", Action::RecordAppointmentHeld),
    ("appointment_missed", Action::RecordAppointmentMissed),
    ("close_resolved", Action::Close(Resolution::Resolved)),
    ("close_out_of_scope", Action::Close(Resolution::RejectedOutOfScope)),
    ("close_duplicate", Action::Close(Resolution::Duplicate)),
];

/// The caisse of a caisse agent; anyone else is refused.
pub(crate) fn caisse_of(user: &SignedIn) -> Result<&str, AppError> {
    match (user.role, user.caisse_id.as_deref()) {
        (Role::CaisseAgent, Some(caisse_id)) => Ok(caisse_id),
        _ => Err(AppError::Forbidden),
    }
}

/// What an agent of a caisse picks from: its partner structures and teams by name, its active agents by last name.
pub(crate) struct CaisseChoices {
    pub(crate) structures: Vec<Choice>,
    pub(crate) teams: Vec<Choice>,
    pub(crate) agents: Vec<Choice>,
}

#[derive(FromQueryResult)]
struct ChoiceRow {
    list: String,
    id: String,
    label: String,
    sort_key: String,
}

/// The three lists in one query (a `UNION ALL`, sorted here): the queue and every request page show them, and the
/// API's `/assignees` gives the teams and agents.
pub(crate) async fn choices_of(db: &DatabaseConnection, caisse_id: &str) -> Result<CaisseChoices, AppError> {
    use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement, UnionType};
    fn list<T: sea_orm::sea_query::IntoTableRef>(
        name: &str,
        table: T,
        label: &'static str,
        sort_key: &'static str,
        filter: impl FnOnce(&mut SelectStatement),
    ) -> SelectStatement {
        let mut select = Query::select();
        select
            .expr_as(Expr::cust(format!("'{name}'")), Alias::new("list"))
            .column(Alias::new("id"))
            .expr_as(Expr::cust(label), Alias::new("label"))
            .expr_as(Expr::cust(sort_key), Alias::new("sort_key"))
            .from(table);
        filter(&mut select);
        select
    }
    let mut select = list("structure", partner_structure::Entity, "name", "name", |q| {
        q.and_where(partner_structure::Column::CaisseId.eq(caisse_id));
    });
    select
        .union(
            UnionType::All,
            list("team", crate::server::entities::team::Entity, "name", "name", |q| {
                q.and_where(crate::server::entities::team::Column::CaisseId.eq(caisse_id));
            }),
        )
        .union(
            UnionType::All,
            list("agent", account::Entity, "first_name || ' ' || last_name", "last_name", |q| {
                q.and_where(account::Column::CaisseId.eq(caisse_id))
                    .and_where(account::Column::Role.eq(Role::CaisseAgent))
                    .and_where(account::Column::Active.eq(true));
            }),
        );
    let mut rows = ChoiceRow::find_by_statement(db.get_database_backend().build(&select)).all(db).await?;
    rows.sort_by(|a, b| (&a.sort_key, &a.id).cmp(&(&b.sort_key, &b.id)));
    let mut choices = CaisseChoices { structures: vec![], teams: vec![], agents: vec![] };
    for row in rows {
        let into = match row.list.as_str() {
            "structure" => &mut choices.structures,
            "team" => &mut choices.teams,
            _ => &mut choices.agents,
        };
        into.push(Choice { id: row.id, label: row.label });
    }
    Ok(choices)
}

async fn names(db: &DatabaseConnection, ids: Vec<String>) -> Result<HashMap<String, String>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut found: HashMap<String, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, format!("{} {}", a.first_name, a.last_name)))
        .collect();
    // A request an API token took is held by the token (`SignedIn::api_client`).
    let unnamed: Vec<&String> = ids.iter().filter(|id| !found.contains_key(*id)).collect();
    for id in unnamed {
        if let Some(label) = crate::server::api_tokens::label_of(db, id).await? {
            found.insert(id.clone(), label);
        }
    }
    Ok(found)
}

/// The session key of the NIR an agent searches the queue by: kept server-side, so that it never travels in a URL.
pub const NIR_SEARCH: &str = "queue.nir_search";

/// The queue's search: a reference or part of a name from the URL, or the NIR the search form kept in the session
/// (`nir`, when the URL asks for it). A NIR typed into the URL is not applied: the box says why.
fn searched(filters: &QueueQuery, nir: Option<Nir>) -> (Option<Search>, Option<SearchReturn>) {
    if filters.nir {
        return (nir.map(Search::Nir), None);
    }
    match Search::parse(filters.search.as_deref().unwrap_or("")) {
        Ok(Some(Search::Nir(_))) | Err(_) => {
            let problem = "Pour chercher par NIR, utilisez le champ de recherche de la file : un NIR ne doit pas figurer dans l'adresse.";
            (None, Some(SearchReturn { typed: String::new(), problem: problem.to_owned() }))
        }
        Ok(search) => (search, None),
    }
}

/// Where the queue's search form sends the agent: back to the queue with its filters, searching by reference or
/// name (in the URL), or by NIR (kept in the session, the URL only saying `nir=1`). A mistyped NIR comes back to
/// the form, with why, and the search as it was.
pub async fn search(session: &tower_sessions::Session, filters: QueueQuery, typed: &str) -> Result<String, AppError> {
    let mut query = QueueQuery { search: None, nir: false, after: None, before: None, ..filters.clone() };
    match Search::parse(typed) {
        Ok(Some(Search::Nir(nir))) => {
            session.insert(NIR_SEARCH, nir.normalised()).await?;
            query.nir = true;
        }
        Ok(found) => {
            session.remove::<String>(NIR_SEARCH).await?;
            query.search = found.map(|_| typed.trim().to_owned());
        }
        Err(problem) => {
            let returned = SearchReturn { typed: typed.to_owned(), problem: problem.to_string() };
            crate::server::form_flash::keep(session, SEARCH_FLASH, &returned).await?;
            query = QueueQuery { after: None, before: None, ..filters };
        }
    }
    Ok(query.href())
}

/// The queue's requests the filters keep, and the order they ask for: one rule for the page and its downloads.
struct Selected {
    query: sea_orm::Select<request::Entity>,
    order: Order,
    search: Option<Search>,
    search_return: Option<SearchReturn>,
}

/// One keyset page of the caisse's requests the filters keep (no search), as the API lists them.
pub(crate) async fn listed_page(cx: &RequestContext, filters: &QueueQuery, per_page: u64) -> Result<crate::server::requests::KeysetPage, AppError> {
    let Selected { query, order, .. } = selected(cx, filters, None)?;
    Ok(crate::server::requests::keyset_page(cx.db(), query, order, filters.after.as_deref(), None, per_page).await?)
}

/// The name of whoever holds a request: an agent, or an API token that took it.
pub(crate) async fn holder_name(db: &DatabaseConnection, id: &str) -> Result<Option<String>, AppError> {
    Ok(names(db, vec![id.to_owned()]).await?.remove(id))
}

fn selected(cx: &RequestContext, filters: &QueueQuery, nir: Option<Nir>) -> Result<Selected, AppError> {
    let user = &cx.user;
    let today = cx.today();
    let mut query = request::Entity::find().filter(visibility::in_sight(user));
    match filters.status.as_deref().filter(|s| !s.is_empty()).unwrap_or("open") {
        "all" => {}
        "open" => query = query.filter(request::is_open()),
        code => {
            let status = Status::parse(code).map_err(|_| AppError::field("statut", "Ce statut n'existe pas."))?;
            query = query.filter(request::Column::Status.eq(status));
        }
    }
    if let Some(kind) = filters.kind.as_deref().filter(|k| !k.is_empty()) {
        let kind = RequestKind::parse(kind).map_err(|_| AppError::field("type", "Ce type de demande n'existe pas."))?;
        query = query.filter(request::Column::Kind.eq(kind));
    }
    match filters.assignee.as_deref() {
        Some("me") => query = query.filter(request::Column::AssigneeId.eq(&user.id)),
        Some("none") => query = query.filter(request::Column::AssigneeId.is_null()),
        _ => {}
    }
    if let Some(structure) = filters.structure.as_deref().filter(|s| !s.is_empty()) {
        query = query.filter(request::Column::StructureId.eq(structure));
    }
    let own_team = user.team_id.clone();
    match filters.team.as_deref().filter(|t| !t.is_empty()) {
        Some("mine") => query = query.filter(request::Column::TeamId.eq(own_team.clone().unwrap_or_default())),
        Some(team) => query = query.filter(request::Column::TeamId.eq(team)),
        None => {}
    }
    let (search, search_return) = searched(filters, nir);
    match &search {
        Some(Search::Reference(reference)) => query = query.filter(request::Column::Reference.eq(reference.to_string())),
        Some(Search::Nir(nir)) => query = query.filter(request::Column::BeneficiaryNir.eq(nir.normalised())),
        Some(Search::Name(folded)) => query = query.filter(request::Column::BeneficiarySearch.contains(folded.as_str())),
        None => {}
    }
    let order = match filters.sort.as_deref() {
        Some("anciennes") => Order::Oldest,
        Some("echeance") => Order::SoonestDue,
        _ => Order::Newest,
    };
    if filters.overdue {
        query =
            query.filter(request::Column::DueOn.lt(today)).filter(request::Column::Status.is_in(Status::ALL.into_iter().filter(|s| s.clock_runs())));
    }
    Ok(Selected { query, order, search, search_return })
}

/// The caisse's requests the filters and the search keep, one keyset page; a search by NIR is audited as a read.
pub async fn queue(cx: &RequestContext, filters: &QueueQuery, nir: Option<Nir>, per_page: u64) -> Result<QueuePage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let caisse_id = caisse_of(user)?;
    // Loaded with the account on every request; an account fresh from sign-in has it not yet.
    let caisse_name = match &user.organisation {
        Some(name) => name.clone(),
        None => crate::server::entities::caisse::Entity::find_by_id(caisse_id.to_owned()).one(db).await?.map(|c| c.name).unwrap_or_default(),
    };
    let Selected { query, order, search, search_return } = selected(cx, filters, nir)?;
    let today = cx.today();
    let crate::server::requests::KeysetPage { rows, next, previous } =
        crate::server::requests::keyset_page(db, query, order, filters.after.as_deref(), filters.before.as_deref(), per_page).await?;
    let nir_search = match &search {
        Some(Search::Nir(nir)) => {
            let found = if rows.len() == 1 { "1 demande affichée".to_owned() } else { format!("{} demandes affichées", rows.len()) };
            let entry =
                Entry::new(Actor::signed_in(user), "request.nir_searched", "request", None).in_caisse(Some(caisse_id.to_owned())).detail(found);
            audit::record(db, entry, &cx.origin, cx.now).await?;
            Some(nir.masked())
        }
        _ => None,
    };

    // The backlog by open status, counted on the (caisse, status, id) index: only open requests are read, however
    // many years of closed ones the caisse keeps (those are figures for the statistics, not for the queue). Every
    // agent's home shows them on each visit: they are counted at most once every few seconds per caisse.
    let open: Vec<Status> = Status::ALL.into_iter().filter(|s| s.is_open()).collect();
    let counted = match cx.state.backlog.fresh(caisse_id) {
        Some(counted) => counted,
        None => {
            let counted: Vec<(String, i64)> = request::Entity::find()
                .select_only()
                .column(request::Column::Status)
                .column_as(request::Column::Id.count(), "count")
                .filter(request::Column::CaisseId.eq(caisse_id))
                .filter(request::Column::Status.is_in(open.clone()))
                .group_by(request::Column::Status)
                .into_tuple()
                .all(db)
                .await?;
            cx.state.backlog.keep(caisse_id, counted.clone());
            counted
        }
    };
    let counts = open
        .into_iter()
        .map(|s| StatusCount {
            code: s.code().to_owned(),
            label: s.label(Reader::Caisse).to_owned(),
            count: counted.iter().find(|(code, _)| code == s.code()).map(|(_, n)| *n as u64).unwrap_or(0),
        })
        .collect();
    let CaisseChoices { structures, teams, agents } = choices_of(db, caisse_id).await?;
    let structure_names: HashMap<&str, &str> = structures.iter().map(|s| (s.id.as_str(), s.label.as_str())).collect();
    let team_names: HashMap<&str, &str> = teams.iter().map(|t| (t.id.as_str(), t.label.as_str())).collect();
    let rows = rows
        .into_iter()
        .map(|m| {
            let status = m.status;
            QueueRow {
                kind: m.kind.short_label().to_owned(),
                structure: structure_names.get(m.structure_id.as_str()).map(|s| (*s).to_owned()).unwrap_or_default(),
                beneficiary: beneficiary_line(&m),
                status_code: status.code().to_owned(),
                status: status.label(Reader::Caisse).to_owned(),
                created_at: time_fr::date_time(m.created_at),
                team: m.team_id.as_deref().and_then(|id| team_names.get(id)).map(|name| (*name).to_owned()),
                due: due_of(m.due_on, status, today),
                assignee: m.assignee_name,
                reference: m.reference,
            }
        })
        .collect();
    Ok(QueuePage {
        caisse_name,
        counts,
        rows,
        next,
        previous,
        structures,
        teams,
        agents,
        has_team: user.team_id.is_some(),
        bulk_result: None,
        nir_search,
        search_return,
    })
}

/// A request as the agent works on it. Reading it is audited (it shows an assuré's data).
pub async fn request(cx: &RequestContext, reference: &str, canned_choice: Option<&str>) -> Result<CaisseRequest, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let now = cx.now;
    let model = visibility::find(db, user, reference, Role::CaisseAgent).await?;
    let status = model.status;
    let contents = contents(cx, &model, true).await?;
    let people = names(db, [Some(model.author_id.clone()), model.assignee_id.clone()].into_iter().flatten().collect()).await?;
    let CaisseChoices { structures, teams, agents } = choices_of(db, &model.caisse_id).await?;
    let structure = structures.into_iter().find(|s| s.id == model.structure_id).map(|s| s.label).unwrap_or_default();
    let caisse = crate::server::entities::caisse::Entity::find_by_id(model.caisse_id.clone()).one(db).await?.ok_or(AppError::NotFound)?;
    let mut places: Vec<PlaceChoice> = accueil::Entity::find()
        .filter(accueil::Column::CaisseId.eq(&model.caisse_id))
        .filter(accueil::Column::Active.eq(true))
        .order_by_asc(accueil::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|a| PlaceChoice { hours: a.opening_hours.summary(), label: a.name, id: a.id })
        .collect();
    places.push(PlaceChoice { id: appointments::BY_PHONE.to_owned(), label: "Par téléphone".to_owned(), hours: caisse.phone_hours.summary() });
    let canned = canned_reply::Entity::find()
        .filter(canned_reply::Column::CaisseId.eq(&model.caisse_id))
        .order_by_asc(canned_reply::Column::Title)
        .all(db)
        .await?;
    let reply_draft = canned_choice.and_then(|id| canned.iter().find(|c| c.id == id)).map(|c| c.body.clone()).unwrap_or_default();
    Ok(CaisseRequest {
        kind: model.kind.label().to_owned(),
        status_code: status.code().to_owned(),
        status: status.label(Reader::Caisse).to_owned(),
        created_at: time_fr::date_time(model.created_at),
        due: due_of(model.due_on, status, time_fr::paris_day(now)),
        structure,
        author: people.get(&model.author_id).cloned().unwrap_or_default(),
        assignee: model.assignee_id.as_ref().and_then(|id| people.get(id).cloned()),
        team: model.team_id.as_deref().and_then(|id| teams.iter().find(|t| t.id == id)).map(|t| t.label.clone()),
        beneficiary: beneficiary_view(&model),
        has_nir: model.beneficiary_nir.is_some(),
        attachments: contents.request_files(),
        thread: contents
            .messages
            .iter()
            .map(|m| ThreadLine {
                at: time_fr::date_time(m.created_at),
                author: m.author_label.clone(),
                from_caisse: m.from_caisse,
                internal: m.internal,
                body: m.body.clone(),
                attachments: contents.message_files(&m.id),
            })
            .collect(),
        answers: contents.answers,
        timeline: contents.timeline,
        actions: ACTIONS
            .iter()
            .filter(|(_, a)| transition(status, *a, Role::CaisseAgent).is_ok())
            // The agent who holds the request is not offered to take it again.
            .filter(|(_, a)| !(*a == Action::Take && model.assignee_id.as_deref() == Some(user.id.as_str())))
            .map(|(code, _)| (*code).to_owned())
            .collect(),
        agents,
        teams,
        places,
        appointments: appointments::of_request(db, &model.id, now).await?,
        canned_replies: canned.into_iter().map(|c| Choice { id: c.id, label: c.title }).collect(),
        reply_draft,
        action_draft: String::new(),
        can_reply: status.is_open(),
        subject: model.subject,
        body: model.body,
        reference: model.reference,
    })
}

pub async fn reveal_nir(cx: &RequestContext, reference: &str) -> Result<String, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let model = visibility::find(db, user, reference, Role::CaisseAgent).await?;
    let nir = model.beneficiary_nir.clone().ok_or(AppError::NotFound)?;
    audit::record(
        db,
        Entry::new(Actor::signed_in(user), "request.nir_revealed", "request", Some(model.id.clone()))
            .in_caisse(Some(model.caisse_id.clone()))
            .detail(model.reference.clone()),
        origin,
        now,
    )
    .await?;
    Ok(nir.grouped())
}

/// What the action form posted.
#[derive(Clone, Debug, Default)]
pub struct ActionInput {
    pub action: String,
    pub message: String,
    pub assignee: String,
    pub team: String,
    pub duplicate_of: String,
    pub booking: Booking,
}

fn text_of(message: &str) -> Result<String, AppError> {
    let mut problems = Problems::new();
    let message = problems.optional("message", message, MESSAGE_MAX);
    problems.into_result(message).map_err(AppError::Validation)
}

pub async fn act(cx: &RequestContext, reference: &str, input: ActionInput) -> Result<(), AppError> {
    let db = cx.db();
    let mail = &cx.state.settings.mail;
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let (code, action) =
        ACTIONS.iter().find(|(code, _)| *code == input.action).copied().ok_or_else(|| AppError::Conflict("Cette action n'existe pas.".to_owned()))?;
    let txn = crate::server::db::write_transaction(db).await?;
    let model = visibility::find(&txn, user, reference, Role::CaisseAgent).await?;
    let from = model.status;
    let to = transition(from, action, Role::CaisseAgent)?;
    let message = text_of(&input.message)?;
    if let Some(missing) = action.reason_missing().filter(|_| message.is_empty()) {
        return Err(AppError::field("message", missing));
    }
    let mut note = Some(message.clone()).filter(|m| !m.is_empty());
    let mut assignee = model.assignee_id.clone();
    let mut team = model.team_id.clone();
    let mut appointment_id = None;
    match action {
        Action::Take => assignee = Some(user.id.clone()),
        Action::Assign if code == "assign_team" => {
            let chosen = crate::server::setup::teams_of(&txn, &model.caisse_id)
                .await?
                .into_iter()
                .find(|t| t.id == input.team)
                .ok_or_else(|| AppError::field("team", "Choisissez une équipe de la caisse."))?;
            note = Some(format!("Confiée à l'équipe {}", chosen.name));
            team = Some(chosen.id);
            assignee = None;
        }
        Action::Assign => {
            let colleague = account::Entity::find_by_id(input.assignee.clone())
                .filter(account::Column::CaisseId.eq(&model.caisse_id))
                .filter(account::Column::Role.eq(Role::CaisseAgent))
                .filter(account::Column::Active.eq(true))
                .one(&txn)
                .await?
                .ok_or_else(|| AppError::field("assignee", "Choisissez un agent de la caisse."))?;
            note = Some(format!("Attribuée à {} {}", colleague.first_name, colleague.last_name));
            assignee = Some(colleague.id);
            team = colleague.team_id.or(team);
        }
        Action::ScheduleAppointment => {
            let booked = appointments::book(&txn, user, &model, &input.booking, now).await?;
            note = Some(booked.note);
            appointment_id = Some(booked.id);
            assignee = assignee.or_else(|| Some(user.id.clone()));
        }
        Action::RescheduleAppointment => {
            let moved = appointments::reschedule(&txn, user, &model, &input.booking, &message, now).await?;
            note = Some(moved.note);
            appointment_id = Some(moved.id);
        }
        Action::CancelAppointment => {
            let cancelled = appointments::change(&txn, &model.id, Change::CancelledByCaisse, &message, now).await?;
            note = Some(cancelled.note);
            appointment_id = Some(cancelled.id);
        }
        Action::RecordAppointmentHeld | Action::RecordAppointmentMissed => {
            let (outcome, what) = if action == Action::RecordAppointmentHeld {
                (AppointmentStatus::Held, "Rendez-vous honoré")
            } else {
                (AppointmentStatus::Missed, "Rendez-vous manqué")
            };
            appointments::settle(&txn, &model.id, outcome, now).await?;
            note = Some(match note {
                Some(message) => format!("{what} : {message}"),
                None => what.to_owned(),
            });
        }
        Action::Close(Resolution::Duplicate) => {
            let original = Reference::parse(&input.duplicate_of)
                .ok_or_else(|| AppError::field("duplicate_of", "Saisissez la référence de la demande d'origine (EP-AAAA-NNNNNN)."))?;
            let found = visibility::find(&txn, user, &original.to_string(), Role::CaisseAgent).await.ok().filter(|o| o.id != model.id);
            if found.is_none() {
                return Err(AppError::field("duplicate_of", "Aucune autre demande de la caisse ne porte cette référence."));
            }
            note = Some(format!("Doublon de {original}"));
        }
        _ => {}
    }
    let (id, caisse_id) = (model.id.clone(), model.caisse_id.clone());
    let snapshot = model.clone();
    let mut active = crate::server::requests::moved(&txn, model, to, now).await?;
    active.assignee_id = Set(assignee);
    active.team_id = Set(team);
    active.update(&txn).await?;
    if action == Action::AskPartner {
        insert_message(&txn, &snapshot, user, &message, false, now).await?;
    }
    record_event(&txn, &id, user, Step { action: code, from: Some(from), to, note }, now).await?;
    if let (Action::ScheduleAppointment | Action::RescheduleAppointment, Some(changed)) = (action, &appointment_id) {
        crate::server::webhooks::appointment_scheduled(&txn, &snapshot, changed, now).await?;
    }
    let told = match (action, appointment_id) {
        (Action::AskPartner, _) => Some(ToPartner::MoreRequested),
        (Action::ScheduleAppointment | Action::RescheduleAppointment | Action::CancelAppointment, Some(changed)) => {
            let line = appointments::of_request(&txn, &id, now).await?.into_iter().find(|a| a.id == changed);
            let calendar = appointments::calendar_file(&txn, user, &changed, &mail.from).await.ok().map(|(_, ics)| ics);
            line.map(|line| {
                let (when, place) = (line.when, line.place);
                match action {
                    Action::ScheduleAppointment => ToPartner::AppointmentBooked { when, place, calendar },
                    Action::RescheduleAppointment => ToPartner::AppointmentMoved { when, place, calendar },
                    _ => ToPartner::AppointmentCancelled { when, calendar },
                }
            })
        }
        (Action::Close(_) | Action::RecordAppointmentHeld, _) => Some(ToPartner::Closed { outcome: to.label(Reader::Partner).to_owned() }),
        _ => None,
    };
    if let Some(told) = told {
        request_notices::to_partner(&txn, mail, &snapshot, told, now).await?;
    }
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "request.triaged", "request", Some(id)).in_caisse(Some(caisse_id)).detail(code),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// How many requests one queue download reads at a time.
const EXPORT_BATCH: u64 = 500;

/// Every request of the caisse the queue's filters keep (not only one page), in their order, as a file in `format`:
/// reference, kind, subject, structure, assuré by name (never a NIR), status, team, agent, dates. At most
/// [`EXPORT_MAX_ROWS`](crate::domain::csv::EXPORT_MAX_ROWS), a last line says so when more were left out. Answered at
/// once up to the settings' `export_background_rows`, prepared in the background beyond (`exports`). Audited with the
/// count, the format and which filters were set (never what was searched).
pub async fn download(cx: &RequestContext, filters: &QueueQuery, nir: Option<Nir>, format: Format) -> Result<Download, AppError> {
    use crate::domain::csv::EXPORT_MAX_ROWS;
    let Selected { query, .. } = selected(cx, filters, nir.clone())?;
    let rows = query.select_only().column(request::Column::Id).limit(EXPORT_MAX_ROWS as u64).count(cx.db()).await?;
    if rows <= cx.state.settings.export_background_rows {
        let bytes = export(cx, filters, nir, format, Progress::unwatched()).await?;
        return Ok(Download::File { name: format!("{EXPORT_STEM}.{}", format.extension()), format, bytes });
    }
    let (job_cx, filters) = (cx.clone(), filters.clone());
    let job = Job { title: "File des demandes", return_to: filters.href(), file_stem: EXPORT_STEM, format, rows };
    let id = exports::start(cx, job, move |progress| async move { export(&job_cx, &filters, nir, format, progress).await }).await?;
    Ok(Download::Started(id))
}

/// What the queue's file is called.
const EXPORT_STEM: &str = "file-des-demandes";

/// The queue's file itself (see [`download`]), saying how far it got to `progress` after each batch.
async fn export(cx: &RequestContext, filters: &QueueQuery, nir: Option<Nir>, format: Format, progress: Progress) -> Result<Vec<u8>, AppError> {
    use crate::domain::csv::EXPORT_MAX_ROWS;
    let db = cx.db();
    let caisse_id = caisse_of(&cx.user)?;
    let Selected { query, order, .. } = selected(cx, filters, nir)?;
    let CaisseChoices { structures, teams, .. } = choices_of(db, caisse_id).await?;
    let structure_names: HashMap<&str, &str> = structures.iter().map(|s| (s.id.as_str(), s.label.as_str())).collect();
    let team_names: HashMap<&str, &str> = teams.iter().map(|t| (t.id.as_str(), t.label.as_str())).collect();
    let (mut rows, mut after, mut cut) = (Vec::<Vec<String>>::new(), None::<String>, false);
    loop {
        let page = crate::server::requests::keyset_page(db, query.clone(), order, after.as_deref(), None, EXPORT_BATCH).await?;
        for m in &page.rows {
            if rows.len() == EXPORT_MAX_ROWS {
                cut = true;
                break;
            }
            rows.push(vec![
                m.reference.clone(),
                m.kind.short_label().to_owned(),
                m.subject.clone(),
                structure_names.get(m.structure_id.as_str()).map(|s| (*s).to_owned()).unwrap_or_default(),
                crate::server::requests::beneficiary_name(m),
                m.status.label(Reader::Caisse).to_owned(),
                m.team_id.as_deref().and_then(|id| team_names.get(id)).map(|t| (*t).to_owned()).unwrap_or_default(),
                m.assignee_name.clone().unwrap_or_default(),
                time_fr::date_time(m.created_at),
                m.due_on.map(time_fr::date).unwrap_or_default(),
            ]);
        }
        progress.rows(rows.len()).await;
        match page.next {
            Some(cursor) if !cut => after = Some(cursor),
            _ => break,
        }
    }
    let headers = ["Référence", "Type", "Objet", "Structure", "Assuré", "Statut", "Équipe", "Agent", "Reçue le", "Échéance"].map(str::to_owned);
    let mut note = format!("File de la caisse : {}", plural(rows.len() as u64, "demande", "demandes"));
    if cut {
        note = crate::domain::csv::cut_note(EXPORT_MAX_ROWS, "précisez les filtres (statut, type, équipe…)");
    }
    let bytes = spreadsheet::write(format, &Sheet { headers: &headers, rows: &rows, note: &note })?;
    let set: Vec<&str> = [
        ("statut", filters.status.is_some()),
        ("type", filters.kind.is_some()),
        ("attribution", filters.assignee.is_some()),
        ("structure", filters.structure.is_some()),
        ("équipe", filters.team.is_some()),
        ("retard", filters.overdue),
        ("recherche", filters.search.is_some() || filters.nir),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect();
    let detail = format!(
        "{} demandes ({}) ; filtres : {}",
        rows.len(),
        format.extension().to_uppercase(),
        if set.is_empty() { "aucun".to_owned() } else { set.join(", ") }
    );
    let entry =
        Entry::new(Actor::signed_in(&cx.user), "request.exported", "caisse", Some(caisse_id.to_owned())).in_caisse(Some(caisse_id.to_owned()));
    audit::record(db, entry.detail(detail), &cx.origin, cx.now).await?;
    Ok(bytes)
}

/// Where the queue keeps the outcome of a bulk action for the page it returns to.
pub const BULK_FLASH: &str = "caisse.bulk";

/// Where a reply to the partner waits when it comes back (refused, or sent as the session ended).
pub fn message_flash_key(reference: &str) -> String {
    format!("caisse.message.{}", crate::domain::text_input::bounded(reference, 32))
}

/// Where an action's message waits when the action comes back (refused, or sent as the session ended).
pub fn action_flash_key(reference: &str) -> String {
    format!("caisse.action.{}", crate::domain::text_input::bounded(reference, 32))
}
/// The form key of a refused queue search ([`crate::dto::triage::SearchReturn`]), shown once.
pub const SEARCH_FLASH: &str = "caisse.search";

/// The actions that can be applied to several requests at once.
pub const BULK_ACTIONS: [&str; 3] = ["assign", "assign_team", "close_duplicate"];

/// The most requests one bulk action may touch (a queue page holds 25).
const BULK_MAX: usize = 100;

/// Applies one action to each request in turn, exactly as from its page (same checks, same audit); each
/// request that refuses keeps its state and says why.
pub async fn bulk(cx: &RequestContext, references: &[&str], input: ActionInput) -> Result<BulkResult, AppError> {
    let user = &cx.user;
    caisse_of(user)?;
    if !BULK_ACTIONS.contains(&input.action.as_str()) {
        return Err(AppError::Conflict("Cette action ne peut pas être appliquée à plusieurs demandes à la fois.".to_owned()));
    }
    if references.is_empty() {
        return Ok(BulkResult { problem: Some("Cochez au moins une demande avant de choisir l'action.".to_owned()), ..Default::default() });
    }
    if references.len() > BULK_MAX {
        return Ok(BulkResult { problem: Some(format!("{BULK_MAX} demandes au plus à la fois.")), ..Default::default() });
    }
    let mut result = BulkResult::default();
    for reference in references {
        match act(cx, reference, input.clone()).await {
            Ok(()) => result.done.push((*reference).to_owned()),
            Err(AppError::NotFound) => {
                result.refused.push(((*reference).to_owned(), "Cette demande n'est pas dans la file de la caisse.".to_owned()))
            }
            Err(error) => {
                let reason = error.field_errors().first().map_or_else(|| error.to_string(), |e| e.message.clone());
                result.refused.push(((*reference).to_owned(), reason));
            }
        }
    }
    Ok(result)
}

async fn insert_message(
    db: &impl ConnectionTrait,
    request: &request::Model,
    user: &SignedIn,
    body: &str,
    internal: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let id = uuid::Uuid::now_v7().to_string();
    request_message::ActiveModel {
        id: Set(id.clone()),
        request_id: Set(request.id.clone()),
        author_id: Set(user.id.clone()),
        author_label: Set(user.display_name()),
        from_caisse: Set(true),
        internal: Set(internal),
        body: Set(body.to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    crate::server::webhooks::message_added(db, request, &id, true, internal, now).await?;
    Ok(())
}

/// A reply to the partner (open requests only; the partner is told) or an internal note (any time; nobody is told).
pub async fn message(cx: &RequestContext, reference: &str, body: &str, internal: bool) -> Result<(), AppError> {
    let db = cx.db();
    let mail = &cx.state.settings.mail;
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let model = visibility::find(db, user, reference, Role::CaisseAgent).await?;
    let body = text_of(body)?;
    if body.is_empty() {
        return Err(AppError::Validation(vec![FieldError { field: "body".to_owned(), message: "Saisissez votre message.".to_owned() }]));
    }
    let status = model.status;
    if !internal && !status.is_open() {
        return Err(AppError::Conflict(format!(
            "Cette demande est « {} » : la structure ne peut plus être relancée ici.",
            status.label(Reader::Caisse)
        )));
    }
    let txn = crate::server::db::write_transaction(db).await?;
    insert_message(&txn, &model, user, &body, internal, now).await?;
    if let Some(answer) = crate::server::requests::first_answer(&model, now).filter(|_| !internal) {
        let mut active = request::ActiveModel { id: sea_orm::ActiveValue::Unchanged(model.id.clone()), ..Default::default() };
        answer.write(&mut active);
        active.update(&txn).await?;
    }
    if !internal {
        request_notices::to_partner(&txn, mail, &model, ToPartner::CaisseReplied, now).await?;
    }
    let what = if internal { "request.noted" } else { "request.replied" };
    audit::record(&txn, Entry::new(Actor::signed_in(user), what, "request", Some(model.id)).in_caisse(Some(model.caisse_id)), origin, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The open backlog's counts per caisse (status code, number of requests), each kept [`BacklogCounts::FRESH`]:
/// counting reads every open request of the caisse (a millisecond for 4,000 of them on SQLite) and the queue, every
/// caisse agent's home, shows the counts on each visit. A count may thus lag a change by those few seconds (twice
/// that while they are counted again); the list itself never does.
#[derive(Debug, Default)]
pub struct BacklogCounts {
    counted: std::sync::Mutex<HashMap<String, (std::time::Instant, StatusCounts)>>,
}

/// (status code, number of open requests) of one caisse.
type StatusCounts = Vec<(String, i64)>;

impl BacklogCounts {
    pub const FRESH: std::time::Duration = std::time::Duration::from_secs(5);

    /// The caisse's kept counts; `None` tells the caller to count. Once they are older than [`Self::FRESH`], only
    /// the first caller to notice counts again: the others keep reading them meanwhile, so that a busy queue does not
    /// count once per agent waiting at that moment.
    fn fresh(&self, caisse_id: &str) -> Option<StatusCounts> {
        let mut counted = self.counted.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (at, counts) = counted.get_mut(caisse_id)?;
        if at.elapsed() >= Self::FRESH {
            *at = std::time::Instant::now();
            return None;
        }
        Some(counts.clone())
    }

    fn keep(&self, caisse_id: &str, counts: StatusCounts) {
        let mut counted = self.counted.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        counted.insert(caisse_id.to_owned(), (std::time::Instant::now(), counts));
    }
}
