//! The caisse's figures, each counted by the database (`GROUP BY`, never rows loaded to be counted here): requests
//! received per month and by origin, MAS referrals by ground, outcomes, service level per kind, the open backlog by
//! age, and its partners. Caisse agents and admins see their own caisse; a national admin one caisse or all of them.
//! Teams only, never a ranking of agents.

use crate::domain::appointment::AppointmentStatus;
use crate::domain::convention::ConventionStatus;
use crate::domain::due_date::DueDatePolicy;
use crate::domain::field_error::FieldError;
use crate::domain::request_details::DifficultyGround;
use crate::domain::request_kind::RequestKind;
use crate::domain::request_lifecycle::{Resolution, Status};
use crate::domain::role::Role;
use crate::domain::statistics::{
    AGE_BANDS, DayRange, ENDING_WITHIN_DAYS, Histogram, Month, PeriodChoice, Share, USUAL_DELAY_DAYS, count_label, dormant_before,
};
use crate::domain::structure_kind::StructureKind;
use crate::dto::common::Choice;
use crate::dto::error::AppError;
use crate::dto::statistics::{
    ChartKind, Dashboard, Figure, Headline, PARTNER_STATISTICS_PATH, PublicStatistics, STATISTICS_PATH, Series, StatsQuery, Table,
};
use crate::server::audit::{self, Actor, Entry};
use crate::server::context::RequestContext;
use crate::server::entities::{account, appointment, caisse, convention, partner_structure, request};
use crate::server::spreadsheet::{self, Format, Sheet};
use crate::server::time_fr::start_of_day;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use futures::TryFutureExt;
use sea_orm::sea_query::{Alias, CaseStatement, Cond, Expr, ExprTrait, Func, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder};

/// Whose figures are counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Caisse {
        id: String,
        name: String,
    },
    /// Every caisse (national admins only).
    National,
    /// One partner structure's requests (its own agents).
    Structure {
        id: String,
        name: String,
    },
}

/// The filters as read: the period and the optional narrowing by kind, team and kind of structure.
#[derive(Clone, Debug)]
pub(crate) struct Filters {
    pub scope: Scope,
    pub period: PeriodChoice,
    pub kind: Option<RequestKind>,
    pub team: Option<String>,
    pub structure_kind: Option<StructureKind>,
}

/// The caisse dashboard for whoever asks: caisse agents and admins of one caisse, or a national admin.
pub async fn caisse_statistics(cx: &RequestContext, query: &StatsQuery) -> Result<Dashboard, AppError> {
    let (filters, problems, caisses, teams, query) = read_filters(cx, query).await?;
    let today = cx.today();
    let db = cx.db();
    // Each figure is its own query: asked all at once, each on its own connection of the pool.
    let (per_month, (backlog, overdue), origin, grounds, outcome, appointments, delay, (service, within), partners) = futures::try_join!(
        received_per_month(db, &filters, today).err_into::<AppError>(),
        backlog(db, &filters, today, cx.now).err_into::<AppError>(),
        received_by_origin(db, &filters, today).err_into::<AppError>(),
        mas_grounds(db, &filters, today).err_into::<AppError>(),
        outcomes(db, &filters, today).err_into::<AppError>(),
        appointments_outcomes(db, &filters, today).err_into::<AppError>(),
        answer_delay_per_month(db, &filters, today).err_into::<AppError>(),
        service_level(db, &filters, today).err_into::<AppError>(),
        partners(db, &filters, today).err_into::<AppError>(),
    )?;
    let received: u64 = per_month.series.iter().flat_map(|s| s.values.iter()).sum();
    let open: u64 = backlog.series.iter().flat_map(|s| s.values.iter()).sum();
    let figures = vec![per_month, origin, grounds, outcome, appointments, backlog, delay];
    let headlines = vec![
        Headline { value: count_label(received), label: "demandes reçues sur la période".to_owned() },
        Headline {
            value: within.map_or_else(|| "–".to_owned(), |share| share.to_string()),
            label: "des premières réponses dans le délai".to_owned(),
        },
        Headline { value: count_label(open), label: "demandes en cours aujourd'hui".to_owned() },
        Headline { value: count_label(overdue), label: "en retard aujourd'hui".to_owned() },
    ];
    Ok(Dashboard {
        path: STATISTICS_PATH.to_owned(),
        by_structure_kind: true,
        scope: match &filters.scope {
            Scope::Caisse { name, .. } | Scope::Structure { name, .. } => name.clone(),
            Scope::National => "Toutes les caisses".to_owned(),
        },
        period: filters.period.label(today),
        query,
        caisses,
        teams,
        years: crate::domain::statistics::years(today).rev().collect(),
        headlines,
        figures,
        tables: vec![service, partners],
        problems,
    })
}

type ReadFilters = (Filters, Vec<FieldError>, Vec<Choice>, Vec<Choice>, StatsQuery);

/// Reads the URL's filters for the signed-in person: a filter that cannot be read is named in the problems and
/// left out (the page shows the figures without it), never guessed.
async fn read_filters(cx: &RequestContext, query: &StatsQuery) -> Result<ReadFilters, AppError> {
    let user = &cx.user;
    let db = cx.db();
    let today = cx.today();
    let mut problems = vec![];
    let mut kept = query.clone();
    if !crate::domain::access::may_see_caisse_statistics(user.role) {
        return Err(AppError::Forbidden);
    }
    let (scope, caisses) = match (user.role, &user.caisse_id) {
        (Role::CaisseAgent | Role::Admin, Some(own)) => {
            kept.caisse = None;
            (Scope::Caisse { id: own.clone(), name: caisse_name(db, own).await? }, vec![])
        }
        (Role::Admin, None) => {
            let all: Vec<Choice> = caisse::Entity::find()
                .order_by_asc(caisse::Column::Name)
                .all(db)
                .await?
                .into_iter()
                .map(|c| Choice { id: c.id, label: c.name })
                .collect();
            let chosen = query.caisse.as_deref().filter(|id| !id.is_empty());
            let scope = match chosen {
                None => Scope::National,
                Some(id) => match all.iter().find(|c| c.id == id) {
                    Some(found) => Scope::Caisse { id: found.id.clone(), name: found.label.clone() },
                    None => {
                        problems.push(FieldError::new("caisse", "Choisissez une caisse dans la liste."));
                        kept.caisse = None;
                        Scope::National
                    }
                },
            };
            (scope, all)
        }
        _ => return Err(AppError::Forbidden),
    };
    let period = read_period(query, today, &mut problems);
    let kind = read_kind(query, &mut problems);
    kept.kind = kind.map(|k| k.code().to_owned());
    let structure_kind = query.structure_kind.as_deref().filter(|k| !k.is_empty()).and_then(|code| StructureKind::parse(code).ok());
    if query.structure_kind.as_deref().is_some_and(|k| !k.is_empty()) && structure_kind.is_none() {
        problems.push(FieldError::new("structure", "Choisissez un type de structure dans la liste."));
        kept.structure_kind = None;
    }
    let teams: Vec<Choice> = match &scope {
        Scope::Caisse { id, .. } => crate::server::setup::teams_of(db, id).await?.into_iter().map(|t| Choice { id: t.id, label: t.name }).collect(),
        Scope::National | Scope::Structure { .. } => vec![],
    };
    let team = query.team.as_deref().filter(|t| !t.is_empty()).and_then(|id| teams.iter().find(|t| t.id == id)).map(|t| t.id.clone());
    if query.team.as_deref().is_some_and(|t| !t.is_empty()) && team.is_none() {
        problems.push(FieldError::new("equipe", "Choisissez une équipe de la caisse."));
        kept.team = None;
    }
    Ok((Filters { scope, period, kind, team, structure_kind }, problems, caisses, teams, kept))
}

/// The period the filters choose; the last twelve months, and the problem said, when they cannot be read.
fn read_period(query: &StatsQuery, today: NaiveDate, problems: &mut Vec<FieldError>) -> PeriodChoice {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    PeriodChoice::parse(&text(&query.period), &text(&query.year), &text(&query.from), &text(&query.to), today).unwrap_or_else(|found| {
        problems.extend(found);
        PeriodChoice::Last12Months
    })
}

/// The kind of request the filters choose, if any; none, and the problem said, when it cannot be read.
fn read_kind(query: &StatsQuery, problems: &mut Vec<FieldError>) -> Option<RequestKind> {
    let code = query.kind.as_deref().filter(|k| !k.is_empty())?;
    RequestKind::parse(code).map_err(|_| problems.push(FieldError::new("type", "Choisissez un type de demande dans la liste."))).ok()
}

async fn caisse_name(db: &impl ConnectionTrait, id: &str) -> Result<String, AppError> {
    caisse::Entity::find_by_id(id.to_owned()).one(db).await?.map(|c| c.name).ok_or(AppError::NotFound)
}

fn column(name: request::Column) -> Expr {
    Expr::col((request::Entity, name))
}

/// `requests` narrowed to the scope and the filters (not the period: each figure says which date it counts by).
fn requests_where(select: &mut SelectStatement, filters: &Filters) {
    select.from(request::Entity);
    match &filters.scope {
        Scope::Caisse { id, .. } => select.and_where(column(request::Column::CaisseId).eq(id.as_str())),
        Scope::Structure { id, .. } => select.and_where(column(request::Column::StructureId).eq(id.as_str())),
        Scope::National => select,
    };
    if let Some(kind) = filters.kind {
        select.and_where(column(request::Column::Kind).eq(kind.code()));
    }
    if let Some(team) = &filters.team {
        select.and_where(column(request::Column::TeamId).eq(team.as_str()));
    }
    if let Some(kind) = filters.structure_kind {
        select.and_where(
            column(request::Column::StructureId).in_subquery(
                Query::select()
                    .column(partner_structure::Column::Id)
                    .from(partner_structure::Entity)
                    .and_where(Expr::col(partner_structure::Column::Kind).eq(kind.code()))
                    .to_owned(),
            ),
        );
    }
}

/// `column` within the period's days (Paris time).
fn within(select: &mut SelectStatement, name: request::Column, days: DayRange) {
    select.and_where(column(name).gte(start_of_day(days.from))).and_where(column(name).lt(start_of_day(days.end())));
}

/// The month (0, 1…) an instant falls in, counted by the database against the months' starts (Paris time).
fn month_index(name: request::Column, months: &[Month]) -> SimpleExpr {
    let starts: Vec<NaiveDate> = months.iter().map(|m| m.first_day()).collect();
    bucket_index(name, &starts)
}

/// The bucket (0, 1…) an instant falls in, given the buckets' first days (Paris time), oldest first; the first
/// bucket takes what comes before, the last what comes after.
fn bucket_index(name: request::Column, starts: &[NaiveDate]) -> SimpleExpr {
    // One bucket (a period's first days, such as the 2nd of the month by week): no WHEN to write, and `CASE ELSE … END`
    // is not SQL.
    if starts.len() <= 1 {
        return Expr::val(0i64);
    }
    let mut case = CaseStatement::new();
    for (index, start) in starts.iter().enumerate().skip(1) {
        case = case.case(column(name).lt(start_of_day(*start)), Expr::val(index as i64 - 1));
    }
    case.finally(Expr::val(starts.len() as i64 - 1)).into()
}

/// Runs `select` and reads each row as `T`.
async fn rows<T: FromQueryResult>(db: &impl ConnectionTrait, select: &SelectStatement) -> Result<Vec<T>, DbErr> {
    T::find_by_statement(db.get_database_backend().build(select)).all(db).await
}

#[derive(FromQueryResult)]
struct KeyCount {
    key: String,
    count: i64,
}

#[derive(FromQueryResult)]
struct IndexKeyCount {
    index: i64,
    key: String,
    count: i64,
}

fn count_star() -> SimpleExpr {
    Func::count(Expr::col(sea_orm::sea_query::Asterisk)).into()
}

fn as_u64(count: i64) -> u64 {
    u64::try_from(count).unwrap_or(0)
}

/// Requests received per month, a series per kind (stacked).
async fn received_per_month(db: &impl ConnectionTrait, filters: &Filters, today: NaiveDate) -> Result<Figure, DbErr> {
    let days = filters.period.days(today);
    let months = days.months();
    let mut select = Query::select();
    requests_where(&mut select, filters);
    within(&mut select, request::Column::CreatedAt, days);
    select
        .expr_as(month_index(request::Column::CreatedAt, &months), Alias::new("index"))
        .expr_as(column(request::Column::Kind), Alias::new("key"))
        .expr_as(count_star(), Alias::new("count"))
        .add_group_by([Expr::col(Alias::new("index")), Expr::col(Alias::new("key"))]);
    let counted: Vec<IndexKeyCount> = rows(db, &select).await?;
    let kinds: Vec<RequestKind> = RequestKind::ALL.into_iter().filter(|k| filters.kind.is_none_or(|only| only == *k)).collect();
    let series: Vec<Series> = kinds
        .iter()
        .map(|kind| Series {
            name: kind.short_label().to_owned(),
            values: (0..months.len())
                .map(|m| counted.iter().filter(|r| r.index == m as i64 && r.key == kind.code()).map(|r| as_u64(r.count)).sum())
                .collect(),
        })
        .collect();
    let total: u64 = series.iter().flat_map(|s| s.values.iter()).sum();
    let busiest = (0..months.len()).max_by_key(|&m| (series.iter().map(|s| s.values[m]).sum::<u64>(), std::cmp::Reverse(m)));
    let mut summary = format!("{} demandes reçues sur la période.", count_label(total));
    if let Some(m) = busiest.filter(|_| total > 0) {
        let count: u64 = series.iter().map(|s| s.values[m]).sum();
        summary.push_str(&format!(" Le mois le plus chargé : {} ({} demandes).", months[m].long_label(), count_label(count)));
    }
    Ok(Figure {
        code: "demandes-par-mois".to_owned(),
        title: "Demandes reçues par mois, par type".to_owned(),
        summary,
        kind: ChartKind::Columns,
        category_header: "Mois".to_owned(),
        categories: months.iter().map(|m| m.short_label()).collect(),
        series,
        unit: "demandes".to_owned(),
    })
}

/// A single-series horizontal bar figure from (name, count), largest first.
fn ranked(code: &str, title: &str, header: &str, mut counts: Vec<(String, u64)>, what: &str) -> Figure {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total: u64 = counts.iter().map(|(_, c)| c).sum();
    let summary = match counts.first().filter(|_| total > 0) {
        Some((first, count)) => format!(
            "{} {what} en tout ; en tête : {first} ({}, {}).",
            count_label(total),
            count_label(*count),
            Share::of(*count, total).map(|s| s.to_string()).unwrap_or_default()
        ),
        None => format!("Aucune {what} sur la période."),
    };
    Figure {
        code: code.to_owned(),
        title: title.to_owned(),
        summary,
        kind: ChartKind::Bars,
        category_header: header.to_owned(),
        categories: counts.iter().map(|(name, _)| name.clone()).collect(),
        series: vec![Series { name: "Nombre".to_owned(), values: counts.iter().map(|(_, c)| *c).collect() }],
        unit: what.to_owned(),
    }
}

/// Requests received by the kind of structure that sent them.
async fn received_by_origin(db: &impl ConnectionTrait, filters: &Filters, today: NaiveDate) -> Result<Figure, DbErr> {
    let mut select = Query::select();
    requests_where(&mut select, filters);
    within(&mut select, request::Column::CreatedAt, filters.period.days(today));
    select
        .inner_join(
            partner_structure::Entity,
            Expr::col((partner_structure::Entity, partner_structure::Column::Id)).equals((request::Entity, request::Column::StructureId)),
        )
        .expr_as(Expr::col((partner_structure::Entity, partner_structure::Column::Kind)), Alias::new("key"))
        .expr_as(count_star(), Alias::new("count"))
        .add_group_by([Expr::col((partner_structure::Entity, partner_structure::Column::Kind))]);
    let counted: Vec<KeyCount> = rows(db, &select).await?;
    let counts = counted
        .into_iter()
        .map(|r| (StructureKind::parse(&r.key).map_or_else(|_| r.key.clone(), |k| k.label().to_owned()), as_u64(r.count)))
        .collect();
    Ok(ranked("demandes-par-origine", "Demandes reçues par type de structure", "Type de structure", counts, "demandes"))
}

/// MAS referrals received, by difficulty ground (a referral may give several).
async fn mas_grounds(db: &impl ConnectionTrait, filters: &Filters, today: NaiveDate) -> Result<Figure, DbErr> {
    let mut select = Query::select();
    requests_where(&mut select, filters);
    within(&mut select, request::Column::CreatedAt, filters.period.days(today));
    select.and_where(column(request::Column::Kind).eq(RequestKind::MasReferral.code()));
    // One count per ground, in one pass, from the referral's grounds key (`|digital|other|`, `Details::grounds_key`).
    for ground in DifficultyGround::ALL {
        let cited: SimpleExpr = CaseStatement::new()
            .case(column(request::Column::MasGrounds).like(format!("%|{}|%", ground.code())), Expr::cust("1"))
            .finally(Expr::cust("0"))
            .into();
        select.expr_as(Func::sum(cited), Alias::new(ground.code()));
    }
    let row = db.query_one(&select).await?;
    let counts = DifficultyGround::ALL
        .into_iter()
        .map(|g| {
            let count = row.as_ref().and_then(|r| r.try_get::<Option<i64>>("", g.code()).ok().flatten()).unwrap_or(0);
            (g.label().to_owned(), as_u64(count))
        })
        .collect();
    Ok(ranked("motifs-mas", "Saisines MAS par motif de difficulté", "Motif", counts, "motifs cités"))
}

/// Requests closed or withdrawn in the period, by outcome.
async fn outcomes(db: &impl ConnectionTrait, filters: &Filters, today: NaiveDate) -> Result<Figure, DbErr> {
    let mut select = Query::select();
    requests_where(&mut select, filters);
    within(&mut select, request::Column::ClosedAt, filters.period.days(today));
    select
        .expr_as(column(request::Column::Status), Alias::new("key"))
        .expr_as(count_star(), Alias::new("count"))
        .add_group_by([column(request::Column::Status)]);
    let counted: Vec<KeyCount> = rows(db, &select).await?;
    let of = |status: Status| counted.iter().filter(|r| r.key == status.code()).map(|r| as_u64(r.count)).sum::<u64>();
    let counts = [
        ("Résolues", Status::Closed(Resolution::Resolved)),
        ("Hors du champ de la caisse", Status::Closed(Resolution::RejectedOutOfScope)),
        ("Doublons", Status::Closed(Resolution::Duplicate)),
        ("Retirées par la structure", Status::Withdrawn),
    ]
    .into_iter()
    .map(|(name, status)| (name.to_owned(), of(status)))
    .collect();
    Ok(ranked("issues", "Issue des demandes clôturées sur la période", "Issue", counts, "demandes clôturées"))
}

/// Appointments of the period, held or missed.
async fn appointments_outcomes(db: &impl ConnectionTrait, filters: &Filters, today: NaiveDate) -> Result<Figure, DbErr> {
    let days = filters.period.days(today);
    let mut select = Query::select();
    requests_where(&mut select, filters);
    select
        .inner_join(
            appointment::Entity,
            Expr::col((appointment::Entity, appointment::Column::RequestId)).equals((request::Entity, request::Column::Id)),
        )
        .and_where(Expr::col((appointment::Entity, appointment::Column::StartsAt)).gte(start_of_day(days.from)))
        .and_where(Expr::col((appointment::Entity, appointment::Column::StartsAt)).lt(start_of_day(days.end())))
        .expr_as(Expr::col((appointment::Entity, appointment::Column::Status)), Alias::new("key"))
        .expr_as(count_star(), Alias::new("count"))
        .add_group_by([Expr::col((appointment::Entity, appointment::Column::Status))]);
    let counted: Vec<KeyCount> = rows(db, &select).await?;
    let of = |status: AppointmentStatus| counted.iter().filter(|r| r.key == status.code()).map(|r| as_u64(r.count)).sum::<u64>();
    let counts = vec![("Honorés".to_owned(), of(AppointmentStatus::Held)), ("Manqués".to_owned(), of(AppointmentStatus::Missed))];
    Ok(ranked("rendez-vous", "Rendez-vous de la période, honorés ou manqués", "Rendez-vous", counts, "rendez-vous"))
}

/// The open backlog today by age band (calendar days since sent), and how many are past their due date.
async fn backlog(db: &impl ConnectionTrait, filters: &Filters, today: NaiveDate, now: DateTime<Utc>) -> Result<(Figure, u64), DbErr> {
    let mut band = CaseStatement::new();
    for (index, (_, until, _)) in AGE_BANDS.iter().enumerate() {
        if let Some(until) = until {
            band = band.case(column(request::Column::CreatedAt).gt(now - Duration::days(i64::from(*until))), Expr::val(index as i64));
        }
    }
    let band: SimpleExpr = band.finally(Expr::val(AGE_BANDS.len() as i64 - 1)).into();
    let overdue: SimpleExpr = CaseStatement::new().case(column(request::Column::DueOn).lt(today), Expr::cust("1")).finally(Expr::cust("0")).into();
    let mut select = Query::select();
    requests_where(&mut select, filters);
    select
        .and_where(request::is_open())
        .expr_as(band, Alias::new("index"))
        .expr_as(Func::sum(overdue), Alias::new("overdue"))
        .expr_as(count_star(), Alias::new("count"))
        .add_group_by([Expr::col(Alias::new("index"))]);
    #[derive(FromQueryResult)]
    struct Band {
        index: i64,
        overdue: Option<i64>,
        count: i64,
    }
    let counted: Vec<Band> = rows(db, &select).await?;
    let overdue = counted.iter().map(|b| as_u64(b.overdue.unwrap_or(0))).sum();
    let values: Vec<u64> = (0..AGE_BANDS.len()).map(|i| counted.iter().filter(|b| b.index == i as i64).map(|b| as_u64(b.count)).sum()).collect();
    let open: u64 = values.iter().sum();
    let figure = Figure {
        code: "en-cours".to_owned(),
        title: "Demandes en cours aujourd'hui, par ancienneté".to_owned(),
        summary: format!(
            "{} demandes en cours, dont {} en retard sur leur date d'échéance ; {} envoyées il y a plus de 30 jours.",
            count_label(open),
            count_label(overdue),
            count_label(values.last().copied().unwrap_or(0))
        ),
        kind: ChartKind::Bars,
        category_header: "Ancienneté".to_owned(),
        categories: AGE_BANDS.iter().map(|(_, _, name)| (*name).to_owned()).collect(),
        series: vec![Series { name: "Demandes en cours".to_owned(), values }],
        unit: "demandes".to_owned(),
    };
    Ok((figure, overdue))
}

/// The first answers' delay month by month: median and 90th percentile, in business days (a line each).
async fn answer_delay_per_month(db: &impl ConnectionTrait, filters: &Filters, today: NaiveDate) -> Result<Figure, DbErr> {
    let days = filters.period.days(today);
    let months = days.months();
    let mut select = Query::select();
    requests_where(&mut select, filters);
    within(&mut select, request::Column::FirstAnswerAt, days);
    select
        .and_where(column(request::Column::FirstAnswerDays).is_not_null())
        .expr_as(month_index(request::Column::FirstAnswerAt, &months), Alias::new("index"))
        .expr_as(column(request::Column::FirstAnswerDays), Alias::new("days"))
        .expr_as(count_star(), Alias::new("count"))
        .add_group_by([Expr::col(Alias::new("index")), column(request::Column::FirstAnswerDays)]);
    #[derive(FromQueryResult)]
    struct MonthDelay {
        index: i64,
        days: i32,
        count: i64,
    }
    let counted: Vec<MonthDelay> = rows(db, &select).await?;
    let histograms: Vec<Histogram> = (0..months.len())
        .map(|m| Histogram::new(counted.iter().filter(|r| r.index == m as i64).map(|r| (u32::try_from(r.days).unwrap_or(0), as_u64(r.count)))))
        .collect();
    let series = |name: &str, percent: u32| Series {
        name: name.to_owned(),
        values: histograms.iter().map(|h| u64::from(h.percentile(percent).unwrap_or(0))).collect(),
    };
    let all = Histogram::new(counted.iter().map(|r| (u32::try_from(r.days).unwrap_or(0), as_u64(r.count))));
    let summary = match (all.median(), all.percentile(90)) {
        (Some(median), Some(ninety)) => format!(
            "Sur la période, la moitié des premières réponses sont venues en {} au plus, 9 sur 10 en {} (un mois sans réponse compte 0).",
            days_label(Some(median)),
            days_label(Some(ninety))
        ),
        _ => "Aucune première réponse sur la période.".to_owned(),
    };
    Ok(Figure {
        code: "delai-par-mois".to_owned(),
        title: "Délai de première réponse, mois par mois".to_owned(),
        summary,
        kind: ChartKind::Line,
        category_header: "Mois".to_owned(),
        categories: months.iter().map(|m| m.short_label()).collect(),
        series: vec![series("Médiane", 50), series("9 sur 10 en", 90)],
        unit: "jours ouvrés".to_owned(),
    })
}

/// Per kind: the budget, the first answers of the period (how many within the due date, median and 90th percentile
/// in business days), and the requests closed in it (median and 90th percentile on the caisse's clock). Returns the
/// overall share of first answers within the due date too.
async fn service_level(db: &impl ConnectionTrait, filters: &Filters, today: NaiveDate) -> Result<(Table, Option<Share>), AppError> {
    let days = filters.period.days(today);
    let mut answered = Query::select();
    requests_where(&mut answered, filters);
    within(&mut answered, request::Column::FirstAnswerAt, days);
    answered
        .and_where(column(request::Column::FirstAnswerDays).is_not_null())
        .expr_as(column(request::Column::Kind), Alias::new("kind"))
        .expr_as(column(request::Column::FirstAnswerDays), Alias::new("days"))
        .expr_as(Expr::cust("SUM(CASE WHEN requests.answered_on_time THEN 1 ELSE 0 END)"), Alias::new("on_time"))
        .expr_as(count_star(), Alias::new("count"))
        .add_group_by([column(request::Column::Kind), column(request::Column::FirstAnswerDays)]);
    let mut closed = Query::select();
    requests_where(&mut closed, filters);
    within(&mut closed, request::Column::ClosedAt, days);
    closed
        .and_where(column(request::Column::ClosingDays).is_not_null())
        .expr_as(column(request::Column::Kind), Alias::new("kind"))
        .expr_as(column(request::Column::ClosingDays), Alias::new("days"))
        .expr_as(Expr::cust("CAST(0 AS BIGINT)"), Alias::new("on_time"))
        .expr_as(count_star(), Alias::new("count"))
        .add_group_by([column(request::Column::Kind), column(request::Column::ClosingDays)]);
    #[derive(FromQueryResult)]
    struct Delay {
        kind: String,
        days: i32,
        on_time: Option<i64>,
        count: i64,
    }
    let answers: Vec<Delay> = rows(db, &answered).await?;
    let closings: Vec<Delay> = rows(db, &closed).await?;
    let policy = match &filters.scope {
        Scope::Caisse { id, .. } => Some(crate::server::setup::due_date_policy(db, id).await?),
        Scope::National | Scope::Structure { .. } => None,
    };
    let histogram = |delays: &[Delay], kind: Option<RequestKind>| {
        Histogram::new(
            delays.iter().filter(|d| kind.is_none_or(|k| d.kind == k.code())).map(|d| (u32::try_from(d.days).unwrap_or(0), as_u64(d.count))),
        )
    };
    let on_time = |kind: Option<RequestKind>| -> u64 {
        answers.iter().filter(|d| kind.is_none_or(|k| d.kind == k.code())).map(|d| as_u64(d.on_time.unwrap_or(0))).sum()
    };
    let kinds: Vec<Option<RequestKind>> =
        RequestKind::ALL.into_iter().filter(|k| filters.kind.is_none_or(|only| only == *k)).map(Some).chain([None]).collect();
    let rows = kinds
        .into_iter()
        .map(|kind| {
            let first = histogram(&answers, kind);
            let closing = histogram(&closings, kind);
            let budget = match (kind, policy) {
                (Some(kind), Some(policy)) => days_label(Some(DueDatePolicy::days_for(&policy, kind))),
                (Some(_), None) => "selon la caisse".to_owned(),
                (None, _) => "–".to_owned(),
            };
            vec![
                kind.map_or_else(|| "Tous types".to_owned(), |k| k.short_label().to_owned()),
                budget,
                count_label(first.total()),
                Share::of(on_time(kind), first.total()).map_or_else(|| "–".to_owned(), |s| s.to_string()),
                days_label(first.median()),
                days_label(first.percentile(90)),
                count_label(closing.total()),
                days_label(closing.median()),
                days_label(closing.percentile(90)),
            ]
        })
        .collect();
    let all = histogram(&answers, None);
    let table = Table {
        code: "delais".to_owned(),
        title: "Délais de traitement, en jours ouvrés".to_owned(),
        headers: [
            "Type de demande",
            "Délai cible",
            "Premières réponses",
            "Dont dans le délai",
            "Première réponse : médiane",
            "Première réponse : 9 sur 10 en",
            "Demandes clôturées",
            "Clôture : médiane",
            "Clôture : 9 sur 10 en",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    };
    Ok((table, Share::of(on_time(None), all.total())))
}

/// The partners: conventions in force and ending soon, structures without a request for six months, partner
/// agents trained or not.
async fn partners(db: &impl ConnectionTrait, filters: &Filters, today: NaiveDate) -> Result<Table, DbErr> {
    let lines = partner_counts(db, filters, today).await?;
    Ok(Table {
        code: "partenaires".to_owned(),
        title: format!("Partenaires au {}", today.format("%d/%m/%Y")),
        headers: vec!["Indicateur".to_owned(), "Nombre".to_owned()],
        rows: lines.into_iter().map(|(name, count)| vec![name, count_label(count)]).collect(),
    })
}

/// The partners' counts, named, conventions in force first.
async fn partner_counts(db: &impl ConnectionTrait, filters: &Filters, today: NaiveDate) -> Result<Vec<(String, u64)>, DbErr> {
    let caisse = match &filters.scope {
        Scope::Caisse { id, .. } => Some(id.as_str()),
        Scope::National | Scope::Structure { .. } => None,
    };
    let structures = || {
        let mut select = Query::select();
        select.column(partner_structure::Column::Id).from(partner_structure::Entity);
        if let Some(caisse) = caisse {
            select.and_where(Expr::col(partner_structure::Column::CaisseId).eq(caisse));
        }
        if let Some(kind) = filters.structure_kind {
            select.and_where(Expr::col(partner_structure::Column::Kind).eq(kind.code()));
        }
        select
    };
    let count = |mut select: SelectStatement| async move {
        select.clear_selects();
        select.expr_as(count_star(), Alias::new("count"));
        let found: Option<Count> = Count::find_by_statement(db.get_database_backend().build(&select)).one(db).await?;
        Ok::<u64, DbErr>(found.map_or(0, |c| as_u64(c.count)))
    };
    #[derive(FromQueryResult)]
    struct Count {
        count: i64,
    }
    let in_force = |select: &mut SelectStatement| {
        select
            .from(convention::Entity)
            .and_where(Expr::col(convention::Column::StructureId).in_subquery(structures()))
            .and_where(Expr::col(convention::Column::Status).is_in([ConventionStatus::Signed, ConventionStatus::Active]))
            .and_where(Expr::col(convention::Column::StartsOn).lte(today))
            .cond_where(Cond::any().add(Expr::col(convention::Column::EndsOn).is_null()).add(Expr::col(convention::Column::EndsOn).gte(today)));
    };
    let mut conventions = Query::select();
    in_force(&mut conventions);
    let mut ending = Query::select();
    in_force(&mut ending);
    ending.and_where(Expr::col(convention::Column::EndsOn).lte(today + Duration::days(ENDING_WITHIN_DAYS)));
    let all_structures = structures();
    let mut dormant = structures();
    dormant.and_where(
        Expr::col((partner_structure::Entity, partner_structure::Column::Id)).not_in_subquery(
            Query::select()
                .column(request::Column::StructureId)
                .from(request::Entity)
                .and_where(column(request::Column::CreatedAt).gte(start_of_day(dormant_before(today))))
                .to_owned(),
        ),
    );
    let agents = |trained: bool| {
        let mut select = Query::select();
        select
            .from(account::Entity)
            .and_where(Expr::col(account::Column::Role).eq(Role::PartnerAgent.code()))
            .and_where(Expr::col(account::Column::Active).eq(true))
            .and_where(Expr::col(account::Column::StructureId).in_subquery(structures()))
            .and_where(if trained { Expr::col(account::Column::TrainedOn).is_not_null() } else { Expr::col(account::Column::TrainedOn).is_null() });
        select
    };
    Ok(vec![
        ("Conventions en vigueur".to_owned(), count(conventions).await?),
        (format!("Dont se terminant dans les {ENDING_WITHIN_DAYS} jours"), count(ending).await?),
        ("Structures partenaires".to_owned(), count(all_structures).await?),
        ("Dont sans demande depuis 6 mois (dormantes)".to_owned(), count(dormant).await?),
        ("Agents partenaires formés".to_owned(), count(agents(true)).await?),
        ("Agents partenaires pas encore formés".to_owned(), count(agents(false)).await?),
    ])
}

/// One table of a dashboard the signed-in person just read (`table`: its code) as a file in `format`, with the scope
/// and period as a last line: (file name, bytes). Audited with the table's name, the format and the period.
pub async fn export(cx: &RequestContext, page: Dashboard, table: &str, format: Format) -> Result<(String, Vec<u8>), AppError> {
    let query = &page.query;
    let table = page.all_tables().into_iter().find(|t| t.code == table).ok_or(AppError::NotFound)?;
    let note = format!("{} – {}", page.scope, page.period);
    let bytes = spreadsheet::write(format, &Sheet { headers: &table.headers, rows: &table.rows, note: &note })?;
    let caisse = cx.user.caisse_id.clone().or_else(|| query.caisse.clone().filter(|id| page.caisses.iter().any(|c| &c.id == id)));
    let entry = match &cx.user.structure_id {
        Some(structure) => Entry::new(Actor::signed_in(&cx.user), "statistics.exported", "structure", Some(structure.clone())),
        None => Entry::new(Actor::signed_in(&cx.user), "statistics.exported", "caisse", caisse.clone()),
    }
    .in_caisse(caisse);
    let detail = format!("{} ({}) ; {} ; {}", table.title, format.extension().to_uppercase(), page.scope, page.period);
    audit::record(cx.db(), entry.detail(detail), &cx.origin, cx.now).await?;
    Ok((format!("statistiques-{}.{}", table.code, format.extension()), bytes))
}

/// A partner structure's dashboard, for its own agents: its requests per month and kind, their outcomes, and the
/// caisse's usual answer delay per kind. Filters: the period and the kind.
pub async fn partner_statistics(cx: &RequestContext, query: &StatsQuery) -> Result<Dashboard, AppError> {
    let user = &cx.user;
    let (Role::PartnerAgent, Some(structure_id), Some(caisse_id)) = (user.role, &user.structure_id, &user.caisse_id) else {
        return Err(AppError::Forbidden);
    };
    let db = cx.db();
    let today = cx.today();
    let name = user.organisation.clone().unwrap_or_default();
    let mut problems = vec![];
    let period = read_period(query, today, &mut problems);
    let kind = read_kind(query, &mut problems);
    let kept = StatsQuery { kind: kind.map(|k| k.code().to_owned()), team: None, structure_kind: None, caisse: None, ..query.clone() };
    let filters =
        Filters { scope: Scope::Structure { id: structure_id.clone(), name: name.clone() }, period, kind, team: None, structure_kind: None };
    let (per_month, outcomes, delays) = futures::try_join!(
        received_per_month(db, &filters, today).err_into::<AppError>(),
        outcomes(db, &filters, today).err_into::<AppError>(),
        usual_delays(db, caisse_id, today).err_into::<AppError>()
    )?;
    let sent: u64 = per_month.series.iter().flat_map(|s| s.values.iter()).sum();
    let closed: u64 = outcomes.series.iter().flat_map(|s| s.values.iter()).sum();
    let rows = delays
        .iter()
        .filter(|(k, _)| kind.is_none_or(|only| only == *k))
        .map(|(k, histogram)| {
            vec![k.short_label().to_owned(), count_label(histogram.total()), days_label(histogram.median()), days_label(histogram.percentile(90))]
        })
        .collect();
    let table = Table {
        code: "delai-habituel".to_owned(),
        title: format!("Délai habituel de première réponse de la caisse, en jours ouvrés ({} derniers jours)", USUAL_DELAY_DAYS),
        headers: ["Type de demande", "Premières réponses", "Médiane", "9 sur 10 en"].map(str::to_owned).to_vec(),
        rows,
    };
    Ok(Dashboard {
        path: PARTNER_STATISTICS_PATH.to_owned(),
        by_structure_kind: false,
        scope: name,
        period: period.label(today),
        query: kept,
        caisses: vec![],
        teams: vec![],
        years: crate::domain::statistics::years(today).rev().collect(),
        headlines: vec![
            Headline { value: count_label(sent), label: "demandes envoyées sur la période".to_owned() },
            Headline { value: count_label(closed), label: "demandes clôturées sur la période".to_owned() },
        ],
        figures: vec![per_month, outcomes],
        tables: vec![table],
        problems,
    })
}

/// « 1 jour », « 4 jours », « – » when nothing was counted.
fn days_label(days: Option<u32>) -> String {
    days.map_or_else(|| "–".to_owned(), |d| if d < 2 { format!("{d} jour") } else { format!("{d} jours") })
}

/// The caisse's first answers of the last [`USUAL_DELAY_DAYS`] days, per kind, as histograms of business days.
pub(crate) async fn usual_delays(db: &impl ConnectionTrait, caisse_id: &str, today: NaiveDate) -> Result<Vec<(RequestKind, Histogram)>, DbErr> {
    let mut select = Query::select();
    select
        .from(request::Entity)
        .and_where(column(request::Column::CaisseId).eq(caisse_id))
        .and_where(column(request::Column::FirstAnswerAt).gte(start_of_day(today - Duration::days(USUAL_DELAY_DAYS))))
        .and_where(column(request::Column::FirstAnswerDays).is_not_null())
        .expr_as(column(request::Column::Kind), Alias::new("key"))
        .expr_as(column(request::Column::FirstAnswerDays), Alias::new("days"))
        .expr_as(count_star(), Alias::new("count"))
        .add_group_by([column(request::Column::Kind), column(request::Column::FirstAnswerDays)]);
    #[derive(FromQueryResult)]
    struct KindDelay {
        key: String,
        days: i32,
        count: i64,
    }
    let counted: Vec<KindDelay> = rows(db, &select).await?;
    Ok(RequestKind::ALL
        .into_iter()
        .map(|kind| {
            let pairs = counted.iter().filter(|r| r.key == kind.code()).map(|r| (u32::try_from(r.days).unwrap_or(0), as_u64(r.count)));
            (kind, Histogram::new(pairs))
        })
        .collect())
}

/// What a submission form says before the partner sends: « Délai habituel de réponse : 2 jours ouvrés » (the median
/// of the caisse's first answers to this kind over the last 90 days), or nothing when there were none.
pub async fn usual_delay_line(db: &impl ConnectionTrait, caisse_id: &str, kind: RequestKind, today: NaiveDate) -> Result<Option<String>, DbErr> {
    let delays = usual_delays(db, caisse_id, today).await?;
    Ok(delays.into_iter().find(|(k, _)| *k == kind).and_then(|(_, histogram)| {
        let median = histogram.median()?;
        let ninety = histogram.percentile(90)?;
        Some(format!(
            "Délai habituel de réponse : {} ouvrés (la moitié des demandes de ce type ont eu une première réponse en {} au plus, 9 sur 10 en {}, sur les {USUAL_DELAY_DAYS} derniers jours).",
            days_label(Some(median)),
            days_label(Some(median)),
            days_label(Some(ninety))
        ))
    }))
}

/// Each caisse's public figures, read once a day: anyone may ask for them, as often as they like, and they move
/// slowly (yearly counts). A caisse code that names no caisse is never kept.
#[derive(Debug, Default)]
pub struct PublicFigures {
    kept: std::sync::Mutex<std::collections::HashMap<String, (NaiveDate, PublicStatistics)>>,
}

impl PublicFigures {
    /// The figures of the caisse `code` on `today`: kept ones of the same day, or read now.
    pub async fn of(&self, db: &impl ConnectionTrait, code: &str, today: NaiveDate) -> Result<PublicStatistics, AppError> {
        let kept =
            self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(code).filter(|(day, _)| *day == today).map(|(_, f)| f.clone());
        if let Some(figures) = kept {
            return Ok(figures);
        }
        let figures = public_statistics(db, code, today).await?;
        self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(code.to_owned(), (today, figures.clone()));
        Ok(figures)
    }
}

/// A caisse's yearly figures for anyone (`/statistiques/{code}`): requests received per year and kind (MAS referrals
/// among them), the share of first answers within the due date, and the conventions in force. Every count under
/// [`PUBLIC_THRESHOLD`](crate::domain::statistics::PUBLIC_THRESHOLD) reads « < 10 », and nothing names a structure
/// or a person.
async fn public_statistics(db: &impl ConnectionTrait, code: &str, today: NaiveDate) -> Result<PublicStatistics, AppError> {
    use crate::domain::statistics::PublicCount;
    let caisse = caisse::Entity::find().filter(caisse::Column::Code.eq(code)).one(db).await?.ok_or(AppError::NotFound)?;
    let years: Vec<i32> = crate::domain::statistics::years(today).collect();
    let starts: Vec<NaiveDate> = years.iter().filter_map(|y| NaiveDate::from_ymd_opt(*y, 1, 1)).collect();
    let first = starts.first().copied().unwrap_or(today);
    let mut received = Query::select();
    received
        .from(request::Entity)
        .and_where(column(request::Column::CaisseId).eq(caisse.id.as_str()))
        .and_where(column(request::Column::CreatedAt).gte(start_of_day(first)))
        .expr_as(bucket_index(request::Column::CreatedAt, &starts), Alias::new("index"))
        .expr_as(column(request::Column::Kind), Alias::new("key"))
        .expr_as(count_star(), Alias::new("count"))
        .add_group_by([Expr::col(Alias::new("index")), Expr::col(Alias::new("key"))]);
    let received: Vec<IndexKeyCount> = rows(db, &received).await?;
    let mut answered = Query::select();
    answered
        .from(request::Entity)
        .and_where(column(request::Column::CaisseId).eq(caisse.id.as_str()))
        .and_where(column(request::Column::FirstAnswerAt).gte(start_of_day(first)))
        .and_where(column(request::Column::AnsweredOnTime).is_not_null())
        .expr_as(bucket_index(request::Column::FirstAnswerAt, &starts), Alias::new("index"))
        .expr_as(Expr::cust("CASE WHEN requests.answered_on_time THEN 'yes' ELSE 'no' END"), Alias::new("key"))
        .expr_as(count_star(), Alias::new("count"))
        .add_group_by([Expr::col(Alias::new("index")), Expr::col(Alias::new("key"))]);
    let answered: Vec<IndexKeyCount> = rows(db, &answered).await?;
    let count = |counted: &[IndexKeyCount], year: usize, key: Option<&str>| -> u64 {
        counted.iter().filter(|r| r.index == year as i64 && key.is_none_or(|k| r.key == k)).map(|r| as_u64(r.count)).sum()
    };
    let shown = |n: u64| PublicCount::of(n).to_string();
    let mut headers = vec!["Année".to_owned()];
    headers.extend(RequestKind::ALL.iter().map(|k| k.short_label().to_owned()));
    headers.push("Total".to_owned());
    let received_rows = years
        .iter()
        .enumerate()
        .rev()
        .map(|(i, year)| {
            let mut row = vec![year.to_string()];
            row.extend(RequestKind::ALL.iter().map(|k| shown(count(&received, i, Some(k.code())))));
            row.push(shown(count(&received, i, None)));
            row
        })
        .collect();
    let answered_rows = years
        .iter()
        .enumerate()
        .rev()
        .map(|(i, year)| {
            let (on_time, all) = (count(&answered, i, Some("yes")), count(&answered, i, None));
            // A share of fewer than ten answers could point at a person: said as such.
            let share = if all < crate::domain::statistics::PUBLIC_THRESHOLD {
                "moins de 10 réponses".to_owned()
            } else {
                Share::of(on_time, all).map_or_else(|| "–".to_owned(), |s| s.to_string())
            };
            vec![year.to_string(), shown(all), share]
        })
        .collect();
    let filters = Filters {
        scope: Scope::Caisse { id: caisse.id.clone(), name: caisse.name.clone() },
        period: PeriodChoice::ThisMonth,
        kind: None,
        team: None,
        structure_kind: None,
    };
    let in_force = partner_counts(db, &filters, today).await?.first().map_or(0, |(_, count)| *count);
    Ok(PublicStatistics {
        caisse: caisse.name,
        as_of: today.format("%d/%m/%Y").to_string(),
        tables: vec![
            Table {
                code: "demandes-par-annee".to_owned(), title: "Demandes reçues par année et par type".to_owned(), headers, rows: received_rows
            },
            Table {
                code: "reponses-dans-le-delai".to_owned(),
                title: "Premières réponses de la caisse dans le délai annoncé, par année".to_owned(),
                headers: ["Année", "Premières réponses", "Dans le délai"].map(str::to_owned).to_vec(),
                rows: answered_rows,
            },
            Table {
                code: "conventions".to_owned(),
                title: format!("Conventions de partenariat en vigueur au {}", today.format("%d/%m/%Y")),
                headers: ["Indicateur", "Nombre"].map(str::to_owned).to_vec(),
                rows: vec![vec!["Conventions en vigueur".to_owned(), shown(in_force)]],
            },
        ],
    })
}
