//! The dashboards, filtered through the URL (a plain GET form): headline figures, charts each with its table, tables,
//! every one downloadable. `/caisse/statistiques` for caisse agents and admins (a national admin chooses a caisse
//! or all of them): service level and partners too; `/partenaire/statistiques` for a structure's own agents; and
//! `/statistiques/{code}`, a caisse's yearly figures for anyone, small counts hidden.

use crate::api::statistics::{fetch_caisse_statistics, fetch_partner_statistics, fetch_public_statistics};
use crate::domain::request_kind::RequestKind;
use crate::domain::statistics::PeriodChoice;
use crate::domain::structure_kind::StructureKind;
use crate::dto::error::AppError;
use crate::dto::statistics::{Dashboard, PublicStatistics, StatsQuery, Table};
use crate::ui::components::chart::{Chart, FiguresTable};
use crate::ui::components::{ErrorSummary, FilterSelect, TextField, loaded, path_param};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CaisseStatisticsPage() -> impl IntoView {
    dashboard_page(fetch_caisse_statistics)
}

#[component]
pub fn PartnerStatisticsPage() -> impl IntoView {
    dashboard_page(fetch_partner_statistics)
}

/// A dashboard page: its filters come from the URL; 403 and 404 as pages.
fn dashboard_page<Fut>(fetch: fn(StatsQuery) -> Fut) -> impl IntoView
where
    Fut: std::future::Future<Output = Result<Dashboard, AppError>> + Send + 'static,
{
    let params = use_query_map().get_untracked();
    let query = StatsQuery::from_params(|name| params.get(name));
    view! {
        <PageTitle text="Statistiques" />
        <h1>"Statistiques"</h1>
        {loaded(fetch(query), |page| view! { <StatisticsView page /> })}
    }
}

/// A dashboard (the caisse's or a structure's): its filters, headline figures, charts and tables, each downloadable.
#[component]
pub fn StatisticsView(page: Dashboard) -> impl IntoView {
    let query = page.query.clone();
    let error = Signal::stored((!page.problems.is_empty()).then(|| AppError::Validation(page.problems.clone())));
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let periods = PeriodChoice::CHOICES.iter().map(|(code, name)| ((*code).to_owned(), (*name).to_owned())).collect();
    let years = page.years.iter().map(|y| (y.to_string(), y.to_string())).collect();
    let kinds = RequestKind::ALL.into_iter().map(|k| (k.code().to_owned(), k.short_label().to_owned())).collect();
    let structures = StructureKind::ALL.into_iter().map(|k| (k.code().to_owned(), k.label().to_owned())).collect();
    let teams: Vec<(String, String)> = page.teams.iter().map(|t| (t.id.clone(), t.label.clone())).collect();
    let caisses: Vec<(String, String)> = page.caisses.iter().map(|c| (c.id.clone(), c.label.clone())).collect();
    let caisse_select = (!caisses.is_empty())
        .then(|| view! { <FilterSelect name="caisse" label="Caisse" selected=value(&query.caisse) options=caisses unset="Toutes les caisses" /> });
    let team_select = (!teams.is_empty())
        .then(|| view! { <FilterSelect name="equipe" label="Équipe" selected=value(&query.team) options=teams unset="Toutes les équipes" /> });
    let export_query = query.clone();
    let export_path = page.path.clone();
    let exports = move |table: &Table| {
        let links = ["csv", "xlsx", "ods"].map(|format| {
            let href = export_query.export_href(&export_path, &table.code, format);
            let label = format!("Télécharger « {} » ({})", table.title, format.to_uppercase());
            view! { <li><a href=href download="">{label}</a></li> }
        });
        view! { <ul class="exports">{links.into_iter().collect_view()}</ul> }
    };
    let figure_exports = page.figures.iter().map(|f| exports(&f.table())).collect::<Vec<_>>();
    view! {
        <ErrorSummary error title="Certains filtres n'ont pas pu être appliqués" />
        <form method="get" action=page.path.clone() class="filters" aria-label="Filtrer les statistiques">
            {caisse_select}
            <FilterSelect name="periode" label="Période" selected=value(&query.period) options=periods />
            <FilterSelect name="annee" label="Année (période « une année civile »)" selected=value(&query.year) options=years />
            <TextField name="du" label="Du (période « des dates au choix »)" kind="date" error value=Signal::stored(value(&query.from)) />
            <TextField name="au" label="Au" kind="date" error value=Signal::stored(value(&query.to)) />
            <FilterSelect name="type" label="Type de demande" selected=value(&query.kind) options=kinds unset="Tous les types" />
            {team_select}
            {page.by_structure_kind.then(|| view! {
                <FilterSelect name="structure" label="Type de structure" selected=value(&query.structure_kind) options=structures unset="Tous les types de structure" />
            })}
            <button type="submit" class="button">"Afficher"</button>
        </form>
        <p class="lead">{format!("{} – {}", page.scope, page.period)}</p>
        <ul class="headlines" aria-label="Chiffres clés">
            {page.headlines.into_iter().map(|h| view! { <li><strong>{h.value}</strong>" "{h.label}</li> }).collect_view()}
        </ul>
        {page.figures.into_iter().zip(figure_exports).map(|(figure, links)| view! { <Chart figure />{links} }).collect_view()}
        {page.tables.into_iter().map(|table| {
            let links = exports(&table);
            view! { <FigureTable table />{links} }
        }).collect_view()}
        <p class="hint">
            "Délais en jours ouvrés (du lundi au vendredi, hors jours fériés), sans le temps où la caisse attendait la structure. "
            "Les chiffres portent sur des équipes et des structures, jamais sur une personne."
        </p>
    }
}

/// A table of figures, its first column naming the rows.
#[component]
fn FigureTable(table: Table) -> impl IntoView {
    let (code, title) = (table.code.clone(), table.title.clone());
    let (labelled_by, heading_id) = (format!("{code}-heading"), format!("{code}-heading"));
    view! {
        <section class="figure" id=code aria-labelledby=labelled_by>
            <h2 id=heading_id>{title}</h2>
            <FiguresTable table />
        </section>
    }
}

/// `/statistiques/{code}`: a caisse's yearly figures, for anyone (no sign-in).
#[component]
pub fn PublicStatisticsPage() -> impl IntoView {
    let code = path_param("code");
    view! {
        <PageTitle text="Statistiques publiques" />
        {loaded(fetch_public_statistics(code), |page| view! { <PublicView page /> })}
    }
}

#[component]
fn PublicView(page: PublicStatistics) -> impl IntoView {
    view! {
        <h1>{format!("Espace Partenaires : les chiffres de la {}", page.caisse)}</h1>
        <p class="lead">{format!(
            "Les demandes que les structures partenaires conventionnées ont adressées à la caisse par l'Espace Partenaires, année par année (chiffres au {}).",
            page.as_of
        )}</p>
        <p class="hint">"Pour protéger les personnes, un nombre inférieur à 10 est indiqué « < 10 ». Aucun chiffre ne désigne une structure ou une personne."</p>
        {page.tables.into_iter().map(|table| view! { <FigureTable table /> }).collect_view()}
    }
}
