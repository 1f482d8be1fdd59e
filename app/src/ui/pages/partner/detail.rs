//! `/partenaire/demandes/{reference}`: one request — answers, assuré, files, timeline, the shared thread with its
//! reply form, withdrawal while the caisse has not taken it, and asking another date for an appointment to come or
//! calling it off. `/…/envoyee` is the confirmation after sending.

use crate::api::requests::{ChangeAppointment, FollowRequest, WithdrawRequest, fetch_request_detail};
use crate::domain::role::Role;
use crate::dto::requests::{Following, RequestDetail, Standing};
use crate::ui::components::{
    Appointments, DoneNotice, ErrorSummary, FieldMessage, RoleGate, action_error, attachment_links, loaded, path_param, request_attachments,
};
use crate::ui::fields::{FilesField, TextArea};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ConfirmationPage() -> impl IntoView {
    let reference = path_param("reference");
    view! {
        <PageTitle text="Demande envoyée" />
        <RoleGate role=Role::PartnerAgent>
            {loaded(fetch_request_detail(reference), |detail| view! {
                <div class="alert alert--success" role="status">
                    <h1>"Votre demande a été envoyée"</h1>
                    <p>"Référence à rappeler à la caisse : " <strong class="reference">{detail.reference.clone()}</strong></p>
                    <p>{format!("Statut : {}. {} l'a reçue le {}.", detail.status, detail.caisse_name, detail.created_at)}</p>
                </div>
                <p>"Vous suivrez son avancement et les réponses de la caisse dans l'historique de votre structure."</p>
                <ul class="actions">
                    <li><a class="button" href=format!("/partenaire/demandes/{}", detail.reference)>"Voir la demande"</a></li>
                    <li><a href="/partenaire/demandes">"Retour à mes demandes"</a></li>
                </ul>
            })}
        </RoleGate>
    }
}

#[component]
pub fn RequestDetailPage() -> impl IntoView {
    let reference = path_param("reference");
    view! {
        <PageTitle text=format!("Demande {reference}") />
        <RoleGate role=Role::PartnerAgent>
            {loaded(fetch_request_detail(reference), |detail| view! { <DetailView detail /> })}
        </RoleGate>
    }
}

/// The confirmations after following, unfollowing, or changing the appointment (`?fait=…`).
const DONE_NOTICES: &[(&str, &str)] = &[
    ("suivie", "Vous suivez cette demande : les réponses de la caisse vous seront aussi envoyées par e-mail."),
    ("plus-suivie", "Vous ne suivez plus cette demande."),
    ("autre-date", "Votre demande d'une autre date a été transmise à la caisse. Le rendez-vous reste prévu tant qu'elle ne l'a pas déplacé."),
    ("annulation", "Le rendez-vous a été annulé et son créneau libéré. La caisse en est informée."),
];

/// Asking the caisse for another date, or calling the appointment off, with a reason.
#[component]
fn AppointmentChange(reference: String) -> impl IntoView {
    let change = ServerAction::<ChangeAppointment>::new();
    let error = action_error(change);
    view! {
        <section aria-labelledby="appointment-change-title" class="card">
            <h2 id="appointment-change-title">"Le rendez-vous ne convient pas ?"</h2>
            <p>"Demandez une autre date à la caisse, ou annulez le rendez-vous si l'assuré ne peut pas venir. La caisse en est informée par e-mail."</p>
            <ErrorSummary error title="Votre demande n'a pas été transmise" />
            <ActionForm action=change>
                <input type="hidden" name="reference" value=reference />
                <fieldset class="choices">
                    <legend>"Que souhaitez-vous ?"</legend>
                    <FieldMessage field="wish" error />
                    <div class="choice">
                        <input type="radio" id="wish" name="wish" value="autre-date" checked=true />
                        <label for="wish">"Demander une autre date (le rendez-vous reste prévu tant que la caisse ne l'a pas déplacé)"</label>
                    </div>
                    <div class="choice">
                        <input type="radio" id="wish-cancel" name="wish" value="annulation" />
                        <label for="wish-cancel">"Annuler le rendez-vous"</label>
                    </div>
                </fieldset>
                <TextArea name="reason" label="Motif, et disponibilités de l'assuré pour une autre date" required=true error rows=3 />
                <button type="submit" class="button button--secondary">"Envoyer à la caisse"</button>
            </ActionForm>
        </section>
    }
}

/// Who hears about the request by e-mail, and the button to follow it or stop.
#[component]
fn FollowSection(reference: String, following: Following) -> impl IntoView {
    let follow = ServerAction::<FollowRequest>::new();
    let error = action_error(follow);
    let others = (!following.others.is_empty()).then(|| view! { <p>{format!("Suivie aussi par : {}.", following.others.join(", "))}</p> });
    let (explanation, button) = match following.me {
        Standing::Author => (
            "Vous avez écrit cette demande : les réponses de la caisse, ses questions, les rendez-vous et la clôture vous sont envoyés par e-mail.",
            None,
        ),
        Standing::Following => (
            "Vous suivez cette demande : les réponses de la caisse vous sont aussi envoyées par e-mail.",
            Some((false, "Ne plus suivre cette demande")),
        ),
        Standing::NotFollowing => (
            "Suivez cette demande pour recevoir aussi par e-mail les réponses de la caisse, ses questions, les rendez-vous et la clôture.",
            Some((true, "Suivre cette demande")),
        ),
    };
    view! {
        <section aria-labelledby="follow-title" class="card">
            <h2 id="follow-title">"Suivi par e-mail"</h2>
            <p>{explanation}</p>
            {others}
            <ErrorSummary error title="Le suivi n'a pas été modifié" />
            {button.map(|(follow_it, label)| view! {
                <ActionForm action=follow>
                    <input type="hidden" name="reference" value=reference.clone() />
                    <input type="hidden" name="follow" value=follow_it.to_string() />
                    <button type="submit" class=if follow_it { "button" } else { "button button--secondary" }>{label}</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn DetailView(detail: RequestDetail) -> impl IntoView {
    let query = use_query_map();
    let withdrawn_now = move || query.read().get("retiree").is_some();
    let replied_now = move || query.read().get("reponse").is_some();
    let returned = detail.returned_reply.clone().unwrap_or_default();
    let reply_error = Signal::stored(returned.as_error());
    let withdraw = ServerAction::<WithdrawRequest>::new();
    let withdraw_error = action_error(withdraw);
    let reference = detail.reference.clone();
    view! {
        <p><a href="/partenaire/historique">"← Historique des demandes"</a></p>
        <h1>{format!("Demande {}", detail.reference)}</h1>
        <Show when=withdrawn_now>
            <div class="alert alert--success" role="status"><p>"La demande a été retirée. La caisse en est informée."</p></div>
        </Show>
        <DoneNotice notices=DONE_NOTICES />
        <Show when=replied_now>
            <div class="alert alert--success" role="status"><p>"Votre message a été envoyé à la caisse."</p></div>
        </Show>
        <dl class="summary">
            <dt>"Type"</dt><dd>{detail.kind.clone()}</dd>
            <dt>"Statut"</dt><dd><span class=format!("badge badge--{}", detail.status_code)>{detail.status.clone()}</span></dd>
            <dt>"Envoyée le"</dt><dd>{format!("{} par {}", detail.created_at, detail.author)}</dd>
            <dt>"Caisse"</dt><dd>{detail.caisse_name.clone()}</dd>
            {detail.expected_by.clone().map(|when| view! { <dt>"Délai"</dt><dd>{when}</dd> })}
        </dl>
        {(!detail.appointments.is_empty()).then(|| view! { <Appointments appointments=detail.appointments.clone() /> })}
        {detail.can_change_appointment.then(|| view! { <AppointmentChange reference=detail.reference.clone() /> })}

        <section aria-labelledby="request-title" class="card">
            <h2 id="request-title">{detail.subject.clone()}</h2>
            {(!detail.body.is_empty()).then(|| view! { <p class="prewrap">{detail.body.clone()}</p> })}
            {(!detail.answers.is_empty()).then(|| view! {
                <dl>
                    {detail.answers.clone().into_iter().map(|(q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}
                </dl>
            })}
            {detail.beneficiary.clone().map(|b| view! {
                <h3>"Assuré"</h3>
                <dl>
                    <dt>"Nom"</dt><dd>{b.name}</dd>
                    <dt>"Date de naissance"</dt><dd>{b.birth_date}</dd>
                    <dt>"NIR"</dt><dd>{b.nir.unwrap_or_else(|| "Non renseigné".to_owned())}</dd>
                    {b.phone.map(|p| view! { <dt>"Téléphone"</dt><dd>{p}</dd> })}
                    {b.address.map(|a| view! { <dt>"Adresse"</dt><dd>{a}</dd> })}
                    <dt>"Accord de l'assuré"</dt><dd>{b.consent}</dd>
                </dl>
            })}
            {request_attachments(detail.attachments.clone())}
        </section>

        <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Suivi"</h2>
            <ol class="timeline">
                {detail
                    .timeline
                    .clone()
                    .into_iter()
                    .map(|e| view! {
                        <li>
                            <strong>{e.label}</strong>
                            <span class="hint">{format!(" – {} – {}", e.at, e.actor)}</span>
                            {e.note.map(|n| view! { <p class="prewrap">{n}</p> })}
                        </li>
                    })
                    .collect_view()}
            </ol>
        </section>

        <section aria-labelledby="thread-title" id="fil">
            <h2 id="thread-title">"Échanges avec la caisse"</h2>
            {if detail.messages.is_empty() {
                view! { <p class="empty-state">"Aucun message pour le moment."</p> }.into_any()
            } else {
                view! {
                    <ol class="thread">
                        {detail
                            .messages
                            .clone()
                            .into_iter()
                            .map(|m| view! {
                                <li class=if m.from_caisse { "message message--caisse" } else { "message" }>
                                    <p class="hint">{format!("{} – {}{}", m.at, m.author, if m.from_caisse { " (caisse)" } else { "" })}</p>
                                    <p class="prewrap">{m.body}</p>
                                    {attachment_links(m.attachments)}
                                </li>
                            })
                            .collect_view()}
                    </ol>
                }
                .into_any()
            }}
        </section>

        {detail.can_reply.then(|| view! {
            <section aria-labelledby="reply-title" id="repondre" class="card">
                <h2 id="reply-title">{if detail.awaiting_partner { "Répondre à la demande de la caisse" } else { "Écrire à la caisse" }}</h2>
                {detail.awaiting_partner.then(|| view! {
                    <p class="alert alert--warning">"La caisse attend votre réponse : votre message et vos documents lui renverront la demande."</p>
                })}
                <ErrorSummary error=reply_error title="Le message n'a pas été envoyé" />
                <form method="post" action=format!("/partenaire/demandes/{}/reponse", detail.reference) enctype="multipart/form-data" novalidate=true>
                    <TextArea name="message" label="Message" required=true error=reply_error value=returned.values.text("message").to_owned() />
                    <FilesField legend="Documents" kept=returned.kept_files.clone() max_files=detail.max_files max_mb=detail.max_mb error=reply_error />
                    <button type="submit" class="button">"Envoyer le message"</button>
                </form>
            </section>
        })}

        <FollowSection reference=detail.reference.clone() following=detail.following.clone() />

        {detail.can_withdraw.then(|| view! {
            <section aria-labelledby="withdraw-title" class="card">
                <h2 id="withdraw-title">"Retirer la demande"</h2>
                <p>"La caisse n'a pas encore commencé à la traiter : vous pouvez la retirer, par exemple si elle a été envoyée par erreur."</p>
                <ErrorSummary error=withdraw_error title="La demande n'a pas été retirée" />
                <ActionForm action=withdraw>
                    <input type="hidden" name="reference" value=reference.clone() />
                    <div class="field">
                        <label for="reason">"Motif (facultatif)"</label>
                        <input type="text" id="reason" name="reason" />
                    </div>
                    <div class="field choice">
                        <input type="checkbox" id="confirm" name="confirm" value="oui" required=true />
                        <label for="confirm">"Je confirme retirer cette demande : la caisse ne la traitera pas."</label>
                    </div>
                    <button type="submit" class="button button--secondary">"Retirer la demande"</button>
                </ActionForm>
            </section>
        })}
    }
}
