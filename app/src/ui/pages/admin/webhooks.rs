//! `/admin/webhooks`: where the caisse's events go. Each endpoint with its events and its latest deliveries (« send
//! again »), its secret shown once (at creation and at each rotation), disabling it; the form that adds one. Every
//! form works without JavaScript; a refused form comes back as it was typed, with its errors.

use crate::api::admin::webhooks::{CreateWebhook, DisableWebhook, RotateWebhookSecret, SendWebhookAgain, fetch_webhooks};
use crate::domain::form_values::FormValues;
use crate::domain::role::Role;
use crate::dto::admin::webhooks::{CreatedSecret, EndpointLine, WebhookList};
use crate::ui::components::{DataTable, DoneNotice, EmptyState, ErrorSummary, RoleGate, ShownOnce, TextField, action_error, loaded};
use crate::ui::fields::{SelectField, TickBoxes};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;

const NOTICES: &[(&str, &str)] = &[
    ("desactivation", "Le point de réception est désactivé : il ne recevra plus rien."),
    ("renvoi", "L'envoi repartira dans quelques secondes, avec le même identifiant."),
];

#[component]
pub fn WebhooksPage() -> impl IntoView {
    view! {
        <PageTitle text="Webhooks" />
        <RoleGate role=Role::Admin>
            {loaded(fetch_webhooks(), |(list, returned, secret)| view! { <WebhooksView list returned secret /> })}
        </RoleGate>
    }
}

#[component]
fn Endpoint(endpoint: EndpointLine, several_caisses: bool) -> impl IntoView {
    let rotate = ServerAction::<RotateWebhookSecret>::new();
    let disable = ServerAction::<DisableWebhook>::new();
    let again = ServerAction::<SendWebhookAgain>::new();
    let error = {
        let refused = [action_error(rotate), action_error(disable), action_error(again)];
        Signal::derive(move || refused.iter().find_map(|error| error.get()))
    };
    let heading_id = format!("endpoint-{}", endpoint.id);
    let labelled_by = heading_id.clone();
    let table_id = format!("deliveries-{}", endpoint.id);
    let state = if endpoint.active { "Actif" } else { "Désactivé" };
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h3 id=heading_id class="long-text">{endpoint.url.clone()}</h3>
            <p>{format!("{state} · créé le {} · {}", endpoint.created_on, endpoint.events.join(", "))}</p>
            {several_caisses.then(|| view! { <p>{format!("Caisse : {}", endpoint.caisse)}</p> })}
            <ErrorSummary error title="L'action n'a pas abouti" />
            {endpoint.active.then(|| {
                let (a, b) = (endpoint.id.clone(), endpoint.id.clone());
                view! {
                    <div class="actions">
                        <ActionForm action=rotate>
                            <input type="hidden" name="id" value=a />
                            <button type="submit" class="button button--secondary">"Renouveler le secret"</button>
                        </ActionForm>
                        <ActionForm action=disable>
                            <input type="hidden" name="id" value=b />
                            <button type="submit" class="button button--danger">"Désactiver"</button>
                        </ActionForm>
                    </div>
                }
            })}
            {if endpoint.deliveries.is_empty() {
                view! { <EmptyState message="Aucun envoi pour l'instant." /> }.into_any()
            } else {
                view! {
                    <DataTable id=table_id caption="Derniers envois, les plus récents d'abord" columns=["Événement", "Identifiant", "Créé le", "État", "Essais", "Dernière réponse", "Action"]>
                        {endpoint.deliveries.into_iter().map(|d| {
                            let button = d.may_send_again.then(|| {
                                let id = d.id.clone();
                                view! {
                                    <ActionForm action=again>
                                        <input type="hidden" name="id" value=id />
                                        <button type="submit" class="button button--secondary">"Renvoyer"</button>
                                    </ActionForm>
                                }
                            });
                            view! {
                                <tr>
                                    <th scope="row">{d.event}</th>
                                    <td><code>{d.id}</code></td>
                                    <td>{d.created}</td>
                                    <td>{d.state}</td>
                                    <td>{d.attempts}</td>
                                    <td>{d.last_answer}</td>
                                    <td>{button}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn WebhooksView(list: WebhookList, returned: Option<FormValues>, secret: Option<CreatedSecret>) -> impl IntoView {
    let create = ServerAction::<CreateWebhook>::new();
    let error = action_error(create);
    let typed = returned.unwrap_or_default();
    let several_caisses = !list.caisses.is_empty();
    view! {
        <h1>"Webhooks"</h1>
        <p class="lead">
            "Les outils de la caisse peuvent être prévenus de ce qui arrive à ses demandes : chaque événement part vers les points de réception qui l'attendent, signé selon la spécification Standard Webhooks (en-têtes webhook-id, webhook-timestamp et webhook-signature). Un envoi refusé est réessayé, de plus en plus espacé, pendant environ une journée. Les envois ne portent que des références, des étapes et des identifiants : jamais de NIR ni de nom."
        </p>
        {secret.map(|secret| {
            let text = format!("Le secret qui signe les envois vers {} : copiez-le maintenant dans le récepteur, il ne sera plus jamais affiché. Après un renouvellement, l'ancien signe encore les envois pendant 24 heures.", secret.url);
            view! { <ShownOnce title="Secret de signature" text value=secret.secret id="new-secret" /> }
        })}
        <DoneNotice notices=NOTICES />
        <section aria-labelledby="endpoints-title">
            <h2 id="endpoints-title">"Points de réception"</h2>
            {if list.endpoints.is_empty() {
                view! { <EmptyState message="Aucun point de réception pour l'instant : ajoutez-en un avec le formulaire ci-dessous." /> }.into_any()
            } else {
                list.endpoints.into_iter().map(|endpoint| view! { <Endpoint endpoint several_caisses /> }).collect_view().into_any()
            }}
        </section>
        <section class="card" aria-labelledby="new-endpoint-title">
            <h2 id="new-endpoint-title">"Ajouter un point de réception"</h2>
            <ErrorSummary error title="Le point de réception n'a pas été ajouté" />
            <ActionForm action=create attr:novalidate=true>
                <p class="hint">"Les champs marqués d'un astérisque (*) sont obligatoires."</p>
                {several_caisses.then(|| {
                    let options = list.caisses.clone();
                    view! { <SelectField name="caisse" label="Caisse" required=true error options value=typed.text("caisse").to_owned() /> }
                })}
                <TextField name="url" label="Adresse *" kind="url" hint="https://… ; http:// seulement vers cette machine (127.0.0.1 ou localhost)." required=true error value=Signal::stored(typed.text("url").to_owned()) />
                <TickBoxes
                    group="events"
                    legend="Événements *"
                    prefix="event_"
                    options=list.events.into_iter().map(|(code, label)| (code.clone(), format!("{label} ({code})"))).collect()
                    chosen=typed.all("events").into_iter().map(str::to_owned).collect()
                    error
                />
                <button type="submit" class="button">"Ajouter"</button>
            </ActionForm>
        </section>
    }
}
