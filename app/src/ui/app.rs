//! The HTML shell and the route table.

use crate::ui::assets::{Assets, IslandScripts};
use crate::ui::frame::{Frame, FramedOutlet};
use crate::ui::pages::{accessibility, account, admin, caisse, errors, exports, login, partner, password, root, security, statistics};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The page around the app. `assets`: the names of the stylesheet and of the islands' files.
pub fn shell(options: LeptosOptions, assets: Assets) -> impl IntoView {
    crate::ui::response::content_security_policy_for_page();
    view! {
        <!DOCTYPE html>
        <html lang="fr" dir="ltr">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="data:," />
                <AutoReload options=options.clone() />
                <IslandScripts assets=assets.clone() />
                <MetaTags />
            </head>
            <body>
                <App stylesheet=assets.css />
            </body>
        </html>
    }
}

/// The routes. `stylesheet`: the path of the stylesheet (hashed in a release build).
#[component]
pub fn App(#[prop(into)] stylesheet: String) -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href=stylesheet />
        <Title formatter=crate::ui::page_title::format />
        <Router>
            <Routes fallback=|| view! { <Frame><errors::NotFound /></Frame> }>
                <ParentRoute path=path!("") view=FramedOutlet>
                    <Route path=path!("") view=root::RootPage ssr=SsrMode::Async />
                    <Route path=path!("login") view=login::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("login/code") view=login::CodePage ssr=SsrMode::Async />
                    <Route path=path!("login/secours") view=login::RecoveryCodePage ssr=SsrMode::Async />
                    <Route path=path!("login/enrolement") view=login::EnrolmentPage ssr=SsrMode::Async />
                    <Route path=path!("compte/securite") view=security::SecurityPage ssr=SsrMode::Async />
                    <Route path=path!("compte/codes-de-secours") view=security::FreshCodesPage ssr=SsrMode::Async />
                    <Route path=path!("compte/notifications") view=account::NotificationsPage ssr=SsrMode::Async />
                    <Route path=path!("compte/mot-de-passe") view=account::ChangePasswordPage ssr=SsrMode::Async />
                    <Route path=path!("compte/exports/:id") view=exports::ExportPage ssr=SsrMode::Async />
                    <Route path=path!("mot-de-passe-oublie") view=password::ForgottenPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("mot-de-passe/nouveau") view=password::NewPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("compte/activer") view=password::ActivateAccountPage ssr=SsrMode::Async />
                    <Route path=path!("interdit") view=errors::Forbidden ssr=SsrMode::Async />
                    <Route path=path!("accessibilite") view=accessibility::AccessibilityPage ssr=SsrMode::Async />
                    <Route path=path!("admin/accessibilite") view=accessibility::AccessibilityEditPage ssr=SsrMode::Async />
                    <Route path=path!("partenaire/demandes") view=partner::home::PartnerHomePage ssr=SsrMode::Async />
                    <Route path=path!("partenaire/historique") view=partner::history::HistoryPageView ssr=SsrMode::Async />
                    <Route path=path!("partenaire/demandes/nouvelle/:kind") view=partner::submit::SubmissionPageView ssr=SsrMode::Async />
                    <Route path=path!("partenaire/demandes/:reference") view=partner::detail::RequestDetailPage ssr=SsrMode::Async />
                    <Route path=path!("partenaire/demandes/:reference/envoyee") view=partner::detail::ConfirmationPage ssr=SsrMode::Async />
                    <Route path=path!("caisse/file") view=caisse::triage::queue::QueuePageView ssr=SsrMode::Async />
                    <Route path=path!("caisse/demandes/:reference") view=caisse::triage::request::CaisseRequestPage ssr=SsrMode::Async />
                    <Route path=path!("caisse/reponses-types") view=caisse::setup::CannedRepliesPage ssr=SsrMode::Async />
                    <Route path=path!("caisse/agenda") view=caisse::agenda::AgendaPageView ssr=SsrMode::Async />
                    <Route path=path!("caisse/statistiques") view=statistics::CaisseStatisticsPage ssr=SsrMode::Async />
                    <Route path=path!("partenaire/statistiques") view=statistics::PartnerStatisticsPage ssr=SsrMode::Async />
                    <Route path=path!("statistiques/:code") view=statistics::PublicStatisticsPage ssr=SsrMode::Async />
                    <Route path=path!("admin") view=admin::overview::AdminOverviewPage ssr=SsrMode::Async />
                    <Route path=path!("admin/structures") view=admin::structures::StructuresPage ssr=SsrMode::Async />
                    <Route path=path!("admin/structures/:id") view=admin::structures::StructureDetailPage ssr=SsrMode::Async />
                    <Route path=path!("admin/conventions") view=admin::structures::ExpiringConventionsPage ssr=SsrMode::Async />
                    <Route path=path!("admin/comptes") view=admin::accounts::AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("admin/comptes/:id") view=admin::accounts::AccountDetailPage ssr=SsrMode::Async />
                    <Route path=path!("admin/delais") view=admin::setup::DueDatesPage ssr=SsrMode::Async />
                    <Route path=path!("admin/courriels") view=admin::outbox::UndeliveredMailPage ssr=SsrMode::Async />
                    <Route path=path!("admin/journal") view=admin::audit_log::AuditLogPage ssr=SsrMode::Async />
                    <Route path=path!("admin/accueils") view=admin::places::AccueilsListPage ssr=SsrMode::Async />
                    <Route path=path!("admin/api") view=admin::api_tokens::ApiTokensPage ssr=SsrMode::Async />
                    <Route path=path!("admin/webhooks") view=admin::webhooks::WebhooksPage ssr=SsrMode::Async />
                    <Route path=path!("admin/accueils/:id") view=admin::places::AccueilEditPageView ssr=SsrMode::Async />
                    <Route path=path!("admin/equipes") view=admin::places::TeamsListPage ssr=SsrMode::Async />
                    <Route path=path!("admin/equipes/:id") view=admin::places::TeamEditPageView ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
