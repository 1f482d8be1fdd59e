//! `/partenaire/demandes` ("Mes demandes"): the partner agent's home — the five functions, what the
//! structure's convention allows today, and the structure's latest requests.

use crate::api::homes::fetch_partner_home;
use crate::domain::role::Role;
use crate::dto::homes::PartnerHome;
use crate::dto::requests::ToDoRow;
use crate::ui::components::{EmptyState, RoleGate, loaded};
use crate::ui::page_title::PageTitle;
use crate::ui::pages::partner::history::RequestTable;
use leptos::prelude::*;

#[component]
pub fn PartnerHomePage() -> impl IntoView {
    view! {
        <PageTitle text="Mes demandes" />
        <RoleGate role=Role::PartnerAgent>
            {loaded(fetch_partner_home(), |home| view! { <PartnerHomeView home /> })}
        </RoleGate>
    }
}

fn date_fr(date: chrono::NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[component]
fn PartnerHomeView(home: PartnerHome) -> impl IntoView {
    let convention = home.convention.clone();
    // When one reason blocks every function (convention suspended, training missing), say it once, up front.
    let first_block = home.kinds.first().and_then(|f| f.blocked.clone());
    let common_block = first_block.filter(|reason| home.kinds.iter().all(|f| f.blocked.as_ref() == Some(reason)));
    let per_function = common_block.is_none();
    view! {
        <h1>{"Mes demandes"}</h1>
        <p class="lead">{format!("{} · {} · {}", home.structure_name, home.structure_kind, home.caisse_name)}</p>
        {common_block.map(|reason| view! {
            <div class="alert alert--warning" role="status">
                <p>{reason}</p>
            </div>
        })}

        <ToDo rows=home.to_do.clone() total=home.awaiting_total />

        <h2>{"Que souhaitez-vous faire ?"}</h2>
        <ul class="kinds">
            {home
                .kinds
                .into_iter()
                .map(|access| {
                    let available = access.blocked.is_none();
                    view! {
                        <li>
                            {if available {
                                view! {
                                    <a class="function-link" href=format!("/partenaire/demandes/nouvelle/{}", access.kind.path_segment())>
                                        {access.kind.label()}
                                    </a>
                                }
                                    .into_any()
                            } else {
                                view! { <strong>{access.kind.label()}</strong> }.into_any()
                            }}
                            <p>
                                <span class=if available { "badge badge--active" } else { "badge badge--suspended" }>
                                    {if available { "Disponible" } else { "Indisponible" }}
                                </span>
                            </p>
                            {access.blocked.filter(|_| per_function).map(|why| view! { <p class="hint">{why}</p> })}
                        </li>
                    }
                })
                .collect_view()}
            <li>
                <a class="function-link" href="/partenaire/historique">"Consulter l'historique des demandes et leurs statuts"</a>
                <p><span class="badge badge--active">{"Disponible"}</span></p>
            </li>
        </ul>

        <h2>{"Dernières demandes de la structure"}</h2>
        {if home.latest.is_empty() {
            view! { <EmptyState message="Aucune demande pour le moment. Les demandes envoyées par vous et vos collègues apparaîtront ici, avec leur statut." /> }.into_any()
        } else {
            view! {
                <RequestTable rows=home.latest.clone() caption="Les 5 dernières demandes de la structure" />
                <p><a href="/partenaire/historique">"Voir tout l'historique"</a></p>
            }
                .into_any()
        }}

        <h2>{"Convention de votre structure"}</h2>
        <div class="card">
            {match convention {
                None => view! { <p>{"Aucune convention enregistrée."}</p> }.into_any(),
                Some(c) => {
                    let period = match c.ends_on {
                        Some(end) => format!("du {} au {}", date_fr(c.starts_on), date_fr(end)),
                        None => format!("à partir du {}", date_fr(c.starts_on)),
                    };
                    view! {
                        <dl>
                            <dt>{"Statut"}</dt>
                            <dd>
                                <span class=format!("badge badge--{}", c.status.code())>{c.status.label()}</span>
                            </dd>
                            <dt>{"Période"}</dt>
                            <dd>{period}</dd>
                        </dl>
                    }
                        .into_any()
                }
            }}
            <h3>{"Formation"}</h3>
            <p>
                {match home.trained_on {
                    Some(day) => format!("{} {}", "Formation suivie le", date_fr(day)),
                    None => "Formation non enregistrée".to_owned(),
                }}
            </p>
        </div>
    }
}

/// The requests waiting for the structure's answer, first on the page, each with the caisse's question and a way
/// to answer it.
#[component]
fn ToDo(rows: Vec<ToDoRow>, total: u64) -> impl IntoView {
    let heading = match total {
        0 => "À traiter".to_owned(),
        1 => "À traiter : 1 demande attend votre réponse".to_owned(),
        n => format!("À traiter : {n} demandes attendent votre réponse"),
    };
    let more = (total > rows.len() as u64).then(|| {
        view! { <p><a href="/partenaire/historique?statut=awaiting_partner">{format!("Voir les {total} demandes en attente de votre réponse")}</a></p> }
    });
    view! {
        <section aria-labelledby="a-traiter">
            <h2 id="a-traiter">{heading}</h2>
            {if rows.is_empty() {
                view! { <p>{"Aucune demande n'attend votre réponse."}</p> }.into_any()
            } else {
                view! {
                    <ul class="to-do">
                        {rows
                            .into_iter()
                            .map(|row| {
                                let href = format!("/partenaire/demandes/{}#repondre", row.reference);
                                let which = format!(" à la demande {}", row.reference);
                                let about = [row.kind, row.subject, row.beneficiary].into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" · ");
                                view! {
                                    <li class="card">
                                        <p><strong>{row.reference}</strong>" · "{about}</p>
                                        {(!row.question.is_empty()).then(|| view! {
                                            <p class="hint">{format!("La caisse a écrit le {} :", row.asked_at)}</p>
                                            <blockquote>{row.question}</blockquote>
                                        })}
                                        <p><a href=href class="button">{"Répondre"}<span class="visually-hidden">{which}</span></a></p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    {more}
                }
                    .into_any()
            }}
        </section>
    }
}
