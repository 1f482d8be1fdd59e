//! Submitting a request: the gate (convention, training), the files, the form's rules, the duplicate guard, then
//! one transaction that numbers the request, stores it with its assuré, opens its timeline and joins its files.

use super::attachments::{self, Upload};
use crate::domain::due_date;
use crate::domain::form_values::FormValues;
use crate::domain::reference::Reference;
use crate::domain::request_kind::RequestKind;
use crate::domain::request_lifecycle::{Reader, Status};
use crate::domain::submission::{self, Context, Submission};
use crate::dto::error::AppError;
use crate::dto::requests::{AccueilChoice, FormReturn, PossibleDuplicate, SubmissionPage};
use crate::server::audit::{self, Actor, Entry};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::entities::{accueil, caisse, partner_structure, reference_counter, request};
use crate::server::{request_notices, setup, time_fr};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

/// Fields of a returned form that are not kept as typed.
const NOT_KEPT: [&str; 3] = ["kept_files", "confirm_duplicate", "files"];

/// Where a refused form of `function` is kept in the session.
pub fn flash_key(kind: RequestKind) -> String {
    format!("submit.{}", kind.code())
}

/// What came in from the form: its fields and its new files.
pub struct Incoming {
    pub kind: RequestKind,
    pub values: FormValues,
    pub uploads: Vec<Upload>,
}

pub enum Outcome {
    Created {
        reference: String,
    },
    /// Back to the form, with what to correct: the route keeps it for the page (`flash_key`).
    Returned(FormReturn),
}

async fn structure_of(db: &DatabaseConnection, user: &SignedIn) -> Result<partner_structure::Model, AppError> {
    let structure_id = user.structure_id.clone().ok_or(AppError::Forbidden)?;
    partner_structure::Entity::find_by_id(structure_id).one(db).await?.ok_or(AppError::Forbidden)
}

async fn accueils_of(db: &DatabaseConnection, caisse_id: &str) -> Result<Vec<accueil::Model>, AppError> {
    Ok(accueil::Entity::find()
        .filter(accueil::Column::CaisseId.eq(caisse_id))
        .filter(accueil::Column::Active.eq(true))
        .order_by_asc(accueil::Column::Name)
        .all(db)
        .await?)
}

/// The context of a submission form: caisse, gate, accueils, limits, and the form as it came back (once).
pub async fn page(cx: &RequestContext, kind: RequestKind, returned: Option<FormReturn>) -> Result<SubmissionPage, AppError> {
    let state = &cx.state;
    let user = &cx.user;
    let structure = structure_of(&state.db, user).await?;
    let caisse = caisse::Entity::find_by_id(structure.caisse_id.clone()).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let blocked = crate::server::conventions::submission_block(cx, kind).await?.map(|b| b.explanation());
    let accueils = accueils_of(&state.db, &caisse.id)
        .await?
        .into_iter()
        .map(|a| AccueilChoice { id: a.id, label: format!("{} – {}, {} {}", a.name, a.address, a.postal_code, a.commune) })
        .collect();
    let usual_delay = crate::server::statistics::usual_delay_line(&state.db, &caisse.id, kind, cx.today()).await?;
    let policy = state.settings.attachments;
    Ok(SubmissionPage {
        kind,
        caisse_name: caisse.name,
        blocked,
        usual_delay,
        accueils,
        max_files: policy.max_files,
        max_mb: policy.max_mb(),
        returned,
    })
}

/// Receives one form. Every refusal answers `Returned` with the form as typed and the files accepted so far.
pub async fn submit(cx: &RequestContext, incoming: Incoming) -> Result<Outcome, AppError> {
    let state = &cx.state;
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let Incoming { kind, values, uploads } = incoming;
    let structure = structure_of(&state.db, user).await?;

    if let Some(block) = crate::server::conventions::submission_block(cx, kind).await? {
        let values = values.without(&NOT_KEPT);
        return Ok(Outcome::Returned(FormReturn { values, problem: Some(block.explanation()), ..Default::default() }));
    }

    let kept = attachments::pending(&state.db, user, &values.all("kept_files")).await?;
    let (received, mut issues) = attachments::receive(cx, uploads, kept.len()).await?;
    let files: Vec<_> = kept.into_iter().chain(received).collect();

    let accueils: Vec<(String, String)> = accueils_of(&state.db, &structure.caisse_id).await?.into_iter().map(|a| (a.id, a.name)).collect();
    let context = Context { today: time_fr::paris_day(now), accueils: &accueils };
    let valid = match submission::validate(kind, &values, &context) {
        Ok(valid) => Some(valid),
        Err(form_issues) => {
            issues.splice(0..0, form_issues);
            None
        }
    };
    let duplicates = match &valid {
        Some(valid) if issues.is_empty() && !values.checked("confirm_duplicate") => possible_duplicates(&state.db, &structure.id, valid).await?,
        _ => vec![],
    };
    let Some(valid) = valid.filter(|_| issues.is_empty() && duplicates.is_empty()) else {
        return Ok(Outcome::Returned(FormReturn {
            values: values.without(&NOT_KEPT),
            issues,
            kept_files: files.iter().map(attachments::kept_file).collect(),
            duplicates,
            problem: None,
        }));
    };

    let file_ids: Vec<String> = files.iter().map(|f| f.id.clone()).collect();
    let budget = setup::due_date_policy(&state.db, &structure.caisse_id).await?.days_for(valid.kind);
    let routing = Routing {
        due_on: due_date::due_date(time_fr::paris_day(now), budget, &[], time_fr::paris_day(now)),
        budget,
        team_id: setup::team_for(&state.db, &structure.caisse_id, valid.kind).await?,
    };
    let txn = crate::server::db::write_transaction(&state.db).await?;
    let reference = next_reference(&txn, now.year()).await?;
    let id = uuid::Uuid::now_v7().to_string();
    insert_request(&txn, &id, &reference, &valid, &structure, routing, user, now).await?;
    if let Some(created) = request::Entity::find_by_id(id.clone()).one(&txn).await? {
        request_notices::new_request(&txn, &state.settings.mail, &created, valid.kind.short_label(), &structure.name, now).await?;
        request_notices::receipt(&txn, &state.settings.mail, &created, valid.kind.short_label(), now).await?;
    }
    super::record_event(&txn, &id, user, super::Step { action: "submit", from: None, to: Status::Submitted, note: None }, now).await?;
    attachments::claim(&txn, user, &file_ids, &id, None).await?;
    audit::record(
        &txn,
        Entry::new(Actor::signed_in(user), "request.submitted", "request", Some(id.clone()))
            .in_caisse(Some(structure.caisse_id.clone()))
            .detail(reference.to_string()),
        origin,
        now,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(request.reference = %reference, kind = kind.code(), "request submitted");
    Ok(Outcome::Created { reference: reference.to_string() })
}

/// The next public reference of `year`, atomically (the counter row is locked until the transaction ends).
pub async fn next_reference(db: &impl ConnectionTrait, year: i32) -> Result<Reference, AppError> {
    reserve_references(db, year, 1).await.map(|last| Reference { year, number: last })
}

/// Reserves `count` consecutive numbers of `year` and returns the last one.
pub async fn reserve_references(db: &impl ConnectionTrait, year: i32, count: u32) -> Result<u32, AppError> {
    reference_counter::Entity::insert(reference_counter::ActiveModel { year: Set(year), last_number: Set(0) })
        .on_conflict_do_nothing_on([reference_counter::Column::Year])
        .exec_without_returning(db)
        .await?;
    let updated = reference_counter::Entity::update_many()
        .col_expr(reference_counter::Column::LastNumber, Expr::col(reference_counter::Column::LastNumber).add(i64::from(count)))
        .filter(reference_counter::Column::Year.eq(year))
        .exec_with_returning(db)
        .await?;
    let last = updated.first().map(|c| c.last_number).ok_or(AppError::Internal)?;
    u32::try_from(last).ok().filter(|n| *n <= 999_999).ok_or_else(|| {
        tracing::error!(year, "the yearly reference counter is exhausted");
        AppError::Unavailable
    })
}

/// Where a new request goes at its caisse, and when it falls due there.
struct Routing {
    due_on: NaiveDate,
    /// The business days the caisse gives this kind of request, kept to work the due date out again later.
    budget: u32,
    team_id: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn insert_request(
    db: &impl ConnectionTrait,
    id: &str,
    reference: &Reference,
    valid: &Submission,
    structure: &partner_structure::Model,
    routing: Routing,
    user: &SignedIn,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let person = valid.beneficiary.as_ref();
    let details = serde_json::to_string(&valid.details).map_err(|e| {
        tracing::error!(error = %e, "request details could not be encoded");
        AppError::Internal
    })?;
    request::ActiveModel {
        id: Set(id.to_owned()),
        reference: Set(reference.to_string()),
        kind: Set(valid.kind),
        dossier_type: Set(valid.dossier_type()),
        subject: Set(valid.subject.clone()),
        body: Set(valid.body.clone()),
        details: Set(details),
        mas_grounds: Set(valid.details.grounds_key()),
        status: Set(Status::Submitted),
        caisse_id: Set(structure.caisse_id.clone()),
        structure_id: Set(structure.id.clone()),
        author_id: Set(user.id.clone()),
        assignee_id: Set(None),
        team_id: Set(routing.team_id),
        due_on: Set(Some(routing.due_on)),
        due_budget_days: Set(Some(i32::try_from(routing.budget).unwrap_or(i32::MAX))),
        beneficiary_last_name: Set(person.map(|p| p.last_name.clone())),
        beneficiary_first_names: Set(person.map(|p| p.first_names.clone())),
        beneficiary_birth_date: Set(person.map(|p| p.birth_date)),
        beneficiary_nir: Set(person.and_then(|p| p.nir.clone())),
        beneficiary_phone: Set(person.and_then(|p| p.phone.clone())),
        beneficiary_address: Set(person.and_then(|p| p.address.clone())),
        beneficiary_search: Set(person.map(|p| p.search_key())),
        consent_method: Set(person.map(|p| p.consent_method)),
        consent_recorded_at: Set(person.map(|_| now)),
        created_at: Set(now),
        updated_at: Set(now),
        closed_at: Set(None),
        first_answer_at: Set(None),
        first_answer_days: Set(None),
        answered_on_time: Set(None),
        closing_days: Set(None),
        purged_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Open requests of the same kind from this structure for the same assuré (same NIR, or same names and birth date).
async fn possible_duplicates(db: &DatabaseConnection, structure_id: &str, valid: &Submission) -> Result<Vec<PossibleDuplicate>, AppError> {
    let Some(person) = &valid.beneficiary else {
        return Ok(vec![]);
    };
    let mut same_person = Condition::any().add(
        Condition::all()
            .add(request::Column::BeneficiarySearch.eq(person.search_key()))
            .add(request::Column::BeneficiaryBirthDate.eq(person.birth_date)),
    );
    if let Some(nir) = &person.nir {
        same_person = same_person.add(request::Column::BeneficiaryNir.eq(nir.normalised()));
    }
    let open: Vec<&str> = Status::ALL.into_iter().filter(|s| s.is_open()).map(Status::code).collect();
    let found = request::Entity::find()
        .filter(request::Column::StructureId.eq(structure_id))
        .filter(request::Column::Kind.eq(valid.kind))
        .filter(request::Column::Status.is_in(open))
        .filter(same_person)
        .order_by_desc(request::Column::Id)
        .all(db)
        .await?;
    found
        .into_iter()
        .map(|r| {
            Ok(PossibleDuplicate {
                status: r.status.label(Reader::Partner).to_owned(),
                created_at: time_fr::date_time(r.created_at),
                reference: r.reference,
            })
        })
        .collect()
}
