//! `/admin`: the administrator's overview of the caisse's partner structures and their conventions.

use crate::api::homes::fetch_admin_overview;
use crate::domain::role::Role;
use crate::dto::homes::AdminOverview;
use crate::i18n::*;
use crate::ui::components::{DataTable, EmptyState, RoleGate, loaded};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;

#[component]
pub fn AdminOverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=t_string!(i18n, admin.title) />
        <RoleGate role=Role::Admin>
            {|| loaded(fetch_admin_overview, |overview| view! { <AdminOverviewView overview /> })}
        </RoleGate>
    }
}

#[component]
fn AdminOverviewView(overview: AdminOverview) -> impl IntoView {
    let i18n = use_i18n();
    let empty = overview.structures.is_empty();
    view! {
        <h1>{t!(i18n, admin.title)}</h1>
        <p class="lead">{overview.scope}</p>
        <dl class="stats">
            <div><dt>{t!(i18n, admin.structures_count)}</dt><dd>{overview.structures.len()}</dd></div>
            <div><dt>{t!(i18n, admin.accounts)}</dt><dd>{overview.accounts}</dd></div>
        </dl>
        <p><a href="/admin/conventions">"Conventions arrivant à échéance dans les 60 jours"</a>" · "<a href="/admin/structures">"Chercher ou ajouter une structure"</a>" · "<a href="/admin/comptes">"Comptes et invitations"</a></p>
        <h2>{t!(i18n, admin.structures_title)}</h2>
        {if empty {
            view! { <EmptyState message=t_string!(i18n, admin.empty) /> }.into_any()
        } else {
            let columns = [
                t_string!(i18n, admin.col_name),
                t_string!(i18n, admin.col_kind),
                t_string!(i18n, admin.col_commune),
                t_string!(i18n, admin.col_convention),
                t_string!(i18n, admin.col_agents),
            ];
            view! {
                <DataTable id="structures-table" caption=t_string!(i18n, admin.structures_caption) hide_caption=true columns>
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
                                        None => view! { <span>{t!(i18n, admin.no_convention)}</span> }.into_any(),
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
