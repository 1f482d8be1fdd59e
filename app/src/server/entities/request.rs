//! A request (demande) sent by a partner structure to its caisse, with the assuré it concerns.

use crate::domain::nir::Nir;
use crate::domain::request_details::{ConsentMethod, DossierType};
use crate::domain::request_kind::RequestKind;
use crate::domain::request_lifecycle::Status;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub reference: String,
    pub kind: RequestKind,
    pub dossier_type: Option<DossierType>,
    pub subject: String,
    pub body: String,
    /// The kind-specific answers of the form, as JSON (`domain::submission::Details`).
    pub details: String,
    pub status: Status,
    pub caisse_id: String,
    pub structure_id: String,
    pub author_id: String,
    pub assignee_id: Option<String>,
    /// The caisse team the request was routed to on submission (or handed to).
    pub team_id: Option<String>,
    /// When the caisse should have handled it: `domain::due_date::due_date` over its timeline.
    pub due_on: Option<ChronoDate>,
    /// The business days its caisse gave this kind of request when it was sent.
    pub due_budget_days: Option<i32>,
    pub beneficiary_last_name: Option<String>,
    pub beneficiary_first_names: Option<String>,
    pub beneficiary_birth_date: Option<ChronoDate>,
    /// Normalised, 15 characters; never logged.
    pub beneficiary_nir: Option<Nir>,
    pub beneficiary_phone: Option<String>,
    pub beneficiary_address: Option<String>,
    /// Upper-case, accent-free "NOM PRÉNOMS" for search and the duplicate guard.
    pub beneficiary_search: Option<String>,
    pub consent_method: Option<ConsentMethod>,
    pub consent_recorded_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    pub closed_at: Option<ChronoDateTimeUtc>,
    /// When the caisse first told the partner something (a reply, a question, an appointment, an outcome), after how
    /// many business days, and whether by the due date: written once, for the statistics.
    pub first_answer_at: Option<ChronoDateTimeUtc>,
    pub first_answer_days: Option<i32>,
    pub answered_on_time: Option<bool>,
    /// Business days on the caisse's clock from sending to closing (its waits for the partner left out).
    pub closing_days: Option<i32>,
    /// A MAS referral's grounds, `|code|code|` (`Details::grounds_key`), for the statistics.
    pub mas_grounds: Option<String>,
    /// When its assuré's data was purged, the retention period over (`server::retention`).
    pub purged_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The open requests, with the codes written out as literals: the partial indexes on open requests
/// (`migrations`, `OPEN_STATUSES`) serve a query only when it spells their condition out, which a bound list hides
/// from SQLite's planner. The codes are the domain's, never a person's input.
pub fn is_open() -> sea_orm::sea_query::Expr {
    let codes: Vec<String> = Status::ALL.into_iter().filter(|s| s.is_open()).map(|s| format!("'{}'", s.code())).collect();
    sea_orm::sea_query::Expr::cust(format!("\"requests\".\"status\" IN ({})", codes.join(", ")))
}

#[cfg(test)]
mod tests {
    use crate::domain::request_lifecycle::Status;

    #[test]
    fn the_open_statuses_are_those_the_partial_indexes_were_built_on_in_the_same_order() {
        let open: Vec<&str> = Status::ALL.into_iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
        assert_eq!(open, migrations::OPEN_STATUSES);
    }
}
