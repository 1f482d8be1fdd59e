//! The frame around every page: skip link, header with navigation and sign-out, main landmark, footer.

use crate::api::auth::{Logout, current_user};
use crate::domain::role::Role;
use crate::dto::auth::SessionUser;
use crate::dto::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

/// The signed-in person (or nobody), loaded once per page load and shared with every page below the frame.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<SessionUser>, AppError>>);

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
    let i18n = use_i18n();
    let user = Resource::new_blocking(|| (), |_| current_user());
    provide_context(CurrentUser(user));
    view! {
        <a class="skip-link" href="#contenu">{t!(i18n, site.skip_link)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    {t!(i18n, site.name)}
                    <span>{t!(i18n, site.tagline)}</span>
                </a>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(user)) => view! { <SignedInHeader user /> }.into_any(),
                            _ => ().into_any(),
                        }
                    })}
                </Transition>
            </div>
        </header>
        <main id="contenu" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{t!(i18n, site.footer)}</p>
        </footer>
    }
}

#[component]
fn SignedInHeader(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    let mut links: Vec<(&'static str, &'static str)> = match user.role {
        Role::PartnerAgent => vec![(Role::PartnerAgent.home(), t_string!(i18n, nav.my_requests)), ("/partenaire/historique", "Historique")],
        Role::CaisseAgent => vec![(Role::CaisseAgent.home(), t_string!(i18n, nav.queue)), ("/caisse/reponses-types", "Réponses types")],
        Role::Admin => vec![
            (Role::Admin.home(), t_string!(i18n, nav.admin)),
            ("/admin/structures", "Structures"),
            ("/admin/comptes", "Comptes"),
            ("/admin/delais", "Délais"),
            ("/admin/courriels", "Courriels"),
            ("/admin/accueils", "Accueils"),
            ("/admin/equipes", "Équipes"),
            ("/admin/journal", "Journal"),
        ],
    };
    links.push(("/compte/notifications", "Notifications"));
    let logout = ServerAction::<Logout>::new();
    let who = match &user.organisation {
        Some(org) => format!("{} ({org})", user.display_name),
        None => user.display_name.clone(),
    };
    view! {
        <nav class="main-nav" aria-label=t_string!(i18n, site.nav_label)>
            <ul>
                {links
                    .iter()
                    .map(|&(href, label)| {
                        // A link whose path starts another's (`/admin` and `/admin/structures`) is current only on
                        // itself, so that one link at a time says where the person is.
                        let exact = links.iter().any(|(other, _)| other.len() > href.len() && other.starts_with(href));
                        view! { <li><A href=href exact>{label}</A></li> }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <div class="user-box">
            <span>
                <span class="visually-hidden">{t!(i18n, site.signed_in_as)} " "</span>
                {who}
            </span>
            <A href="/compte/mot-de-passe">"Changer de mot de passe"</A>
            <ActionForm action=logout>
                <button type="submit" class="button button--secondary">
                    {t!(i18n, site.logout)}
                </button>
            </ActionForm>
        </div>
    }
}
