//! `/caisse/file` ("File des demandes"): the caisse agent's home — the caisse's incoming requests.

use crate::api::homes::{CaisseHome, fetch_caisse_home};
use crate::domain::role::Role;
use crate::i18n::*;
use crate::ui::components::{RoleGate, loaded};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, caisse.title) />
        <RoleGate role=Role::CaisseAgent>
            {|| loaded(fetch_caisse_home, |home| view! { <QueueView home /> })}
        </RoleGate>
    }
}

#[component]
fn QueueView(home: CaisseHome) -> impl IntoView {
    let i18n = use_i18n();
    view! {
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
}
