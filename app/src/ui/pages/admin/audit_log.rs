//! `/admin/journal`: the audit log of the admin's caisse (every caisse for a national admin) — who did what to
//! which object, when and from where — filtered through the URL (a plain GET form), paged by keyset, and
//! downloadable as CSV with the same filters.

use crate::api::admin::audit_log::fetch_audit_log;
use crate::domain::audit_log::{ACTION_FAMILIES, KNOWN_ACTIONS, OBJECT_TYPES};
use crate::domain::csv::{EXPORT_MAX_ROWS, thousands};
use crate::domain::role::Role;
use crate::dto::admin::audit_log::{AuditLine, AuditPage, AuditQuery};
use crate::dto::common::href_with_query;
use crate::dto::error::AppError;
use crate::ui::components::{DataTable, EmptyState, ErrorPanel, ErrorSummary, FilterSelect, Pager, RoleGate, TextField, awaited};
use crate::ui::page_title::PageTitle;
use crate::ui::pages::errors::Forbidden;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const PAGE: &str = "/admin/journal";
const CSV: &str = "/admin/journal.csv";

fn link(path: &str, query: &AuditQuery) -> String {
    href_with_query(path, &query.pairs())
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let params = use_query_map().get_untracked();
    let query = AuditQuery::from_params(|name| params.get(name));
    view! {
        <PageTitle text="Journal d'audit" />
        <RoleGate role=Role::Admin>
            <h1>"Journal d'audit"</h1>
            {awaited(fetch_audit_log(query.clone()), move |page| match page {
                Ok(page) => view! { <AuditLogView page query /> }.into_any(),
                Err(error @ AppError::Validation(_)) => view! { <Filters query error=Some(error) /> }.into_any(),
                Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                Err(error) => view! { <ErrorPanel error /> }.into_any(),
            })}
        </RoleGate>
    }
}

/// The filter form (a GET form: it works without JavaScript and its result has an address of its own).
#[component]
fn Filters(query: AuditQuery, error: Option<AppError>) -> impl IntoView {
    let error = Signal::stored(error);
    let text = |value: &Option<String>| Signal::stored(value.clone().unwrap_or_default());
    let object_type = query.object_type.clone().unwrap_or_default();
    let action = query.action.clone().unwrap_or_default();
    // A type typed in the address that the list does not know is still offered, selected, so the form shows it.
    let unknown_type = (!object_type.is_empty() && !OBJECT_TYPES.iter().any(|(code, _)| *code == object_type)).then(|| object_type.clone());
    let type_options: Vec<(String, String)> = OBJECT_TYPES
        .into_iter()
        .map(|(code, label)| (code.to_owned(), label.to_owned()))
        .chain(unknown_type.map(|code| (code.clone(), code)))
        .collect();
    let unknown_action = (!action.is_empty()
        && !ACTION_FAMILIES.iter().any(|(prefix, _)| *prefix == action)
        && !KNOWN_ACTIONS.iter().any(|(code, _)| *code == action))
    .then(|| action.clone());
    view! {
        <ErrorSummary error title="Les filtres n'ont pas pu être appliqués" />
        <form method="get" action=PAGE class="filters" role="search" aria-label="Filtrer le journal">
            <TextField name="acteur" label="Acteur" hint="Adresse e-mail, ou une partie" error value=text(&query.actor) />
            <TextField name="objet" label="Objet" hint="Identifiant exact, ou référence d'une demande (EP-AAAA-NNNNNN)" error value=text(&query.object) />
            <FilterSelect name="type" label="Type d'objet" selected=object_type options=type_options unset="Tous les types" />
            <div class="field">
                <label for="action">"Action"</label>
                <select id="action" name="action">
                    <option value="" selected=action.is_empty()>"Toutes les actions"</option>
                    {ACTION_FAMILIES.into_iter().map(|(prefix, family)| {
                        let action = action.clone();
                        view! {
                            <optgroup label=family>
                                <option value=prefix selected=action == prefix>{format!("{family} : toutes")}</option>
                                {KNOWN_ACTIONS.into_iter().filter(|(code, _)| code.starts_with(prefix)).map(|(code, label)| {
                                    view! { <option value=code selected=action == code>{label}</option> }
                                }).collect_view()}
                            </optgroup>
                        }
                    }).collect_view()}
                    {unknown_action.map(|code| view! { <option value=code.clone() selected=true>{code.clone()}</option> })}
                </select>
            </div>
            <TextField name="du" label="Du" kind="date" hint="Premier jour (JJ/MM/AAAA)" error value=text(&query.from) />
            <TextField name="au" label="Au" kind="date" hint="Dernier jour, inclus" error value=text(&query.to) />
            <button type="submit" class="button">"Filtrer"</button>
        </form>
        <p><a href=PAGE>"Effacer les filtres"</a></p>
    }
}

#[component]
fn AuditLogView(page: AuditPage, query: AuditQuery) -> impl IntoView {
    let older = page.older.clone().map(|c| link(PAGE, &AuditQuery { after: Some(c), before: None, ..query.clone() }));
    let newer = page.newer.clone().map(|c| link(PAGE, &AuditQuery { before: Some(c), after: None, ..query.clone() }));
    let csv = link(CSV, &query.first_page());
    let all_caisses = page.all_caisses;
    view! {
        <p class="lead">{format!("Qui a fait quoi, quand et d'où ({}).", page.scope)}</p>
        <p>
            {format!(
                "Les entrées sont conservées {} mois, puis effacées automatiquement. Le journal ne peut être ni modifié ni effacé autrement ; le consulter n'y laisse pas de trace, l'exporter si.",
                page.retention_months,
            )}
        </p>
        <Filters query=query.clone() error=None />
        <p>
            <a href=csv download="journal-audit.csv" class="button button--secondary">"Télécharger en CSV"</a>
            " "
            <span class="hint">{format!("Les entrées filtrées, {} au maximum, au format CSV (séparateur point-virgule).", thousands(EXPORT_MAX_ROWS))}</span>
        </p>
        {if page.rows.is_empty() {
            view! { <EmptyState message="Aucune entrée ne correspond." /> }.into_any()
        } else {
            let columns: Vec<&str> = ["Date et heure (Paris)", "Acteur", "Action", "Objet", "Adresse IP", "Identifiant de requête", "Détail"]
                .into_iter()
                .chain(all_caisses.then_some("Caisse"))
                .collect();
            view! {
                <DataTable id="journal-table" caption="Entrées du journal, les plus récentes d'abord" columns class="journal">
                    {page.rows.into_iter().map(|row| view! { <AuditRow row /> }).collect_view()}
                </DataTable>
            }.into_any()
        }}
        <Pager label="Pages du journal" previous=newer next=older previous_text="Entrées plus récentes" next_text="Entrées plus anciennes" />
    }
}

#[component]
fn AuditRow(row: AuditLine) -> impl IntoView {
    let dash = || "–".to_owned();
    let by_actor = href_with_query(PAGE, &[("acteur", Some(row.actor.clone()))]);
    let object = row.object_id.clone().map(|id| {
        let href = href_with_query(PAGE, &[("objet", Some(id.clone()))]);
        match row.object_name.clone() {
            Some(name) => {
                let label = format!("Historique de {name}");
                view! { <br /><a href=href aria-label=label>{name}</a><br /><code class="hint">{id}</code> }.into_any()
            }
            None => {
                let label = format!("Historique de l'objet {id}");
                view! { <br /><a href=href aria-label=label><code>{id}</code></a> }.into_any()
            }
        }
    });
    view! {
        <tr>
            <th scope="row">{row.at}</th>
            <td><a href=by_actor>{row.actor}</a></td>
            <td>{row.action_label}<br /><code class="hint">{row.action}</code></td>
            <td>{row.object_type_label}{object}</td>
            <td>{row.ip.unwrap_or_else(dash)}</td>
            <td><code>{row.request_id.unwrap_or_else(dash)}</code></td>
            <td class="prewrap">{row.detail.unwrap_or_else(dash)}</td>
            {row.caisse.map(|caisse| view! { <td>{caisse}</td> })}
        </tr>
    }
}
