//! `/caisse/file` ("File des demandes"): the caisse agent's home — the caisse's incoming requests.

use crate::api::homes::fetch_caisse_home;
use crate::domain::role::Role;
use crate::i18n::*;
use crate::ui::components::{ErrorPanel, Loading, RoleGate};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, caisse.title) />
        <RoleGate role=Role::CaisseAgent>
            <QueueContent />
        </RoleGate>
    }
}

#[component]
fn QueueContent() -> impl IntoView {
    let i18n = use_i18n();
    let home = Resource::new(|| (), |_| fetch_caisse_home());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(home) => view! {
                        <h1>{t!(i18n, caisse.title)}</h1>
                        <p class="lead">{home.caisse_name}</p>
                        <dl class="stats">
                            <div><dt>{t!(i18n, caisse.structures)}</dt><dd>{home.structures}</dd></div>
                            <div><dt>{t!(i18n, caisse.conventions_in_force)}</dt><dd>{home.conventions_in_force}</dd></div>
                            <div><dt>{t!(i18n, caisse.partner_agents)}</dt><dd>{home.partner_agents}</dd></div>
                        </dl>
                        <div class="card empty-state">
                            <p>{t!(i18n, caisse.queue_empty)}</p>
                        </div>
                    }
                        .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
