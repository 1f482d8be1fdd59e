//! The caisse's agenda: the slots of a day or a week at one of its accueils, or on the agent's own telephone line
//! (telephone appointments are booked per calling agent), each booked or free; and the agent's own coming
//! appointments. Caisse agents only, within their caisse.

use crate::domain::appointment::AppointmentStatus;
use crate::domain::field_error::FieldError;
use crate::domain::opening_hours::{OpeningHours, weekday_name};
use crate::dto::agenda::{AgendaBooking, AgendaDay, AgendaPage, AgendaQuery, AgendaSlot, OwnAppointment};
use crate::dto::common::Choice;
use crate::dto::error::AppError;
use crate::server::appointments::BY_PHONE;
use crate::server::context::RequestContext;
use crate::server::entities::{accueil, appointment, caisse, partner_structure, request};
use crate::server::time_fr;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use chrono_tz::Europe::Paris;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// How many of the agent's coming appointments the page lists.
const OWN_SHOWN: u64 = 20;

/// "lundi 07/12/2026".
fn day_label(day: NaiveDate) -> String {
    format!("{} {}", weekday_name(day.weekday()), time_fr::date(day))
}

pub async fn agenda(cx: &RequestContext, query: &AgendaQuery) -> Result<AgendaPage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let caisse_id = crate::server::triage::caisse_of(user)?;
    let desks = accueil::Entity::find()
        .filter(accueil::Column::CaisseId.eq(caisse_id))
        .filter(accueil::Column::Active.eq(true))
        .order_by_asc(accueil::Column::Name)
        .all(db)
        .await?;
    let caisse = caisse::Entity::find_by_id(caisse_id.to_owned()).one(db).await?.ok_or(AppError::NotFound)?;
    // What cannot be read is said next to its field, and the agenda shows the default instead.
    let mut problems = vec![];
    let asked = query.place.as_deref().filter(|p| !p.is_empty());
    let desk = match asked {
        Some(BY_PHONE) => None,
        Some(id) => match desks.iter().find(|d| d.id == id) {
            Some(desk) => Some(desk),
            None => {
                problems.push(FieldError::new("lieu", "Ce lieu n'est pas un accueil de votre caisse : choisissez un accueil, ou le téléphone."));
                desks.first()
            }
        },
        None => desks.first(),
    };
    let (place, place_label, hours): (String, String, &OpeningHours) = match desk {
        Some(desk) => (desk.id.clone(), desk.name.clone(), &desk.opening_hours),
        None => (BY_PHONE.to_owned(), "Téléphone (vos appels)".to_owned(), &caisse.phone_hours),
    };
    let today = cx.today();
    let day = match query.day.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(typed) => NaiveDate::parse_from_str(typed, "%Y-%m-%d").unwrap_or_else(|_| {
            problems.push(FieldError::new("jour", format!("« {typed} » n'est pas une date : l'agenda montre aujourd'hui.")));
            today
        }),
        None => today,
    };
    let (first, count) = if query.week { (day - Duration::days(i64::from(day.weekday().num_days_from_monday())), 7) } else { (day, 1) };
    let days: Vec<NaiveDate> = (0..count).map(|i| first + Duration::days(i)).collect();
    let step = Duration::days(count);

    let mut booked = appointment::Entity::find()
        .filter(appointment::Column::CaisseId.eq(caisse_id))
        .filter(appointment::Column::Status.ne(AppointmentStatus::Cancelled))
        .filter(appointment::Column::StartsAt.gte(time_fr::start_of_day(first)))
        .filter(appointment::Column::StartsAt.lt(time_fr::start_of_day(first + step)));
    booked = match desk {
        Some(desk) => booked.filter(appointment::Column::AccueilId.eq(desk.id.clone())),
        None => booked.filter(appointment::Column::AccueilId.is_null()).filter(appointment::Column::CreatedBy.eq(&user.id)),
    };
    let booked = booked.order_by_asc(appointment::Column::StartsAt).all(db).await?;
    let requests = requests_of(db, booked.iter().map(|a| a.request_id.clone()).collect()).await?;
    let mut by_day: HashMap<NaiveDate, Vec<(NaiveTime, AgendaBooking)>> = HashMap::new();
    for a in &booked {
        let local = a.starts_at.with_timezone(&Paris);
        if let Some((reference, kind, structure)) = requests.get(&a.request_id) {
            let booking =
                AgendaBooking { reference: reference.clone(), kind: kind.clone(), structure: structure.clone(), status: a.status.label().to_owned() };
            by_day.entry(local.date_naive()).or_default().push((local.time(), booking));
        }
    }
    let days = days
        .into_iter()
        .map(|date| {
            let mut bookings = by_day.remove(&date).unwrap_or_default();
            let mut slots: Vec<AgendaSlot> = hours
                .slots_on(date)
                .into_iter()
                .map(|time| {
                    let booking = bookings.iter().position(|(at, _)| *at == time).map(|i| bookings.remove(i).1);
                    AgendaSlot { time: time.format("%H:%M").to_string(), booking }
                })
                .collect();
            // Booked before the opening hours changed: still shown, at their time.
            slots.extend(bookings.into_iter().map(|(at, booking)| AgendaSlot { time: at.format("%H:%M").to_string(), booking: Some(booking) }));
            slots.sort_by(|a, b| a.time.cmp(&b.time));
            AgendaDay { label: day_label(date), iso: date.to_string(), slots }
        })
        .collect();

    let mut places: Vec<Choice> = desks.iter().map(|d| Choice { id: d.id.clone(), label: d.name.clone() }).collect();
    places.push(Choice { id: BY_PHONE.to_owned(), label: "Téléphone (vos appels)".to_owned() });
    Ok(AgendaPage {
        own: own_appointments(cx, &desks).await?,
        places,
        place,
        place_label,
        day: day.to_string(),
        previous: (day - step).to_string(),
        next: (day + step).to_string(),
        week: query.week,
        days,
        problems,
    })
}

/// The reference, kind and structure of each request, by id.
async fn requests_of(db: &sea_orm::DatabaseConnection, ids: Vec<String>) -> Result<HashMap<String, (String, String, String)>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found = request::Entity::find().filter(request::Column::Id.is_in(ids)).all(db).await?;
    let structure_ids: Vec<String> = found.iter().map(|r| r.structure_id.clone()).collect();
    let structures: HashMap<String, String> = partner_structure::Entity::find()
        .filter(partner_structure::Column::Id.is_in(structure_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(found
        .into_iter()
        .map(|r| {
            let structure = structures.get(&r.structure_id).cloned().unwrap_or_default();
            (r.id, (r.reference, r.kind.short_label().to_owned(), structure))
        })
        .collect())
}

/// The coming confirmed appointments of the requests the agent holds, soonest first.
async fn own_appointments(cx: &RequestContext, desks: &[accueil::Model]) -> Result<Vec<OwnAppointment>, AppError> {
    let db = cx.db();
    let held = Query::select().column(request::Column::Id).from(request::Entity).and_where(request::Column::AssigneeId.eq(&cx.user.id)).to_owned();
    let coming = appointment::Entity::find()
        .filter(Condition::all().add(appointment::Column::RequestId.in_subquery(held)))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Confirmed))
        .filter(appointment::Column::StartsAt.gte(cx.now))
        .order_by_asc(appointment::Column::StartsAt)
        .limit(OWN_SHOWN)
        .all(db)
        .await?;
    let requests = requests_of(db, coming.iter().map(|a| a.request_id.clone()).collect()).await?;
    Ok(coming
        .into_iter()
        .filter_map(|a| {
            let (reference, _, _) = requests.get(&a.request_id)?;
            let place = match &a.accueil_id {
                Some(id) => desks.iter().find(|d| &d.id == id).map_or_else(|| "Accueil".to_owned(), |d| d.name.clone()),
                None => "Par téléphone".to_owned(),
            };
            let local = a.starts_at.with_timezone(&Paris);
            Some(OwnAppointment {
                when: format!("{} à {}", day_label(local.date_naive()), local.format("%H:%M")),
                place,
                reference: reference.clone(),
            })
        })
        .collect())
}
