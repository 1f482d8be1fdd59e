//! `/caisse/demandes/{reference}`: a request as the agent works on it — answers, assuré (NIR masked until
//! revealed, which is audited), files, timeline, the thread with internal notes, the decision form offering only
//! the actions the lifecycle allows now, and the reply / internal note form. Every form works without JavaScript.

use crate::api::triage::{CaisseMessage, TriageAction, fetch_caisse_request, reveal_nir};
use crate::domain::appointment::SLOT_TAKEN;
use crate::domain::role::Role;
use crate::dto::error::AppError;
use crate::dto::triage::{CaisseRequest, PlaceChoice};
use crate::ui::components::{
    Appointments, ErrorSummary, FieldMessage, RoleGate, action_error, attachment_links, awaited, loaded, path_param, request_attachments,
};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn action_label(code: &str) -> &'static str {
    match code {
        "take" => "Prendre en charge",
        "assign" => "Attribuer à un collègue",
        "assign_team" => "Confier à une équipe",
        "schedule" => "Programmer un rendez-vous",
        "reschedule" => "Déplacer le rendez-vous (motif obligatoire)",
        "cancel_appointment" => "Annuler le rendez-vous (motif obligatoire)",
        "appointment_held" => "Rendez-vous honoré : clôturer la demande",
        "appointment_missed" => "Rendez-vous manqué : reprendre le traitement",
        "ask_partner" => "Demander des compléments à la structure (message obligatoire)",
        "close_resolved" => "Clôturer : demande traitée",
        "close_out_of_scope" => "Clôturer : hors périmètre (motif obligatoire)",
        "close_duplicate" => "Clôturer : doublon d'une autre demande",
        _ => "Action",
    }
}

/// A slot someone else booked first is a conflict for the server; the agent reads it next to the time they chose
/// (and in the summary, linked to that field), with JavaScript or without.
fn slot_taken_at_time(error: AppError) -> AppError {
    match error {
        AppError::Conflict(message) if message == SLOT_TAKEN => AppError::field("time", message),
        other => other,
    }
}

#[component]
pub fn CaisseRequestPage() -> impl IntoView {
    let reference = path_param("reference");
    let canned = use_query_map().get_untracked().get("modele");
    view! {
        <PageTitle text=format!("Demande {reference}") />
        <RoleGate role=Role::CaisseAgent>
            {loaded(fetch_caisse_request(reference, canned), |request| view! { <RequestView request /> })}
        </RoleGate>
    }
}

#[component]
fn RequestView(request: CaisseRequest) -> impl IntoView {
    let query = use_query_map();
    let decided = move || query.read().get("fait").is_some();
    let messaged = move || query.read().get("message").is_some();
    let reveal = query.read_untracked().get("nir").is_some();
    let decide = ServerAction::<TriageAction>::new();
    let write = ServerAction::<CaisseMessage>::new();
    let decide_error = {
        let refused = action_error(decide);
        Signal::derive(move || refused.get().map(slot_taken_at_time))
    };
    let write_error = action_error(write);
    let reference = request.reference.clone();
    let (decide_reference, write_reference) = (reference.clone(), reference.clone());
    view! {
        <p><a href="/caisse/file">"← File des demandes"</a></p>
        <h1>{format!("Demande {}", request.reference)}</h1>
        <Show when=decided><div class="alert alert--success" role="status"><p>"L'action a été enregistrée."</p></div></Show>
        <Show when=messaged><div class="alert alert--success" role="status"><p>"Le message a été enregistré."</p></div></Show>
        <dl class="summary">
            <dt>"Type"</dt><dd>{request.kind.clone()}</dd>
            <dt>"Statut"</dt><dd><span class=format!("badge badge--{}", request.status_code)>{request.status.clone()}</span></dd>
            <dt>"Structure"</dt><dd>{format!("{} ({})", request.structure, request.author)}</dd>
            <dt>"Reçue le"</dt><dd>{request.created_at.clone()}</dd>
            {request.due.clone().map(|(day, state)| view! { <dt>"Échéance"</dt><dd>{format!("{day} – {state}")}</dd> })}
            <dt>"Équipe"</dt><dd>{request.team.clone().unwrap_or_else(|| "Aucune".to_owned())}</dd>
            <dt>"Attribuée à"</dt><dd>{request.assignee.clone().unwrap_or_else(|| "Personne".to_owned())}</dd>
        </dl>
        {(!request.appointments.is_empty()).then(|| view! { <Appointments appointments=request.appointments.clone() /> })}
        <section class="card" aria-labelledby="subject">
            <h2 id="subject">{request.subject.clone()}</h2>
            {(!request.body.is_empty()).then(|| view! { <p class="prewrap">{request.body.clone()}</p> })}
            <dl>{request.answers.clone().into_iter().map(|(q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}</dl>
            {request.beneficiary.clone().map(|b| view! {
                <h3>"Assuré"</h3>
                <dl>
                    <dt>"Nom"</dt><dd>{b.name}</dd>
                    <dt>"Date de naissance"</dt><dd>{b.birth_date}</dd>
                    <dt>"NIR"</dt>
                    <dd>
                        {
                            let masked = b.nir.clone().unwrap_or_else(|| "Non renseigné".to_owned());
                            let reference = reference.clone();
                            // The full NIR is read (and the reading audited) only when asked for.
                            awaited(async move { if reveal { reveal_nir(reference).await.ok() } else { None } }, |revealed| {
                                view! { <span>{revealed.unwrap_or(masked)}</span> }
                            })
                        }
                        {(request.has_nir && !reveal).then(|| view! { " " <a href="?nir=complet">"Afficher le NIR complet (consultation tracée)"</a> })}
                    </dd>
                    {b.phone.map(|p| view! { <dt>"Téléphone"</dt><dd>{p}</dd> })}
                    {b.address.map(|a| view! { <dt>"Adresse"</dt><dd>{a}</dd> })}
                    <dt>"Accord de l'assuré"</dt><dd>{b.consent}</dd>
                </dl>
            })}
            {request_attachments(request.attachments.clone())}
        </section>

        {(!request.actions.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="decide-title">
                <h2 id="decide-title">"Traiter la demande"</h2>
                <ErrorSummary error=decide_error title="L'action n'a pas été enregistrée" />
                <ActionForm action=decide>
                    <input type="hidden" name="reference" value=decide_reference />
                    <fieldset class="choices">
                        <legend>"Action"</legend>
                        {request.actions.iter().enumerate().map(|(i, code)| {
                            let id = if i == 0 { "action".to_owned() } else { format!("action-{i}") };
                            view! {
                                <div class="choice">
                                    <input type="radio" id=id.clone() name="action" value=code.clone() checked=i == 0 />
                                    <label for=id>{action_label(code)}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    {request.actions.iter().any(|a| a == "assign").then(|| view! {
                        <div class="field">
                            <label for="assignee">"Collègue (pour « Attribuer »)"</label>
                            <FieldMessage field="assignee" error=decide_error />
                            <select id="assignee" name="assignee">
                                <option value="">"Choisissez…"</option>
                                {request.agents.clone().into_iter().map(|a| view! { <option value=a.id>{a.label}</option> }).collect_view()}
                            </select>
                        </div>
                    })}
                    {request.actions.iter().any(|a| a == "assign_team").then(|| view! {
                        <div class="field">
                            <label for="team">"Équipe (pour « Confier à une équipe »)"</label>
                            <FieldMessage field="team" error=decide_error />
                            <select id="team" name="team">
                                <option value="">"Choisissez…"</option>
                                {request.teams.clone().into_iter().map(|t| view! { <option value=t.id>{t.label}</option> }).collect_view()}
                            </select>
                        </div>
                    })}
                    {request.actions.iter().any(|a| a == "schedule" || a == "reschedule").then(|| view! { <ScheduleFields places=request.places.clone() error=decide_error /> })}
                    {request.actions.iter().any(|a| a == "close_duplicate").then(|| view! {
                        <div class="field">
                            <label for="duplicate_of">"Référence de la demande d'origine (pour « Doublon »)"</label>
                            <FieldMessage field="duplicate_of" error=decide_error />
                            <input type="text" id="duplicate_of" name="duplicate_of" />
                        </div>
                    })}
                    <div class="field">
                        <label for="message">"Message à la structure ou motif"</label>
                        <span class="hint" id="message-hint">"Envoyé à la structure pour une demande de compléments ; consignes pour un rendez-vous (visibles par la structure) ; motif pour déplacer ou annuler un rendez-vous (visible par la structure) ; noté dans le suivi pour une clôture."</span>
                        <FieldMessage field="message" error=decide_error />
                        <textarea id="message" name="message" rows=4 aria-describedby="message-hint">{crate::ui::raw_text::escaped(&request.action_draft)}</textarea>
                    </div>
                    <button type="submit" class="button">"Enregistrer l'action"</button>
                </ActionForm>
            </section>
        })}

        <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Suivi"</h2>
            <ol class="timeline">
                {request.timeline.clone().into_iter().map(|e| view! {
                    <li>
                        <strong>{e.label}</strong>
                        <span class="hint">{format!(" – {} – {}", e.at, e.actor)}</span>
                        {e.note.map(|n| view! { <p class="prewrap">{n}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>

        <section aria-labelledby="thread-title" id="fil">
            <h2 id="thread-title">"Échanges et notes internes"</h2>
            <ol class="thread">
                {request.thread.clone().into_iter().map(|m| {
                    let class = if m.internal { "message message--internal" } else if m.from_caisse { "message message--caisse" } else { "message" };
                    let who = if m.internal { " (note interne)" } else if m.from_caisse { " (caisse)" } else { " (structure)" };
                    view! {
                        <li class=class>
                            <p class="hint">{format!("{} – {}{}", m.at, m.author, who)}</p>
                            <p class="prewrap">{m.body}</p>
                            {attachment_links(m.attachments)}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <div class="card">
                <h3>"Écrire"</h3>
                {(!request.canned_replies.is_empty()).then(|| view! {
                    <form method="get" action="#body" class="filters" aria-label="Réponses types">
                        <div class="field">
                            <label for="modele">"Partir d'une réponse type"</label>
                            <select id="modele" name="modele">
                                {request.canned_replies.clone().into_iter().map(|c| view! { <option value=c.id>{c.label}</option> }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="button button--secondary">"Utiliser cette réponse"</button>
                    </form>
                })}
                <ErrorSummary error=write_error title="Le message n'a pas été enregistré" />
                <ActionForm action=write>
                    <input type="hidden" name="reference" value=write_reference />
                    <div class="field">
                        <label for="body">"Message"</label>
                        <FieldMessage field="body" error=write_error />
                        <textarea id="body" name="body" rows=6>{crate::ui::raw_text::escaped(&request.reply_draft)}</textarea>
                    </div>
                    <div class="field choice">
                        <input type="checkbox" id="internal" name="internal" value="oui" checked=!request.can_reply />
                        <label for="internal">"Note interne : jamais visible par la structure"</label>
                    </div>
                    <button type="submit" class="button">"Enregistrer"</button>
                </ActionForm>
            </div>
        </section>
    }
}

/// Where and when to book an appointment: the opening hours of each place are shown; the server checks them.
#[component]
fn ScheduleFields(places: Vec<PlaceChoice>, error: Signal<Option<AppError>>) -> impl IntoView {
    let times: Vec<String> = (16..36).map(|half_hours: u32| format!("{:02}:{:02}", half_hours / 2, (half_hours % 2) * 30)).collect();
    view! {
        <fieldset class="card">
            <legend>"Rendez-vous (pour le programmer ou le déplacer)"</legend>
            <div class="field">
                <label for="place">"Lieu"</label>
                <FieldMessage field="place" error />
                <select id="place" name="place" aria-describedby="place-hours">
                    {places.iter().map(|p| view! { <option value=p.id.clone()>{p.label.clone()}</option> }).collect_view()}
                </select>
                <details id="place-hours" class="hint">
                    <summary>"Horaires d'ouverture"</summary>
                    <dl>
                        {places.into_iter().map(|p| view! { <dt>{p.label}</dt><dd>{p.hours.join(" ; ")}</dd> }).collect_view()}
                    </dl>
                </details>
            </div>
            <div class="field">
                <label for="date">"Date"</label>
                <FieldMessage field="date" error />
                <input type="date" id="date" name="date" />
            </div>
            <div class="field">
                <label for="time">"Heure (créneaux de 30 minutes)"</label>
                <FieldMessage field="time" error />
                <select id="time" name="time">
                    <option value="">"Choisissez…"</option>
                    {times.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                </select>
            </div>
        </fieldset>
    }
}
