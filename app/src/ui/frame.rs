//! The frame around every page: skip link, header with navigation and sign-out, main landmark, footer.

use crate::api::auth::{Logout, session_user};
use crate::api::security::KeepSession;
use crate::domain::access::CAISSE_STATISTICS;
use crate::domain::role::Role;
use crate::dto::auth::SessionUser;
use crate::dto::statistics::PARTNER_STATISTICS_PATH;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_location;

/// The signed-in person (or nobody), read once per page from the request and shared with every page below the frame.
#[derive(Clone)]
pub struct CurrentUser(pub Option<SessionUser>);

/// The frame with the matched child route inside.
#[component]
pub fn FramedOutlet() -> impl IntoView {
    view! {
        <Frame>
            <Outlet />
        </Frame>
    }
}

#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let user = session_user();
    provide_context(CurrentUser(user.clone()));
    let header_user = user.clone();
    view! {
        <a class="skip-link" href="#contenu">{"Aller au contenu principal"}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    {"Espace Partenaires"}
                    <span>{"Extranet des partenaires de l'Assurance Maladie"}</span>
                </a>
                {header_user.map(|user| view! { <SignedInHeader user /> })}
            </div>
        </header>
        <main id="contenu" tabindex="-1">
            {children()}
        </main>
        {user.map(|user| view! { <SessionTimer user /> })}
        <footer class="site-footer">
            <p>{"Espace Partenaires — échanges sécurisés entre les caisses d'Assurance Maladie et leurs partenaires conventionnés."}</p>
            <p><a href="/accessibilite">{crate::domain::accessibility::CONFORMITY}</a></p>
        </footer>
    }
}

#[component]
fn SignedInHeader(user: SessionUser) -> impl IntoView {
    let mut links: Vec<(&'static str, &'static str)> = match user.role {
        Role::PartnerAgent => {
            vec![(Role::PartnerAgent.home(), "Mes demandes"), ("/partenaire/historique", "Historique"), (PARTNER_STATISTICS_PATH, "Statistiques")]
        }
        Role::CaisseAgent => {
            vec![
                (Role::CaisseAgent.home(), "File des demandes"),
                ("/caisse/agenda", "Agenda"),
                ("/caisse/reponses-types", "Réponses types"),
                (CAISSE_STATISTICS, "Statistiques"),
            ]
        }
        Role::Admin => vec![
            (Role::Admin.home(), "Administration"),
            ("/admin/structures", "Structures"),
            ("/admin/comptes", "Comptes"),
            ("/admin/delais", "Délais"),
            ("/admin/courriels", "Courriels"),
            ("/admin/accueils", "Accueils"),
            ("/admin/equipes", "Équipes"),
            ("/admin/conventions", "Conventions"),
            ("/admin/journal", "Journal"),
            ("/admin/api", "API"),
            ("/admin/webhooks", "Webhooks"),
            (CAISSE_STATISTICS, "Statistiques"),
        ],
    };
    links.push(("/compte/notifications", "Notifications"));
    let logout = ServerAction::<Logout>::new();
    // Pages are rendered once, on the server: the path is read once (plain links, no router link's signals).
    let here = use_location().pathname.get_untracked();
    let who = match &user.organisation {
        Some(org) => format!("{} ({org})", user.display_name),
        None => user.display_name.clone(),
    };
    view! {
        <nav class="main-nav" aria-label="Navigation principale">
            <ul>
                {links
                    .iter()
                    .map(|&(href, label)| {
                        // A link whose path starts another's (`/admin` and `/admin/structures`) is current only on
                        // itself, so that one link at a time says where the person is.
                        let exact = links.iter().any(|(other, _)| other.len() > href.len() && other.starts_with(href));
                        // A partner's requests awaiting the structure's answer are counted next to its home.
                        let count = (href == Role::PartnerAgent.home() && user.awaiting_answer > 0).then(|| {
                            view! {
                                " "
                                <span class="nav-count">
                                    {user.awaiting_answer}
                                    <span class="visually-hidden">{" à traiter"}</span>
                                </span>
                            }
                        });
                        view! { <li><a href=href aria-current=current(&here, href, exact)>{label}{count}</a></li> }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <div class="user-box">
            <span>
                <span class="visually-hidden">{"Connecté(e) :"} " "</span>
                {who}
            </span>
            <a href=SECURITY_PATH aria-current=current(&here, SECURITY_PATH, false)>"Sécurité du compte"</a>
            <ActionForm action=logout>
                <button type="submit" class="button button--secondary">
                    {"Se déconnecter"}
                </button>
            </ActionForm>
        </div>
    }
}

/// The account's security page, linked from every signed-in page.
const SECURITY_PATH: &str = "/compte/securite";

/// `aria-current="page"` for the link to `href` seen from `here`: on that page, or (unless `exact`) below it.
fn current(here: &str, href: &str, exact: bool) -> Option<&'static str> {
    let below = !exact && here.strip_prefix(href).is_some_and(|rest| rest.starts_with('/'));
    (here == href || below).then_some("page")
}

/// The idle time-out, said before it strikes (RGAA 13.1). Every signed-in page shows until when the session lasts
/// with a button that extends it (a form: it works without JavaScript); with JavaScript, two minutes before the end an
/// alert dialog offers to stay (`assets/session_timer.js`, inline with the page's nonce: no WebAssembly for it).
#[component]
fn SessionTimer(user: SessionUser) -> impl IntoView {
    let keep = ServerAction::<KeepSession>::new();
    let logout = ServerAction::<Logout>::new();
    let nonce = leptos::nonce::use_nonce();
    let warning = crate::domain::session_policy::SessionPolicy::WARNING.num_seconds();
    let until = user.idle_deadline_shown.clone();
    view! {
        <aside class="session-timer" aria-label="Durée de la session" data-session-remaining=user.idle_remaining data-session-warning=warning>
            <ActionForm action=keep>
                <p>
                    "Session active jusqu'à " <span data-session-until>{user.idle_deadline_shown}</span>
                    " sans activité. "
                    <button type="submit" class="button button--secondary button--small">"Prolonger la session"</button>
                </p>
            </ActionForm>
            <div id="session-warning" class="session-warning" role="alertdialog" aria-modal="true" aria-labelledby="session-warning-title" aria-describedby="session-warning-text" hidden>
                <div class="session-warning__box">
                    <h2 id="session-warning-title">"Votre session va bientôt expirer"</h2>
                    <p id="session-warning-text">
                        "Sans action de votre part, vous serez déconnecté(e) à " <span data-session-until>{until}</span>
                        ". Ce que vous saisissez sera conservé si vous devez vous reconnecter, sauf les fichiers joints."
                    </p>
                    <button type="button" class="button" data-session-keep>"Rester connecté"</button>
                    " "
                    <ActionForm action=logout attr:class="inline-form">
                        <button type="submit" class="button button--secondary">"Se déconnecter"</button>
                    </ActionForm>
                </div>
            </div>
        </aside>
        <script nonce=nonce>{include_str!("assets/session_timer.js")}</script>
    }
}
