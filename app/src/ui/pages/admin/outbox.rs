//! `/admin/courriels`: e-mails that did not go out (given up, or still failing), each with a button to send it again.

use crate::api::outbox::{SendMailAgain, fetch_undelivered_mail};
use crate::domain::role::Role;
use crate::dto::outbox::UndeliveredMail;
use crate::ui::components::{DataTable, EmptyState, ErrorSummary, RoleGate, action_error, loaded};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UndeliveredMailPage() -> impl IntoView {
    view! {
        <PageTitle text="Courriels non distribués" />
        <RoleGate role=Role::Admin>
            <h1>"Courriels non distribués"</h1>
            {loaded(fetch_undelivered_mail(), |rows| view! { <UndeliveredList rows /> })}
        </RoleGate>
    }
}

#[component]
fn UndeliveredList(rows: Vec<UndeliveredMail>) -> impl IntoView {
    let again = ServerAction::<SendMailAgain>::new();
    let error = action_error(again);
    let query = use_query_map();
    let done = move || query.read().get("fait").is_some();
    view! {
        <p class="lead">"Les e-mails que le serveur de messagerie a refusés : ils sont réessayés automatiquement, puis abandonnés après huit tentatives."</p>
        <Show when=done><div class="alert alert--success" role="status"><p>"Le courriel repartira dans quelques secondes."</p></div></Show>
        <ErrorSummary error title="Le courriel n'a pas été remis en file" />
        {if rows.is_empty() {
            view! { <EmptyState message="Aucun courriel en souffrance : tout est parti." /> }.into_any()
        } else {
            view! {
                <DataTable
                    id="outbox-table"
                    caption="Courriels non distribués, les plus récents d'abord"
                    columns=["Destinataire", "Objet", "État", "Tentatives", "Dernière erreur", "Action"]
                >
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <td>{row.recipient}</td>
                            <td>{row.subject.clone()}<br /><span class="hint">{row.queued_at}</span></td>
                            <td>{row.state}</td>
                            <td>{row.attempts}</td>
                            <td>{row.last_error}</td>
                            <td>
                                <ActionForm action=again>
                                    <input type="hidden" name="id" value=row.id />
                                    <button type="submit" class="button button--secondary">{format!("Renvoyer « {} »", row.subject)}</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            }.into_any()
        }}
    }
}
