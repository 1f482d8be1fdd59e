//! `/admin`: the administrator's overview of the caisse's partner structures and their conventions.

use crate::api::homes::fetch_admin_overview;
use crate::domain::role::Role;
use crate::dto::homes::AdminOverview;
use crate::ui::components::{DataTable, EmptyState, RoleGate, loaded};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;

#[component]
pub fn AdminOverviewPage() -> impl IntoView {
    view! {
        <PageTitle text="Administration" />
        <RoleGate role=Role::Admin>
            {loaded(fetch_admin_overview(), |overview| view! { <AdminOverviewView overview /> })}
        </RoleGate>
    }
}

#[component]
fn AdminOverviewView(overview: AdminOverview) -> impl IntoView {
    let empty = overview.structures.is_empty();
    view! {
        <h1>{"Administration"}</h1>
        <p class="lead">{overview.scope}</p>
        <dl class="stats">
            <div><dt>{"Structures"}</dt><dd>{overview.structures.len()}</dd></div>
            <div><dt>{"Comptes"}</dt><dd>{overview.accounts}</dd></div>
        </dl>
        <p><a href="/admin/conventions">"Conventions arrivant à échéance dans les 60 jours"</a>" · "<a href="/admin/structures">"Chercher ou ajouter une structure"</a>" · "<a href="/admin/comptes">"Comptes et invitations"</a></p>
        {overview.retention.map(|retention| view! {
            <section aria-labelledby="retention-title">
                <h2 id="retention-title">{"Conservation des données personnelles"}</h2>
                <p>
                    {format!(
                        "Les données des assurés sont effacées {} mois après la clôture ou le retrait de leur demande ; les décomptes des statistiques restent.",
                        retention.months,
                    )}
                </p>
                <p id="retention-due">
                    {format!("Au prochain passage : {} à effacer (closes ou retirées avant le {}).", retention.due, retention.cutoff)}
                </p>
                <p>{format!("Déjà effacées : {}.", retention.purged)}</p>
            </section>
        })}
        <h2>{"Structures partenaires"}</h2>
        {if empty {
            view! { <EmptyState message="Aucune structure partenaire n'est encore enregistrée pour cette caisse." /> }.into_any()
        } else {
            let columns = [
                "Structure",
                "Type",
                "Commune",
                "Convention",
                "Agents",
            ];
            view! {
                <DataTable id="structures-table" caption="Structures partenaires et état de leur convention" hide_caption=true columns>
                    {overview
                        .structures
                        .into_iter()
                        .map(|s| view! {
                            <tr>
                                <th scope="row"><a href=format!("/admin/structures/{}", s.id)>{s.name}</a></th>
                                <td>{s.kind}</td>
                                <td>{s.commune}</td>
                                <td>
                                    {match s.convention {
                                        Some(status) => view! {
                                            <span class=format!("badge badge--{}", status.code())>{status.label()}</span>
                                        }.into_any(),
                                        None => view! { <span>{"Aucune"}</span> }.into_any(),
                                    }}
                                </td>
                                <td>{s.agents}</td>
                            </tr>
                        })
                        .collect_view()}
                </DataTable>
            }
                .into_any()
        }}
    }
}
