//! The French 404 and 403 pages, with the matching HTTP status when rendered on the server.

use crate::ui::page_title::PageTitle;
use crate::ui::response;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    response::not_found();
    view! { <ErrorCard title="Page introuvable" text="La page demandée n'existe pas ou n'est plus disponible. Vérifiez l'adresse, ou revenez à l'accueil." /> }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    response::forbidden();
    view! { <ErrorCard title="Accès refusé" text="Cette page est réservée à un autre profil que le vôtre. Si vous pensez qu'il s'agit d'une erreur, contactez l'administrateur de votre caisse." /> }
}

#[component]
fn ErrorCard(title: &'static str, text: &'static str) -> impl IntoView {
    view! {
        <PageTitle text=title />
        <div class="card narrow">
            <h1>{title}</h1>
            <p>{text}</p>
            <p><a href="/">{"Revenir à l'accueil"}</a></p>
        </div>
    }
}
