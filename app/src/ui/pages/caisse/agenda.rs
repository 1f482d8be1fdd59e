//! `/caisse/agenda` ("Agenda"): a day's or a week's slots at one accueil or on the agent's telephone line, booked
//! (with the request, one click away) or free, chosen through the URL (a plain GET form); printable; and the
//! agent's own coming appointments.

use crate::api::agenda::fetch_agenda;
use crate::domain::role::Role;
use crate::domain::wording::plural;
use crate::dto::agenda::{AgendaDay, AgendaPage, AgendaQuery};
use crate::dto::error::AppError;
use crate::ui::components::{DataTable, EmptyState, ErrorPanel, FilterSelect, RoleGate, TextField, awaited};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AgendaPageView() -> impl IntoView {
    let params = use_query_map().get_untracked();
    let query = AgendaQuery::from_params(|name| params.get(name));
    view! {
        <PageTitle text="Agenda" />
        <RoleGate role=Role::CaisseAgent>
            <h1>"Agenda des rendez-vous"</h1>
            {awaited(fetch_agenda(query), |page| match page {
                Ok(page) => view! { <AgendaView page /> }.into_any(),
                Err(error) => view! { <ErrorPanel error /> }.into_any(),
            })}
        </RoleGate>
    }
}

#[component]
fn AgendaView(page: AgendaPage) -> impl IntoView {
    let at = |day: &str, week: bool| AgendaQuery { place: Some(page.place.clone()), day: Some(day.to_owned()), week }.href();
    let (previous, next) = (at(&page.previous, page.week), at(&page.next, page.week));
    let (previous_text, next_text) = if page.week { ("Semaine précédente", "Semaine suivante") } else { ("Jour précédent", "Jour suivant") };
    let other_view = if page.week { (at(&page.day, false), "Voir le jour") } else { (at(&page.day, true), "Voir la semaine") };
    let places = page.places.iter().map(|p| (p.id.clone(), p.label.clone())).collect();
    let heading = match page.days.as_slice() {
        [only] => format!("{} – {}", page.place_label, only.label),
        [first, .., last] => format!("{} – semaine du {} au {}", page.place_label, first.label, last.label),
        [] => page.place_label.clone(),
    };
    let problems = page.problems.clone();
    let error = Signal::stored((!problems.is_empty()).then(|| AppError::Validation(problems.clone())));
    view! {
        {problems.into_iter().filter(|p| p.field == "lieu").map(|p| view! { <p class="alert alert--warning" role="status">{p.message}</p> }).collect_view()}
        <form method="get" action="/caisse/agenda" class="filters no-print" aria-label="Choisir le lieu et le jour">
            <FilterSelect name="lieu" label="Lieu" selected=page.place.clone() options=places />
            <TextField name="jour" label="Jour" kind="date" error value=Signal::stored(page.day.clone()) />
            {page.week.then(|| view! { <input type="hidden" name="vue" value="semaine" /> })}
            <button type="submit" class="button">"Afficher"</button>
        </form>
        <nav class="pagination no-print" aria-label="Naviguer dans l'agenda">
            <a href=previous rel="prev"><span aria-hidden="true">"← "</span>{previous_text}</a>
            <a href=other_view.0>{other_view.1}</a>
            <a href=next rel="next">{next_text}<span aria-hidden="true">" →"</span></a>
        </nav>
        <h2>{heading}</h2>
        {page.days.into_iter().map(|day| view! { <DayTable day week=page.week /> }).collect_view()}
        <section aria-labelledby="own-title" class="no-print">
            <h2 id="own-title">"Mes prochains rendez-vous"</h2>
            {if page.own.is_empty() {
                view! { <EmptyState message="Aucun rendez-vous à venir pour les demandes que vous suivez." /> }.into_any()
            } else {
                view! {
                    <ul>
                        {page.own.into_iter().map(|a| view! {
                            <li>{format!("{} – {} – ", a.when, a.place)}<a href=format!("/caisse/demandes/{}", a.reference)>{a.reference.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// One day's slots: booked ones name the request, free ones say so.
#[component]
fn DayTable(day: AgendaDay, week: bool) -> impl IntoView {
    let free = day.slots.iter().filter(|s| s.booking.is_none()).count();
    let caption = format!("{} : {}", day.label, plural(free as u64, "créneau libre", "créneaux libres"));
    if day.slots.is_empty() {
        let message = format!("{} : fermé (jour non ouvré ou pas de plage horaire).", day.label);
        return view! { <p class="hint">{message}</p> }.into_any();
    }
    let heading = week.then(|| view! { <h3>{day.label.clone()}</h3> });
    view! {
        {heading}
        <DataTable id=format!("agenda-{}", day.iso) caption columns=["Heure", "Rendez-vous", "Structure", "Statut"]>
            {day.slots.into_iter().map(|slot| match slot.booking {
                Some(booking) => view! {
                    <tr>
                        <th scope="row">{slot.time}</th>
                        <td><a href=format!("/caisse/demandes/{}", booking.reference)>{booking.reference.clone()}</a>{format!(" · {}", booking.kind)}</td>
                        <td>{booking.structure}</td>
                        <td>{booking.status}</td>
                    </tr>
                }.into_any(),
                None => view! {
                    <tr class="free">
                        <th scope="row">{slot.time}</th>
                        <td>"Libre"</td>
                        <td>"–"</td>
                        <td>"–"</td>
                    </tr>
                }.into_any(),
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}
