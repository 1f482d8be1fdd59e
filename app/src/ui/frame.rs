//! The frame around every page: skip link, header with navigation and sign-out, main landmark, footer.

use crate::api::auth::{Logout, session_user};
use crate::domain::access::CAISSE_STATISTICS;
use crate::domain::role::Role;
use crate::dto::auth::SessionUser;
use crate::dto::statistics::PARTNER_STATISTICS_PATH;
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

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
    view! {
        <a class="skip-link" href="#contenu">{"Aller au contenu principal"}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    {"Espace Partenaires"}
                    <span>{"Extranet des partenaires de l'Assurance Maladie"}</span>
                </a>
                {user.map(|user| view! { <SignedInHeader user /> })}
            </div>
        </header>
        <main id="contenu" tabindex="-1">
            {children()}
        </main>
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
            (CAISSE_STATISTICS, "Statistiques"),
        ],
    };
    links.push(("/compte/notifications", "Notifications"));
    let logout = ServerAction::<Logout>::new();
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
                        view! { <li><A href=href exact>{label}{count}</A></li> }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <div class="user-box">
            <span>
                <span class="visually-hidden">{"Connecté(e) :"} " "</span>
                {who}
            </span>
            <A href="/compte/mot-de-passe">"Changer de mot de passe"</A>
            <ActionForm action=logout>
                <button type="submit" class="button button--secondary">
                    {"Se déconnecter"}
                </button>
            </ActionForm>
        </div>
    }
}
