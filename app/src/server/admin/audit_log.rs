//! The audit log read back: the admin's search (newest first, keyset pages by id — UUID v7, so by time), the CSV
//! export (itself audited), and the retention purge. Nothing else updates or deletes an entry.

use crate::domain::audit_log;
use crate::domain::csv::{CsvDocument, EXPORT_MAX_ROWS};
use crate::domain::period::Period;
use crate::domain::reference::Reference;
use crate::dto::admin::audit_log::{AuditLine, AuditPage, AuditQuery};
use crate::dto::error::AppError;
use crate::server::admin::{admin, in_scope, invalid};
use crate::server::audit::Actor;
use crate::server::audit::{self, Entry};
use crate::server::auth::SignedIn;
use crate::server::context::RequestContext;
use crate::server::entities::{audit_event, caisse, request};
use crate::server::time_fr;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select};
use std::collections::HashMap;

/// Entries on one page.
pub const PER_PAGE: u64 = 50;

/// Rows read at a time while exporting, so that a large export never holds its entries all at once.
const EXPORT_BATCH: u64 = 2_000;

/// The filters, checked: what the admin typed, trimmed, with the period turned into UTC bounds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    actor: Option<String>,
    object: Option<String>,
    object_type: Option<String>,
    action: Option<String>,
    /// Entries at or after this instant (the first day's Paris midnight).
    since: Option<DateTime<Utc>>,
    /// Entries before this instant (the Paris midnight after the last day).
    until: Option<DateTime<Utc>>,
}

fn given(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

impl Filter {
    /// The filters of a query; a wrong date is a field error on `du` or `au`.
    pub fn parse(query: &AuditQuery) -> Result<Filter, AppError> {
        let period = Period::parse(query.from.as_deref().unwrap_or(""), query.to.as_deref().unwrap_or("")).map_err(invalid)?;
        Ok(Filter {
            actor: given(&query.actor),
            object: given(&query.object),
            object_type: given(&query.object_type),
            action: given(&query.action),
            since: period.from.map(time_fr::start_of_day),
            until: period.to.and_then(|day| day.succ_opt()).map(time_fr::start_of_day),
        })
    }

    /// What the filters keep, as a condition on `audit_events`.
    fn condition(&self) -> Condition {
        use audit_event::Column;
        let mut condition = Condition::all();
        if let Some(actor) = &self.actor {
            let pattern = format!("%{}%", like_escaped(&actor.to_lowercase()));
            condition = condition.add(Expr::expr(Func::lower(Expr::col(Column::ActorLabel))).like(LikeExpr::new(pattern).escape('\\')));
        }
        if let Some(object) = &self.object {
            let mut same_object = Condition::any().add(Column::ObjectId.eq(object.clone()));
            if let Some(reference) = Reference::parse(object) {
                let request_ids =
                    request::Entity::find().select_only().column(request::Column::Id).filter(request::Column::Reference.eq(reference.to_string()));
                same_object = same_object.add(Column::ObjectId.in_subquery(request_ids.into_query()));
            }
            condition = condition.add(same_object);
        }
        if let Some(object_type) = &self.object_type {
            condition = condition.add(Column::ObjectType.eq(object_type.clone()));
        }
        if let Some(action) = &self.action {
            condition = condition.add(Expr::col(Column::Action).like(LikeExpr::new(format!("{}%", like_escaped(action))).escape('\\')));
        }
        if let Some(since) = self.since {
            condition = condition.add(Column::OccurredAt.gte(since));
        }
        if let Some(until) = self.until {
            condition = condition.add(Column::OccurredAt.lt(until));
        }
        condition
    }

    /// The filters in words, for the export's own audit entry.
    fn describe(&self) -> String {
        let parts: Vec<String> = [
            ("acteur", self.actor.clone()),
            ("objet", self.object.clone()),
            ("type", self.object_type.clone()),
            ("action", self.action.clone()),
            ("depuis", self.since.map(|t| t.to_rfc3339())),
            ("avant", self.until.map(|t| t.to_rfc3339())),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| format!("{name}={v}")))
        .collect();
        if parts.is_empty() { "sans filtre".to_owned() } else { parts.join(", ") }
    }
}

/// `text` matched literally inside a LIKE pattern (with `\` as the escape character).
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Where a page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// The newest entries.
    First,
    /// Entries older than this id.
    Older(String),
    /// Entries newer than this id.
    Newer(String),
}

impl Cursor {
    /// The position a query asks for (`apres` wins over `avant`).
    pub fn of(query: &AuditQuery) -> Cursor {
        match (given(&query.after), given(&query.before)) {
            (Some(after), _) => Cursor::Older(after),
            (None, Some(before)) => Cursor::Newer(before),
            (None, None) => Cursor::First,
        }
    }
}

fn visible(user: &SignedIn, filter: &Filter) -> Select<audit_event::Entity> {
    audit_event::Entity::find().filter(in_scope(user, audit_event::Column::CaisseId)).filter(filter.condition())
}

/// The page of entries the admin may read that match `filter`, newest first, from `cursor`. Reading is not audited.
pub async fn search(cx: &RequestContext, filter: &Filter, cursor: Cursor, per_page: u64) -> Result<AuditPage, AppError> {
    let db = cx.db();
    let user = &cx.user;
    admin(user)?;
    let query = visible(user, filter);
    let limit = per_page + 1;
    let (rows, older, newer) = match &cursor {
        Cursor::Newer(id) => {
            let mut rows =
                query.clone().filter(audit_event::Column::Id.gt(id.clone())).order_by_asc(audit_event::Column::Id).limit(limit).all(db).await?;
            if rows.len() as u64 > per_page {
                rows.truncate(per_page as usize);
                rows.reverse();
                let older = rows.last().map(|r| r.id.clone());
                let newer = rows.first().map(|r| r.id.clone());
                (rows, older, newer)
            } else {
                // Back at the newest entries: the first page, full.
                first_page(db, query, per_page).await?
            }
        }
        Cursor::Older(id) => {
            let mut rows = query.filter(audit_event::Column::Id.lt(id.clone())).order_by_desc(audit_event::Column::Id).limit(limit).all(db).await?;
            let more = rows.len() as u64 > per_page;
            rows.truncate(per_page as usize);
            let older = more.then(|| rows.last().map(|r| r.id.clone())).flatten();
            let newer = rows.first().map(|r| r.id.clone()).or_else(|| Some(id.clone()));
            (rows, older, newer)
        }
        Cursor::First => first_page(db, query, per_page).await?,
    };
    let names = caisse_names(db, user).await?;
    let objects = object_names(db, &rows).await?;
    Ok(AuditPage {
        scope: scope_name(user, &names),
        all_caisses: user.caisse_id.is_none(),
        rows: rows.into_iter().map(|row| line(row, user, &names, &objects)).collect(),
        older,
        newer,
        retention_months: audit_log::DEFAULT_RETENTION_MONTHS,
    })
}

type Rows = (Vec<audit_event::Model>, Option<String>, Option<String>);

async fn first_page(db: &DatabaseConnection, query: Select<audit_event::Entity>, per_page: u64) -> Result<Rows, DbErr> {
    let mut rows = query.order_by_desc(audit_event::Column::Id).limit(per_page + 1).all(db).await?;
    let more = rows.len() as u64 > per_page;
    rows.truncate(per_page as usize);
    let older = more.then(|| rows.last().map(|r| r.id.clone())).flatten();
    Ok((rows, older, None))
}

async fn caisse_names(db: &DatabaseConnection, user: &SignedIn) -> Result<HashMap<String, String>, DbErr> {
    let caisses = match &user.caisse_id {
        Some(own) => caisse::Entity::find_by_id(own.clone()).all(db).await?,
        None => caisse::Entity::find().all(db).await?,
    };
    Ok(caisses.into_iter().map(|c| (c.id, c.name)).collect())
}

fn scope_name(user: &SignedIn, names: &HashMap<String, String>) -> String {
    match &user.caisse_id {
        Some(own) => names.get(own).cloned().unwrap_or_default(),
        None => "toutes les caisses".to_owned(),
    }
}

/// Where each kind of object keeps the name people know it by (a request: its reference).
const OBJECT_LABELS: [(&str, &str, &str); 9] = [
    ("request", "requests", "reference"),
    ("account", "accounts", "first_name || ' ' || last_name || ' (' || email || ')'"),
    ("structure", "partner_structures", "name"),
    ("convention", "conventions", "'Convention de ' || (SELECT name FROM partner_structures WHERE partner_structures.id = conventions.structure_id)"),
    ("team", "teams", "name"),
    ("accueil", "accueils", "name"),
    ("caisse", "caisses", "name"),
    ("canned_reply", "canned_replies", "title"),
    ("attachment", "attachments", "file_name"),
];

#[derive(sea_orm::FromQueryResult)]
struct ObjectName {
    object_type: String,
    id: String,
    label: Option<String>,
}

/// The names of the objects the entries are about, by (type, id), in one query (a `UNION ALL` of one select per
/// kind present); an object deleted since keeps showing its id.
async fn object_names(db: &DatabaseConnection, rows: &[audit_event::Model]) -> Result<HashMap<(String, String), String>, DbErr> {
    use sea_orm::FromQueryResult;
    use sea_orm::sea_query::{Alias, Query, SelectStatement, UnionType};
    let mut selects: Vec<SelectStatement> = vec![];
    for (kind, table, label) in OBJECT_LABELS {
        let ids: Vec<String> = rows.iter().filter(|r| r.object_type == kind).filter_map(|r| r.object_id.clone()).collect();
        if ids.is_empty() {
            continue;
        }
        let mut select = Query::select();
        select
            .expr_as(Expr::cust(format!("'{kind}'")), Alias::new("object_type"))
            .column(Alias::new("id"))
            .expr_as(Expr::cust(label), Alias::new("label"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("id")).is_in(ids));
        selects.push(select);
    }
    let Some(mut select) = selects.pop() else {
        return Ok(HashMap::new());
    };
    for other in selects {
        select.union(UnionType::All, other);
    }
    let found = ObjectName::find_by_statement(db.get_database_backend().build(&select)).all(db).await?;
    Ok(found.into_iter().filter_map(|o| o.label.map(|label| ((o.object_type, o.id), label))).collect())
}

fn line(row: audit_event::Model, user: &SignedIn, names: &HashMap<String, String>, objects: &HashMap<(String, String), String>) -> AuditLine {
    let object_name = row.object_id.as_ref().and_then(|id| objects.get(&(row.object_type.clone(), id.clone())).cloned());
    AuditLine {
        object_name,
        at: time_fr::date_time(row.occurred_at),
        action_label: audit_log::action_label(&row.action),
        object_type_label: audit_log::object_type_label(&row.object_type),
        caisse: user.caisse_id.is_none().then(|| row.caisse_id.as_ref().and_then(|id| names.get(id).cloned()).unwrap_or_else(|| "–".to_owned())),
        id: row.id,
        actor: row.actor_label,
        action: row.action,
        object_type: row.object_type,
        object_id: row.object_id,
        ip: row.ip,
        request_id: row.request_id,
        detail: row.detail,
    }
}

/// The export's columns.
pub const CSV_HEADER: [&str; 10] = [
    "Date et heure (Paris)",
    "Acteur",
    "Action",
    "Code de l'action",
    "Type d'objet",
    "Objet",
    "Adresse IP",
    "Identifiant de requête",
    "Détail",
    "Caisse",
];

/// The entries matching `filter` as a CSV document, newest first, at most [`EXPORT_MAX_ROWS`] (a last line says
/// when more were left out). The export is recorded in the log before the file is handed over.
pub async fn export(cx: &RequestContext, filter: &Filter) -> Result<String, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    admin(user)?;
    let names = caisse_names(db, user).await?;
    let mut document = CsvDocument::new(&CSV_HEADER);
    let mut written = 0usize;
    let mut cut = false;
    let mut last: Option<String> = None;
    loop {
        let mut query = visible(user, filter);
        if let Some(id) = &last {
            query = query.filter(audit_event::Column::Id.lt(id.clone()));
        }
        let batch = query.order_by_desc(audit_event::Column::Id).limit(EXPORT_BATCH).all(db).await?;
        let exhausted = (batch.len() as u64) < EXPORT_BATCH;
        last = batch.last().map(|r| r.id.clone());
        let objects = object_names(db, &batch).await?;
        for row in batch {
            if written == EXPORT_MAX_ROWS {
                cut = true;
                break;
            }
            let caisse = row.caisse_id.as_ref().and_then(|id| names.get(id).cloned()).unwrap_or_default();
            document.push_row(&[
                row.occurred_at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m/%Y %H:%M:%S").to_string(),
                row.actor_label,
                audit_log::action_label(&row.action),
                row.action,
                audit_log::object_type_label(&row.object_type),
                match row.object_id.as_ref().and_then(|id| objects.get(&(row.object_type.clone(), id.clone()))) {
                    Some(name) => format!("{name} ({})", row.object_id.clone().unwrap_or_default()),
                    None => row.object_id.clone().unwrap_or_default(),
                },
                row.ip.unwrap_or_default(),
                row.request_id.unwrap_or_default(),
                row.detail.unwrap_or_default(),
                caisse,
            ]);
            written += 1;
        }
        if cut || exhausted {
            break;
        }
    }
    let detail = format!("{written} entrées{} ; {}", if cut { " (limite atteinte)" } else { "" }, filter.describe());
    audit::record(
        db,
        Entry::new(Actor::signed_in(user), "audit.exported", "audit_log", None).in_caisse(user.caisse_id.clone()).detail(detail),
        origin,
        now,
    )
    .await?;
    Ok(document.finish(cut.then(|| audit_log::cut_note(EXPORT_MAX_ROWS)).as_deref()))
}

/// Deletes the entries that occurred before `before` (the retention limit); returns how many went.
/// The housekeeping's only way to remove an entry.
pub async fn purge(db: &DatabaseConnection, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let result = audit_event::Entity::delete_many().filter(audit_event::Column::OccurredAt.lt(before)).exec(db).await?;
    Ok(result.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: &str, to: &str) -> AuditQuery {
        AuditQuery { from: Some(from.to_owned()), to: Some(to.to_owned()), ..Default::default() }
    }

    #[test]
    fn a_period_covers_whole_paris_days() {
        let filter = Filter::parse(&query("2026-07-01", "2026-07-01")).expect("valid");
        // Summer time: Paris is UTC+2.
        assert_eq!(filter.since.map(|t| t.to_rfc3339()).as_deref(), Some("2026-06-30T22:00:00+00:00"));
        assert_eq!(filter.until.map(|t| t.to_rfc3339()).as_deref(), Some("2026-07-01T22:00:00+00:00"));
        let filter = Filter::parse(&query("22/11/2026", "")).expect("valid");
        assert_eq!(filter.since.map(|t| t.to_rfc3339()).as_deref(), Some("2026-11-21T23:00:00+00:00"));
        assert_eq!(filter.until, None);
    }

    #[test]
    fn a_wrong_date_is_a_field_error() {
        let error = Filter::parse(&query("demain", "")).expect_err("refused");
        assert!(error.message_for("du").is_some_and(|m| m.contains("JJ/MM/AAAA")), "{error:?}");
    }

    #[test]
    fn blank_filters_are_no_filters() {
        let blank = AuditQuery { actor: Some("  ".into()), action: Some(String::new()), ..Default::default() };
        assert_eq!(Filter::parse(&blank).expect("valid"), Filter::default());
        assert_eq!(Filter::default().describe(), "sans filtre");
    }

    #[test]
    fn like_patterns_match_literally() {
        assert_eq!(like_escaped("jean_dupont%50\\x"), "jean\\_dupont\\%50\\\\x");
    }

    #[test]
    fn the_after_cursor_wins_over_the_before_one() {
        let both = AuditQuery { after: Some("b".into()), before: Some("a".into()), ..Default::default() };
        assert_eq!(Cursor::of(&both), Cursor::Older("b".into()));
        assert_eq!(Cursor::of(&AuditQuery { before: Some("a".into()), ..Default::default() }), Cursor::Newer("a".into()));
        assert_eq!(Cursor::of(&AuditQuery::default()), Cursor::First);
    }
}
