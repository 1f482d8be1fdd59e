//! The statistics pages' view types: the filters as they appear in the URL, and the figures, each a chart with the
//! same numbers as a table (which the exports write out).

use super::common::{Choice, href_with_query};
use crate::domain::field_error::FieldError;
use serde::{Deserialize, Serialize};

/// A dashboard's filters, as they appear in its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatsQuery {
    /// `periode`: a code of `domain::statistics::PeriodChoice::CHOICES`.
    pub period: Option<String>,
    /// `annee`, for `periode=annee`.
    pub year: Option<String>,
    /// `du` and `au`, for `periode=dates`.
    pub from: Option<String>,
    pub to: Option<String>,
    /// `type`: a kind of request's code.
    pub kind: Option<String>,
    /// `equipe`: a team's id.
    pub team: Option<String>,
    /// `structure`: a kind of structure's code (CCAS, mission locale…).
    pub structure_kind: Option<String>,
    /// `caisse`: for a national admin, a caisse's id (empty: every caisse).
    pub caisse: Option<String>,
}

impl StatsQuery {
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> Self {
        StatsQuery {
            period: param("periode"),
            year: param("annee"),
            from: param("du"),
            to: param("au"),
            kind: param("type"),
            team: param("equipe"),
            structure_kind: param("structure"),
            caisse: param("caisse"),
        }
    }

    fn pairs(&self) -> [(&'static str, Option<String>); 8] {
        [
            ("periode", self.period.clone()),
            ("annee", self.year.clone()),
            ("du", self.from.clone()),
            ("au", self.to.clone()),
            ("type", self.kind.clone()),
            ("equipe", self.team.clone()),
            ("structure", self.structure_kind.clone()),
            ("caisse", self.caisse.clone()),
        ]
    }

    /// The export of one table (`tableau`, a [`Table::code`]) of the dashboard at `path`, in `format` (`csv`…), with
    /// these filters.
    pub fn export_href(&self, path: &str, table: &str, format: &str) -> String {
        let mut pairs = self.pairs().to_vec();
        pairs.push(("tableau", Some(table.to_owned())));
        href_with_query(&format!("{path}.{format}"), &pairs)
    }
}

/// The caisse dashboard's address.
pub const STATISTICS_PATH: &str = crate::domain::access::CAISSE_STATISTICS;
/// The partner's dashboard's address (its structure's figures).
pub const PARTNER_STATISTICS_PATH: &str = "/partenaire/statistiques";

/// How a figure is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartKind {
    /// Vertical bars, one per category (months), stacked when there are several series.
    Columns,
    /// Horizontal bars, one per category, for long names (grounds, kinds of structure).
    Bars,
    /// A line per series across the categories.
    Line,
}

/// One series of a figure: its name and a value per category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<u64>,
}

/// A figure: what a chart draws and its table transcribes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    /// Names the figure in the page (its anchor) and in the export's address.
    pub code: String,
    pub title: String,
    /// What the chart shows, in a sentence or two: the chart's `<desc>` and the text before it.
    pub summary: String,
    pub kind: ChartKind,
    /// The name of the categories' column in the table (« Mois », « Motif »…).
    pub category_header: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// The unit of the values, for the table's caption and the axis (« demandes », « jours ouvrés »).
    pub unit: String,
}

impl Figure {
    /// Whether it counts nothing at all (the page then says so instead of drawing an empty chart).
    pub fn is_empty(&self) -> bool {
        self.series.iter().all(|s| s.values.iter().all(|&v| v == 0))
    }

    /// The figure as a table: a row per category, a column per series, and a total column when several series add up.
    pub fn table(&self) -> Table {
        let stacked = self.series.len() > 1 && self.kind != ChartKind::Line;
        let mut headers = vec![self.category_header.clone()];
        headers.extend(self.series.iter().map(|s| s.name.clone()));
        if stacked {
            headers.push("Total".to_owned());
        }
        let rows = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, category)| {
                let values: Vec<u64> = self.series.iter().map(|s| s.values.get(i).copied().unwrap_or(0)).collect();
                let mut row = vec![category.clone()];
                row.extend(values.iter().map(u64::to_string));
                if stacked {
                    row.push(values.iter().sum::<u64>().to_string());
                }
                row
            })
            .collect();
        Table { code: self.code.clone(), title: format!("{} ({})", self.title, self.unit), headers, rows }
    }
}

/// A table of figures: the first column names the rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub code: String,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A headline figure at the top of a dashboard: « 4 475 » « demandes reçues ».
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub value: String,
    pub label: String,
}

/// A dashboard: the caisse's (or every caisse's), or a partner structure's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Its address: the filters' form and the downloads go there.
    pub path: String,
    /// Whether it can be narrowed to a kind of structure (the caisse's can, a structure's cannot).
    pub by_structure_kind: bool,
    /// « CPAM de l'Essonne », or « toutes les caisses ».
    pub scope: String,
    /// « les 12 derniers mois (décembre 2025 – novembre 2026) ».
    pub period: String,
    /// The filters as read (a wrong one is dropped and named in `problems`).
    pub query: StatsQuery,
    /// Only for a national admin: the caisses to choose from.
    pub caisses: Vec<Choice>,
    pub teams: Vec<Choice>,
    /// The calendar years there are figures for, newest first.
    pub years: Vec<i32>,
    pub headlines: Vec<Headline>,
    pub figures: Vec<Figure>,
    /// Figures that are tables only (service level, partners).
    pub tables: Vec<Table>,
    pub problems: Vec<FieldError>,
}

impl Dashboard {
    /// Every table of the page, charts' transcriptions included, for the exports.
    pub fn all_tables(&self) -> Vec<Table> {
        self.figures.iter().map(Figure::table).chain(self.tables.iter().cloned()).collect()
    }
}

/// A caisse's public figures (`/statistiques/{code}`): counts under ten shown as « < 10 », nothing naming anyone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStatistics {
    pub caisse: String,
    /// « 02/12/2026 »: the day the figures were read.
    pub as_of: String,
    pub tables: Vec<Table>,
}
