//! `/admin/api`: the caisse's API tokens (name, scopes, expiry, allowed addresses, last use), the form that creates
//! one (shown once, then only its first characters), and revocation after a confirmation. Every form works without
//! JavaScript; a refused form comes back as it was typed, with its errors.

use crate::api::admin::api_tokens::{CreateApiToken, RevokeApiToken, fetch_api_tokens};
use crate::domain::form_values::FormValues;
use crate::domain::role::Role;
use crate::dto::admin::api_tokens::{ApiTokenList, CreatedToken};
use crate::ui::components::{DataTable, DoneNotice, EmptyState, ErrorSummary, RoleGate, ShownOnce, TextField, action_error, loaded};
use crate::ui::fields::{SelectField, TextArea, TickBoxes};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const NOTICES: &[(&str, &str)] = &[("revocation", "Le jeton a été révoqué : ses prochains appels seront refusés.")];

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    view! {
        <PageTitle text="Accès à l'API" />
        <RoleGate role=Role::Admin>
            {loaded(fetch_api_tokens(), |(list, returned, created)| view! { <ApiTokensView list returned created /> })}
        </RoleGate>
    }
}

#[component]
fn ApiTokensView(list: ApiTokenList, returned: Option<FormValues>, created: Option<CreatedToken>) -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let error = action_error(create);
    let revoke_error = action_error(revoke);
    let confirming = use_query_map().read_untracked().get("revoquer");
    let typed = returned.unwrap_or_default();
    let several_caisses = !list.caisses.is_empty();
    let to_confirm = confirming.and_then(|id| list.tokens.iter().find(|t| t.id == id && t.active).cloned());
    view! {
        <h1>"Accès à l'API"</h1>
        <p class="lead">
            "Les outils de gestion de la caisse (gestion de la relation, prise de rendez-vous, tableaux de bord) lisent et traitent ses demandes par l'API, avec un jeton. Chaque jeton a ses droits, une date d'expiration (un an au plus) et, au besoin, les seules adresses d'où il peut servir. Chaque appel est inscrit au journal d'audit sous le nom du jeton."
        </p>
        <p><a href="/api/v1/docs">"Documentation de l'API"</a></p>
        {created.map(|created| {
            let text = format!("Copiez-le maintenant et remettez-le à l'outil qui l'utilisera : il ne sera plus jamais affiché. Il expire le {}.", created.expires_on);
            view! { <ShownOnce title=format!("Jeton « {} » créé", created.name) text value=created.token id="new-token" /> }
        })}
        <DoneNotice notices=NOTICES />
        {to_confirm.map(|token| {
            let title = format!("Révoquer le jeton « {} » ?", token.name);
            view! {
                <section class="card" aria-labelledby="confirm-title">
                    <h2 id="confirm-title">{title}</h2>
                    <p>"L'outil qui l'utilise ne pourra plus appeler l'API. Cette action est définitive : il faudra créer un nouveau jeton."</p>
                    <ErrorSummary error=revoke_error title="Le jeton n'a pas été révoqué" />
                    <ActionForm action=revoke>
                        <input type="hidden" name="id" value=token.id />
                        <button type="submit" class="button button--danger">"Révoquer définitivement"</button>
                        " "
                        <a href="/admin/api" class="button button--secondary">"Annuler"</a>
                    </ActionForm>
                </section>
            }
        })}
        <section aria-labelledby="tokens-title">
            <h2 id="tokens-title">"Jetons"</h2>
            {if list.tokens.is_empty() {
                view! { <EmptyState message="Aucun jeton pour l'instant : créez-en un avec le formulaire ci-dessous." /> }.into_any()
            } else {
                let columns: Vec<&str> = ["Nom", "Début du jeton", "Droits", "Adresses autorisées", "Créé le", "Expire le", "Dernier appel", "État"]
                    .into_iter()
                    .chain(several_caisses.then_some("Caisse"))
                    .chain(["Action"])
                    .collect();
                view! {
                    <DataTable id="api-tokens" caption="Jetons d'API, les plus récents d'abord" columns>
                        {list.tokens.into_iter().map(|token| {
                            let action = token.active.then(|| {
                                let label = format!("Révoquer « {} »", token.name);
                                view! { <a href=format!("/admin/api?revoquer={}#confirm-title", token.id) class="button button--secondary">{label}</a> }
                            });
                            view! {
                                <tr>
                                    <th scope="row">{token.name}</th>
                                    <td><code>{token.shown_prefix}</code></td>
                                    <td><ul class="plain">{token.scopes.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul></td>
                                    <td>{if token.allowed_addresses.is_empty() { "Toutes".to_owned() } else { token.allowed_addresses }}</td>
                                    <td>{token.created_on}</td>
                                    <td>{token.expires_on}</td>
                                    <td>{token.last_used.unwrap_or_else(|| "Jamais".to_owned())}</td>
                                    <td>{token.state}</td>
                                    {several_caisses.then(|| view! { <td>{token.caisse}</td> })}
                                    <td>{action}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="new-token-title">
            <h2 id="new-token-title">"Créer un jeton"</h2>
            <ErrorSummary error title="Le jeton n'a pas été créé" />
            <ActionForm action=create attr:novalidate=true>
                <p class="hint">"Les champs marqués d'un astérisque (*) sont obligatoires."</p>
                {several_caisses.then(|| {
                    let options = list.caisses.clone();
                    view! { <SelectField name="caisse" label="Caisse" required=true error options value=typed.text("caisse").to_owned() /> }
                })}
                <TextField name="name" label="Nom *" hint="L'outil qui l'utilisera, par exemple « Gestion de la relation assurés » : 80 caractères au maximum." required=true error value=Signal::stored(typed.text("name").to_owned()) />
                <TickBoxes
                    group="scopes"
                    legend="Droits *"
                    hint="Ne donnez que ce dont l'outil a besoin."
                    prefix="scope_"
                    options=list.scopes.into_iter().map(|(code, label)| (code.clone(), format!("{label} ({code})"))).collect()
                    chosen=typed.all("scopes").into_iter().map(str::to_owned).collect()
                    error
                />
                <TextField
                    name="days"
                    label="Validité en jours *"
                    hint=format!("De 1 à {} jours.", list.max_days)
                    inputmode="numeric"
                    required=true
                    error
                    value=Signal::stored(if typed.text("days").is_empty() { "90".to_owned() } else { typed.text("days").to_owned() })
                />
                <TextArea
                    name="allowed_addresses"
                    label="Adresses autorisées"
                    hint="Facultatif : les adresses IP ou réseaux (192.0.2.0/24) d'où le jeton peut servir, séparés par des virgules ou des retours à la ligne. Vide : toutes les adresses."
                    error
                    rows=3
                    value=typed.text("allowed_addresses").to_owned()
                />
                <button type="submit" class="button">"Créer le jeton"</button>
            </ActionForm>
        </section>
    }
}
