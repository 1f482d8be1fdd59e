//! Demo history: sixteen months of requests, all settled, from four demo structures nobody signs in for (so the demo
//! journeys are unchanged), with realistic delays and outcomes, so that every chart of the statistics means
//! something. Added once: nothing happens when those structures already have requests.

use super::volume::{Rng, insert_chunked};
use super::{ReferenceBlock, id_at, new_id};
use app::domain::appointment::{AppointmentStatus, DURATION_MINUTES};
use app::domain::due_date::{DueDatePolicy, add_business_days, is_business_day};
use app::domain::notice::MailPreference;
use app::domain::request_details::{AppointmentChannel, ConsentMethod, Details, DifficultyGround, DossierType, ReachBy, Urgency};
use app::domain::request_kind::RequestKind;
use app::domain::request_lifecycle::{Resolution, Status};
use app::domain::role::Role;
use app::domain::statistics::first_answer;
use app::domain::submission::search_key;
use app::server::entities::{account, appointment, partner_structure, request, request_event};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

/// The structures whose past requests make the history (SIRET), with the address of the agent who wrote them.
const DESKS: [(&str, &str); 4] = [
    ("77540123300025", "accueil.secours-corbeil@example.org"),
    ("26910078900016", "accueil.fs-dourdan@example.org"),
    ("26591060600010", "accueil.ccas-valenciennes@example.org"),
    ("77590345600025", "accueil.ml-valenciennois@example.org"),
];

/// From this many months back to two months back (the scripted demo requests take the last two).
const MONTHS_BACK: u32 = 18;

const NAMES: [(&str, &str); 12] = [
    ("Moreau", "Sylvie"),
    ("Lefebvre", "Karim"),
    ("Garcia", "Inès"),
    ("Roux", "Gérard"),
    ("Fournier", "Aïcha"),
    ("Girard", "Théo"),
    ("Bonnet", "Monique"),
    ("Dupont", "Yasmine"),
    ("Lambert", "Joël"),
    ("Fontaine", "Nathalie"),
    ("Rousseau", "Mamadou"),
    ("Vincent", "Claire"),
];

/// Adds the history; returns how many requests were added.
pub async fn demo_history(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let mut rng = Rng(0x5EED_2026);
    let policy = DueDatePolicy::default();
    let today = now.with_timezone(&Paris).date_naive();
    let mut added = 0;
    for (siret, email) in DESKS {
        let Some(structure) = partner_structure::Entity::find().filter(partner_structure::Column::Siret.eq(siret)).one(db).await? else {
            continue;
        };
        if request::Entity::find().filter(request::Column::StructureId.eq(&structure.id)).count(db).await? > 0 {
            continue;
        }
        let author = author(db, &structure, email, now).await?;
        let mut requests = vec![];
        let mut events = vec![];
        let mut appointments = vec![];
        for back in (2..=MONTHS_BACK).rev() {
            let Some(first) = today.with_day(1).and_then(|d| d.checked_sub_months(chrono::Months::new(back))) else { continue };
            for _ in 0..8 + rng.below(7) {
                let day = business_day(first, &mut rng);
                let kind = *rng.pick(&[
                    RequestKind::Contact,
                    RequestKind::Contact,
                    RequestKind::MasReferral,
                    RequestKind::MasReferral,
                    RequestKind::Appointment,
                    RequestKind::DossierStudy,
                ]);
                let planned = plan(&structure, &author, kind, day, &policy, &mut rng)?;
                events.extend(planned.events);
                appointments.extend(planned.appointment);
                requests.push(planned.request);
            }
        }
        added += requests.len() as u64;
        let txn = db.begin().await?;
        let mut by_year: std::collections::BTreeMap<i32, Vec<request::ActiveModel>> = Default::default();
        for r in requests {
            let year = match &r.created_at {
                Set(at) => at.year(),
                _ => today.year(),
            };
            by_year.entry(year).or_default().push(r);
        }
        let mut all = vec![];
        for (year, mut rows) in by_year {
            let mut block = ReferenceBlock::reserve(&txn, year, u32::try_from(rows.len()).unwrap_or(u32::MAX)).await?;
            for r in &mut rows {
                r.reference = Set(block.take());
            }
            all.extend(rows);
        }
        insert_chunked(&txn, all).await?;
        insert_chunked(&txn, events).await?;
        insert_chunked(&txn, appointments).await?;
        txn.commit().await?;
    }
    Ok(added)
}

/// The structure's writing agent (no password: nobody signs in as them), created once.
async fn author(db: &DatabaseConnection, structure: &partner_structure::Model, email: &str, now: DateTime<Utc>) -> Result<account::Model, DbErr> {
    if let Some(found) = account::Entity::find().filter(account::Column::Email.eq(email)).one(db).await? {
        return Ok(found);
    }
    account::ActiveModel {
        id: Set(new_id()),
        email: Set(email.to_owned()),
        first_name: Set("Agent".to_owned()),
        last_name: Set("d'accueil".to_owned()),
        role: Set(Role::PartnerAgent),
        caisse_id: Set(Some(structure.caisse_id.clone())),
        structure_id: Set(Some(structure.id.clone())),
        team_id: Set(None),
        mail_preference: Set(MailPreference::default()),
        password_hash: Set(None),
        trained_on: Set(Some(now.date_naive() - Duration::days(600))),
        active: Set(true),
        last_sign_in_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// A business day of the month starting `first`.
fn business_day(first: NaiveDate, rng: &mut Rng) -> NaiveDate {
    let mut day = first + Duration::days(i64::try_from(rng.below(28)).unwrap_or(0));
    while !is_business_day(day) {
        day += Duration::days(1);
    }
    day
}

/// `day` at `hour` o'clock in Paris.
fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    Paris.from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap_or_default()).earliest().map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

struct Planned {
    request: request::ActiveModel,
    events: Vec<request_event::ActiveModel>,
    appointment: Option<appointment::ActiveModel>,
}

/// One settled request sent on `sent`: answered first within a few business days (mostly by its due date), closed a
/// few days later with an outcome drawn as caisses report them, or withdrawn by the partner the next day.
fn plan(
    structure: &partner_structure::Model,
    author: &account::Model,
    kind: RequestKind,
    sent: NaiveDate,
    policy: &DueDatePolicy,
    rng: &mut Rng,
) -> Result<Planned, DbErr> {
    let budget = policy.days_for(kind);
    let due_on = add_business_days(sent, budget);
    let created_at = at(sent, 9 + u32::try_from(rng.below(8)).unwrap_or(0));
    let id = id_at(created_at);
    let withdrawn = rng.chance(7);
    let status = if withdrawn {
        Status::Withdrawn
    } else {
        match rng.below(100) {
            0..=81 => Status::Closed(Resolution::Resolved),
            82..=93 => Status::Closed(Resolution::RejectedOutOfScope),
            _ => Status::Closed(Resolution::Duplicate),
        }
    };
    // Four answers in five by the due date, the others up to three business days late.
    let answer_days = if rng.chance(80) {
        u32::try_from(rng.below(u64::from(budget) + 1)).unwrap_or(0)
    } else {
        budget + 1 + u32::try_from(rng.below(3)).unwrap_or(0)
    };
    let answered_on = add_business_days(sent, answer_days);
    let closing_days = answer_days + u32::try_from(rng.below(6)).unwrap_or(0);
    let closed_on = if withdrawn { add_business_days(sent, 1) } else { add_business_days(sent, closing_days) };
    let closed_at = at(closed_on, 15);
    let answer = (!withdrawn).then(|| first_answer(sent, answered_on, Some(due_on)));
    let (last, first) = *rng.pick(&NAMES);
    let with_person = kind != RequestKind::Contact;
    let details = match kind {
        RequestKind::Contact => Details::Contact,
        RequestKind::MasReferral => {
            let mut grounds = vec![*rng.pick(&DifficultyGround::ALL)];
            if rng.chance(40) {
                let other = *rng.pick(&DifficultyGround::ALL);
                if !grounds.contains(&other) {
                    grounds.push(other);
                }
            }
            let other_ground = grounds.contains(&DifficultyGround::Other).then(|| "Isolement".to_owned());
            Details::MasReferral { grounds, other_ground, urgency: Urgency::Normal, reach_by: ReachBy::Phone, reach_when: "En matinée".to_owned() }
        }
        RequestKind::Appointment => Details::Appointment {
            channel: AppointmentChannel::Phone,
            availability: "Le matin".to_owned(),
            interpreter_language: None,
            accessibility: false,
            accompanied: false,
        },
        RequestKind::DossierStudy => Details::DossierStudy { dossier_type: DossierType::C2s, other_type: None, documents_provided: vec![] },
    };
    let subject = match kind {
        RequestKind::Contact => "Question sur un remboursement".to_owned(),
        RequestKind::MasReferral => "Signalement d'une situation de difficulté (saisine MAS)".to_owned(),
        RequestKind::Appointment => "Demande de rendez-vous".to_owned(),
        RequestKind::DossierStudy => format!("Étude de dossier – {}", DossierType::C2s.label()),
    };
    let request = request::ActiveModel {
        id: Set(id.clone()),
        reference: Set(String::new()),
        kind: Set(kind),
        dossier_type: Set((kind == RequestKind::DossierStudy).then_some(DossierType::C2s)),
        subject: Set(subject),
        body: Set("Demande traitée (historique de démonstration).".to_owned()),
        details: Set(serde_json::to_string(&details).map_err(|e| DbErr::Custom(format!("history details: {e}")))?),
        mas_grounds: Set(details.grounds_key()),
        status: Set(status),
        caisse_id: Set(structure.caisse_id.clone()),
        structure_id: Set(structure.id.clone()),
        author_id: Set(author.id.clone()),
        assignee_id: Set(None),
        team_id: Set(None),
        due_on: Set(Some(due_on)),
        due_budget_days: Set(Some(i32::try_from(budget).unwrap_or(i32::MAX))),
        beneficiary_last_name: Set(with_person.then(|| last.to_owned())),
        beneficiary_first_names: Set(with_person.then(|| first.to_owned())),
        beneficiary_birth_date: Set(with_person.then(|| NaiveDate::from_ymd_opt(1950 + i32::try_from(rng.below(50)).unwrap_or(0), 6, 15)).flatten()),
        beneficiary_nir: Set(None),
        beneficiary_phone: Set(None),
        beneficiary_address: Set(None),
        beneficiary_search: Set(with_person.then(|| search_key(&format!("{last} {first}")))),
        consent_method: Set(with_person.then_some(ConsentMethod::Oral)),
        consent_recorded_at: Set(with_person.then_some(created_at)),
        created_at: Set(created_at),
        updated_at: Set(closed_at),
        closed_at: Set(Some(closed_at)),
        first_answer_at: Set(answer.map(|_| at(answered_on, 11))),
        first_answer_days: Set(answer.map(|(days, _)| i32::try_from(days).unwrap_or(i32::MAX))),
        answered_on_time: Set(answer.map(|(_, on_time)| on_time)),
        closing_days: Set((!withdrawn).then(|| i32::try_from(closing_days).unwrap_or(i32::MAX))),
        purged_at: Set(None),
    };
    let event = |at: DateTime<Utc>, action: &str, from: Option<Status>, to: Status| request_event::ActiveModel {
        id: Set(id_at(at)),
        request_id: Set(id.clone()),
        occurred_at: Set(at),
        actor_id: Set(Some(author.id.clone()).filter(|_| action != "close")),
        actor_label: Set(if action == "close" { "CPAM".to_owned() } else { format!("{} {}", author.first_name, author.last_name) }),
        action: Set(action.to_owned()),
        from_status: Set(from),
        to_status: Set(to),
        note: Set(None),
    };
    let closing = if withdrawn { "withdraw" } else { "close" };
    let events = vec![event(created_at, "submit", None, Status::Submitted), event(closed_at, closing, Some(Status::Submitted), status)];
    let appointment = (kind == RequestKind::Appointment && !withdrawn).then(|| appointment::ActiveModel {
        id: Set(id_at(closed_at - Duration::hours(4))),
        request_id: Set(id.clone()),
        caisse_id: Set(structure.caisse_id.clone()),
        accueil_id: Set(None),
        starts_at: Set(closed_at - Duration::hours(4)),
        duration_minutes: Set(DURATION_MINUTES as i32),
        status: Set(if rng.chance(82) { AppointmentStatus::Held } else { AppointmentStatus::Missed }),
        slot_key: Set(None),
        instructions: Set("La caisse a appelé l'assuré.".to_owned()),
        sequence: Set(0),
        change_note: Set(None),
        created_by: Set(author.id.clone()),
        created_at: Set(created_at),
        updated_at: Set(closed_at),
    });
    Ok(Planned { request, events, appointment })
}
