//! Conventions: their statuses, the partner functions they open, and whether one is in force on a given day.

use super::coded::coded;
use super::request_kind::{RequestKind, RequestKinds};
use crate::domain::field_error::{FieldError, too_long};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

coded!(
    ConventionStatus {
        Draft => "draft", "Brouillon",
        Signed => "signed", "Signée",
        Active => "active", "Active",
        Suspended => "suspended", "Suspendue",
        Expired => "expired", "Expirée",
        Terminated => "terminated", "Résiliée",
    }
);

/// The facts about one convention that decide whether it is in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConventionTerms {
    pub status: ConventionStatus,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub kinds: RequestKinds,
}

impl ConventionTerms {
    /// The status as it stands on `today`: a signed convention becomes active on its start date, and one past its
    /// end date (signed, active or suspended) has expired. Drafts and terminated conventions stay as they are.
    pub fn status_on(&self, today: NaiveDate) -> ConventionStatus {
        use ConventionStatus::{Active, Expired, Signed, Suspended};
        let ended = self.ends_on.is_some_and(|end| today > end);
        match self.status {
            Signed | Active | Suspended if ended => Expired,
            Signed if self.starts_on <= today => Active,
            Active if self.starts_on > today => Signed,
            status => status,
        }
    }

    /// In force on `today`: signed or active, started, not past its end date, not suspended.
    pub fn in_force(&self, today: NaiveDate) -> bool {
        self.status_on(today) == ConventionStatus::Active
    }

    /// Whether the convention lets the structure use `function` on `today`.
    pub fn opens(&self, kind: RequestKind, today: NaiveDate) -> bool {
        self.in_force(today) && self.kinds.contains(kind)
    }

    /// The days left before the end of a convention in force that ends within `within_days` (0 on its last day).
    pub fn ends_within(&self, today: NaiveDate, within_days: i64) -> Option<i64> {
        let left = (self.ends_on? - today).num_days();
        (self.in_force(today) && left <= within_days).then_some(left)
    }

    /// Whether a successor can be prepared: only for a convention that ends (one without an end date goes on).
    pub fn renewable(&self) -> bool {
        self.ends_on.is_some()
    }

    /// The actions open to this convention on `today`: those of its status, renewing only when it ends.
    pub fn actions(&self, today: NaiveDate) -> Vec<ConventionAction> {
        ConventionAction::available(self.status_on(today))
            .into_iter()
            .filter(|action| *action != ConventionAction::Renew || self.renewable())
            .collect()
    }

    /// The dates and functions proposed for the convention that follows this one: it starts the day after this
    /// one ends (or today, when that day is past or there is no end) and lasts as long, with the same functions.
    pub fn renewal(&self, today: NaiveDate) -> ConventionTerms {
        let starts_on = self.ends_on.map(|end| end + Duration::days(1)).filter(|start| *start > today).unwrap_or(today);
        ConventionTerms {
            status: ConventionStatus::Draft,
            starts_on,
            ends_on: self.ends_on.map(|end| starts_on + (end - self.starts_on)),
            kinds: self.kinds.clone(),
        }
    }
}

/// What an admin does to a convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConventionAction {
    /// Change the dates and functions of a draft.
    Edit,
    /// Record the signed document: the draft becomes signed, then active on its start date.
    Sign,
    /// Stop submissions for a while, with a reason; the history stays readable.
    Suspend,
    /// Lift a suspension.
    Resume,
    /// End it for good before its end date, with a reason.
    Terminate,
    /// Prepare the convention that follows it, as a draft.
    Renew,
}

/// An action the convention's status does not allow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Cette convention est {} : elle ne peut pas être {}.", .status.label().to_lowercase(), .action.past_participle())]
pub struct LifecycleError {
    pub status: ConventionStatus,
    pub action: ConventionAction,
}

impl ConventionAction {
    pub const ALL: [ConventionAction; 6] = [
        ConventionAction::Edit,
        ConventionAction::Sign,
        ConventionAction::Suspend,
        ConventionAction::Resume,
        ConventionAction::Terminate,
        ConventionAction::Renew,
    ];

    fn past_participle(self) -> &'static str {
        match self {
            ConventionAction::Edit => "modifiée",
            ConventionAction::Sign => "signée",
            ConventionAction::Suspend => "suspendue",
            ConventionAction::Resume => "réactivée",
            ConventionAction::Terminate => "résiliée",
            ConventionAction::Renew => "renouvelée",
        }
    }

    /// Whether the action needs a written reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, ConventionAction::Suspend | ConventionAction::Terminate)
    }

    /// The stored status after the action, from the status as it stands today (see [`ConventionTerms::status_on`]).
    /// Renewing leaves the convention as it is (its successor is a new draft).
    pub fn apply(self, current: ConventionStatus) -> Result<ConventionStatus, LifecycleError> {
        use ConventionStatus::{Active, Draft, Expired, Signed, Suspended, Terminated};
        let next = match (self, current) {
            (ConventionAction::Edit, Draft) => Some(Draft),
            (ConventionAction::Sign, Draft) => Some(Signed),
            (ConventionAction::Suspend, Active) => Some(Suspended),
            (ConventionAction::Resume, Suspended) => Some(Active),
            (ConventionAction::Terminate, Signed | Active | Suspended) => Some(Terminated),
            (ConventionAction::Renew, Active | Suspended | Expired) => Some(current),
            _ => None,
        };
        next.ok_or(LifecycleError { status: current, action: self })
    }

    /// The actions open to a convention in this status, in the order the page offers them.
    pub fn available(current: ConventionStatus) -> Vec<ConventionAction> {
        Self::ALL.into_iter().filter(|action| action.apply(current).is_ok()).collect()
    }
}

/// The longest reason for a suspension or termination, in characters.
pub const REASON_MAX: usize = 500;

/// A convention in force ending within this many days is « ending soon »: the admins' list, the first e-mail
/// warning and the statistics all count from it.
pub const ENDING_SOON_DAYS: i64 = 60;

/// A suspension or termination reason: required, trimmed, within bounds.
pub fn parse_reason(text: &str) -> Result<String, String> {
    let text = text.trim();
    match text.chars().count() {
        0 => Err("Indiquez la raison : elle est conservée et montrée à la structure.".to_owned()),
        n if n > REASON_MAX => Err(too_long(n, REASON_MAX)),
        _ => Ok(text.to_owned()),
    }
}

/// The dates and functions of a draft as typed (`YYYY-MM-DD`, as date inputs send them; the end may be empty):
/// checked together, each problem naming its field (`starts_on`, `ends_on`, `functions`).
pub fn parse_terms(starts_on: &str, ends_on: &str, kinds: &[&str]) -> Result<ConventionTerms, Vec<FieldError>> {
    // Four-digit years only: chrono also reads `+262143-12-31`, whose renewal would overflow the calendar.
    let date = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok().filter(|day| (1900..=9999).contains(&day.year())).ok_or(());
    let mut problems = vec![];
    let start = match starts_on.trim() {
        "" => {
            problems.push(FieldError::new("starts_on", "Indiquez la date de début.".to_owned()));
            None
        }
        text => date(text).map_err(|_| problems.push(FieldError::new("starts_on", format!("« {text} » n'est pas une date (jj/mm/aaaa).")))).ok(),
    };
    let end = match ends_on.trim() {
        "" => None,
        text => date(text).map_err(|_| problems.push(FieldError::new("ends_on", format!("« {text} » n'est pas une date (jj/mm/aaaa).")))).ok(),
    };
    if let (Some(start), Some(end)) = (start, end)
        && end <= start
    {
        problems.push(FieldError::new("ends_on", "La date de fin doit suivre la date de début.".to_owned()));
    }
    let chosen: Result<Vec<RequestKind>, _> = kinds.iter().map(|code| RequestKind::parse(code)).collect();
    let chosen = match chosen {
        Ok(list) if list.is_empty() => {
            problems.push(FieldError::new("kinds", "Cochez au moins une fonction ouverte par la convention.".to_owned()));
            vec![]
        }
        Ok(list) => RequestKind::ALL.into_iter().filter(|f| list.contains(f)).collect(),
        Err(_) => {
            problems.push(FieldError::new("kinds", "Une des fonctions cochées n'existe pas : rechargez la page.".to_owned()));
            vec![]
        }
    };
    match (start, problems.is_empty()) {
        (Some(starts_on), true) => Ok(ConventionTerms { status: ConventionStatus::Draft, starts_on, ends_on: end, kinds: RequestKinds(chosen) }),
        _ => Err(problems),
    }
}

/// Of a structure's conventions, the one that governs it today: the one in force, or else the latest to start.
pub fn governing(conventions: &[ConventionTerms], today: NaiveDate) -> Option<&ConventionTerms> {
    conventions
        .iter()
        .find(|c| c.in_force(today))
        .or_else(|| conventions.iter().filter(|c| c.starts_on <= today).max_by_key(|c| c.starts_on))
        .or_else(|| conventions.iter().max_by_key(|c| c.starts_on))
}

/// Why a partner agent may not submit a request for a function today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubmissionBlock {
    NoConvention,
    NotInForce(ConventionStatus),
    KindNotOpened(RequestKind),
    TrainingMissing,
}

impl SubmissionBlock {
    /// What the page says, including whom to contact.
    pub fn explanation(&self) -> String {
        match self {
            SubmissionBlock::NoConvention => {
                "Votre structure n'a pas de convention Espace Partenaires avec la caisse. Contactez votre caisse pour en signer une.".to_owned()
            }
            SubmissionBlock::NotInForce(ConventionStatus::Suspended) => {
                "La convention de votre structure est suspendue : vous ne pouvez plus envoyer de demande, mais l'historique reste consultable. Contactez votre caisse.".to_owned()
            }
            SubmissionBlock::NotInForce(ConventionStatus::Expired) => {
                "La convention de votre structure a expiré : contactez votre caisse pour la renouveler. L'historique reste consultable.".to_owned()
            }
            SubmissionBlock::NotInForce(status) => format!(
                "La convention de votre structure n'est pas en vigueur (statut : {}). Contactez votre caisse.",
                status.label().to_lowercase()
            ),
            SubmissionBlock::KindNotOpened(kind) => format!(
                "La convention de votre structure n'ouvre pas la fonction « {} ». Contactez votre caisse pour l'étendre.",
                kind.label()
            ),
            SubmissionBlock::TrainingMissing => {
                "Votre formation à l'Espace Partenaires n'est pas encore enregistrée : elle est obligatoire avant d'envoyer une demande. Contactez l'administrateur de votre caisse.".to_owned()
            }
        }
    }
}

/// The gate in front of every submission: a convention in force that opens the function, and a trained agent.
pub fn submission_block(governing: Option<&ConventionTerms>, agent_trained: bool, kind: RequestKind, today: NaiveDate) -> Option<SubmissionBlock> {
    let Some(terms) = governing else {
        return Some(SubmissionBlock::NoConvention);
    };
    if !terms.in_force(today) {
        return Some(SubmissionBlock::NotInForce(terms.status_on(today)));
    }
    if !terms.kinds.contains(kind) {
        return Some(SubmissionBlock::KindNotOpened(kind));
    }
    (!agent_trained).then_some(SubmissionBlock::TrainingMissing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    fn terms(status: ConventionStatus) -> ConventionTerms {
        ConventionTerms {
            status,
            starts_on: date(2026, 1, 1),
            ends_on: Some(date(2026, 12, 31)),
            kinds: RequestKinds(vec![RequestKind::Contact, RequestKind::MasReferral]),
        }
    }

    #[test]
    fn only_a_signed_or_active_convention_within_its_dates_is_in_force() {
        let today = date(2026, 6, 1);
        for status in ConventionStatus::ALL {
            let expected = matches!(status, ConventionStatus::Active | ConventionStatus::Signed);
            assert_eq!(terms(status).in_force(today), expected, "{status:?}");
        }
        let active = terms(ConventionStatus::Active);
        assert!(!active.in_force(date(2025, 12, 31)), "before its start");
        assert!(active.in_force(date(2026, 12, 31)), "on its last day");
        assert!(!active.in_force(date(2027, 1, 1)), "after its end");
        assert!(ConventionTerms { ends_on: None, ..active }.in_force(date(2040, 1, 1)), "open-ended");
    }

    #[test]
    fn a_convention_opens_only_the_functions_it_lists() {
        let active = terms(ConventionStatus::Active);
        let today = date(2026, 6, 1);
        assert!(active.opens(RequestKind::Contact, today));
        assert!(!active.opens(RequestKind::Appointment, today));
        assert!(!terms(ConventionStatus::Suspended).opens(RequestKind::Contact, today));
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for status in ConventionStatus::ALL {
            assert_eq!(ConventionStatus::parse(status.code()), Ok(status));
        }
    }

    #[test]
    fn the_governing_convention_is_the_one_in_force_else_the_latest_started() {
        let today = date(2026, 6, 1);
        let old = ConventionTerms { starts_on: date(2023, 1, 1), ends_on: Some(date(2025, 12, 31)), ..terms(ConventionStatus::Expired) };
        let current = terms(ConventionStatus::Active);
        let future = ConventionTerms { starts_on: date(2027, 1, 1), ends_on: None, ..terms(ConventionStatus::Signed) };
        let all = [old.clone(), current.clone(), future.clone()];
        assert_eq!(governing(&all, today), Some(&current));
        assert_eq!(governing(&[old.clone(), future.clone()], today), Some(&old));
        assert_eq!(governing(std::slice::from_ref(&future), today), Some(&future));
        assert_eq!(governing(&[], today), None);
    }

    #[test]
    fn submissions_need_a_convention_in_force_opening_the_function_and_training() {
        let today = date(2026, 6, 1);
        let active = terms(ConventionStatus::Active);
        let contact = RequestKind::Contact;
        assert_eq!(submission_block(Some(&active), true, contact, today), None);
        assert_eq!(submission_block(None, true, contact, today), Some(SubmissionBlock::NoConvention));
        assert_eq!(
            submission_block(Some(&terms(ConventionStatus::Suspended)), true, contact, today),
            Some(SubmissionBlock::NotInForce(ConventionStatus::Suspended))
        );
        assert_eq!(
            submission_block(Some(&active), true, contact, date(2027, 2, 1)),
            Some(SubmissionBlock::NotInForce(ConventionStatus::Expired)),
            "an active convention past its end date counts as expired"
        );
        assert_eq!(
            submission_block(Some(&active), true, RequestKind::Appointment, today),
            Some(SubmissionBlock::KindNotOpened(RequestKind::Appointment))
        );
        assert_eq!(submission_block(Some(&active), false, contact, today), Some(SubmissionBlock::TrainingMissing));
        assert!(SubmissionBlock::TrainingMissing.explanation().contains("formation"));
    }

    #[test]
    fn the_status_follows_the_calendar() {
        use ConventionStatus::*;
        let (before, during, after) = (date(2025, 12, 31), date(2026, 6, 1), date(2027, 1, 1));
        // (stored, before the start, during, after the end)
        let table = [
            (Draft, Draft, Draft, Draft),
            (Signed, Signed, Active, Expired),
            (Active, Signed, Active, Expired),
            (Suspended, Suspended, Suspended, Expired),
            (Expired, Expired, Expired, Expired),
            (Terminated, Terminated, Terminated, Terminated),
        ];
        for (stored, on_before, on_during, on_after) in table {
            let t = terms(stored);
            assert_eq!([t.status_on(before), t.status_on(during), t.status_on(after)], [on_before, on_during, on_after], "{stored:?}");
        }
        assert_eq!(terms(Active).status_on(date(2026, 12, 31)), Active, "still in force on its last day");
    }

    #[test]
    fn each_action_is_allowed_only_from_its_statuses() {
        use ConventionAction::*;
        use ConventionStatus::{Active, Draft, Expired, Signed, Suspended, Terminated};
        let table: [(ConventionAction, &[(ConventionStatus, ConventionStatus)]); 6] = [
            (Edit, &[(Draft, Draft)]),
            (Sign, &[(Draft, Signed)]),
            (Suspend, &[(Active, Suspended)]),
            (Resume, &[(Suspended, Active)]),
            (Terminate, &[(Signed, Terminated), (Active, Terminated), (Suspended, Terminated)]),
            (Renew, &[(Active, Active), (Suspended, Suspended), (Expired, Expired)]),
        ];
        for (action, allowed) in table {
            for status in ConventionStatus::ALL {
                let expected = allowed.iter().find(|(from, _)| *from == status).map(|(_, to)| *to);
                assert_eq!(action.apply(status).ok(), expected, "{action:?} from {status:?}");
            }
        }
        assert_eq!(ConventionAction::available(Active), vec![Suspend, Terminate, Renew]);
        assert_eq!(Suspend.apply(Terminated).expect_err("refused").to_string(), "Cette convention est résiliée : elle ne peut pas être suspendue.");
    }

    #[test]
    fn a_convention_without_an_end_date_is_not_offered_a_renewal() {
        let mut open_ended = terms(ConventionStatus::Active);
        open_ended.ends_on = None;
        assert!(!open_ended.renewable());
        assert_eq!(open_ended.actions(date(2026, 11, 1)), vec![ConventionAction::Suspend, ConventionAction::Terminate]);
        let ending = terms(ConventionStatus::Active);
        assert_eq!(ending.actions(date(2026, 11, 1)), vec![ConventionAction::Suspend, ConventionAction::Terminate, ConventionAction::Renew]);
    }

    #[test]
    fn a_renewal_follows_the_old_convention_for_as_long() {
        let old = terms(ConventionStatus::Active);
        let next = old.renewal(date(2026, 11, 1));
        assert_eq!((next.status, next.starts_on, next.ends_on), (ConventionStatus::Draft, date(2027, 1, 1), Some(date(2027, 12, 31))));
        assert_eq!(next.kinds, old.kinds);
        let late = old.renewal(date(2027, 3, 1));
        assert_eq!((late.starts_on, late.ends_on), (date(2027, 3, 1), Some(date(2028, 2, 28))), "an expired one is renewed from today");
    }

    #[test]
    fn conventions_ending_soon_are_found_only_while_in_force() {
        let active = terms(ConventionStatus::Active);
        assert_eq!(active.ends_within(date(2026, 11, 1), 60), Some(60));
        assert_eq!(active.ends_within(date(2026, 12, 31), 60), Some(0));
        assert_eq!(active.ends_within(date(2026, 10, 1), 60), None);
        assert_eq!(terms(ConventionStatus::Suspended).ends_within(date(2026, 12, 1), 60), None);
    }

    #[test]
    fn typed_terms_are_checked_field_by_field() {
        let ok = parse_terms("2026-01-01", "2026-12-31", &["mas_referral", "contact"]).expect("valid");
        assert_eq!(ok.kinds, RequestKinds(vec![RequestKind::Contact, RequestKind::MasReferral]), "in the usual order");
        assert_eq!(parse_terms("2026-01-01", "", &["contact"]).map(|t| t.ends_on), Ok(None), "open-ended");
        let fields = |r: Result<ConventionTerms, Vec<FieldError>>| r.err().unwrap_or_default().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(parse_terms("", "", &[])), ["starts_on", "kinds"]);
        assert_eq!(fields(parse_terms("2026-02-30", "demain", &["contact"])), ["starts_on", "ends_on"]);
        assert_eq!(fields(parse_terms("2026-06-01", "2026-06-01", &["contact"])), ["ends_on"]);
        assert_eq!(fields(parse_terms("2026-06-01", "", &["teleportation"])), ["kinds"]);
        assert!(parse_reason("  ").is_err() && parse_reason(&"x".repeat(REASON_MAX + 1)).is_err());
        assert_eq!(parse_reason(" Absence de formation "), Ok("Absence de formation".to_owned()));
    }

    #[test]
    fn dates_beyond_four_digit_years_or_in_other_scripts_are_refused_in_french() {
        let fields = |r: Result<ConventionTerms, Vec<FieldError>>| r.err().unwrap_or_default();
        // chrono reads these years, but renewing such a convention would overflow the calendar.
        let far = fields(parse_terms("2026-01-01", "+262143-12-31", &["contact"]));
        assert_eq!(far, [FieldError::new("ends_on", "« +262143-12-31 » n'est pas une date (jj/mm/aaaa).")]);
        assert_eq!(fields(parse_terms("0999-01-01", "", &["contact"]))[0].field, "starts_on");
        assert_eq!(fields(parse_terms("２０２６-01-01", "2026-0é-01", &["contact"])).len(), 2);
        assert!(parse_terms("9999-01-01", "9999-12-31", &["contact"]).is_ok());
    }

    mod properties {
        //! Properties of the convention parsers (`parse_terms`, `parse_reason`, `RequestKinds::parse`) over
        //! arbitrary text.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use proptest::prelude::*;

        fn date_ish() -> impl Strategy<Value = String> {
            prop_oneof!["[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}", shaped_with_one_odd_char("[0-9]{4}-[0-9]{2}-[0-9]{2}"), any_text(),]
        }

        proptest! {
            #[test]
            fn any_typed_terms_get_an_answer_and_what_passes_can_be_renewed(
                starts_on in date_ish(),
                ends_on in date_ish(),
                kinds in proptest::collection::vec(prop_oneof![prop::sample::select(vec!["contact", "mas_referral", "appointment", "dossier_study"]).prop_map(|f| f.to_owned()), any_text()], 0..4),
                today in 0i32..3_000_000,
            ) {
                let codes: Vec<&str> = kinds.iter().map(String::as_str).collect();
                match parse_terms(&starts_on, &ends_on, &codes) {
                    Ok(terms) => {
                        prop_assert!(!terms.kinds.0.is_empty());
                        prop_assert!(terms.ends_on.is_none_or(|end| end > terms.starts_on));
                        let today = date(1900, 1, 1) + Duration::days(i64::from(today));
                        let renewal = terms.renewal(today);
                        prop_assert!(renewal.starts_on >= today);
                        prop_assert_eq!(renewal.ends_on.map(|end| end - renewal.starts_on), terms.ends_on.map(|end| end - terms.starts_on));
                    }
                    Err(problems) => {
                        prop_assert!(!problems.is_empty());
                        prop_assert!(problems.iter().all(|p| ["starts_on", "ends_on", "kinds"].contains(&p.field.as_str())));
                    }
                }
            }

            #[test]
            fn a_date_as_a_date_field_sends_it_is_read(day in 0i64..2_900_000) {
                let start = date(1900, 1, 1) + Duration::days(day);
                let typed = start.format("%Y-%m-%d").to_string();
                prop_assert_eq!(parse_terms(&typed, "", &["contact"]).map(|t| t.starts_on), Ok(start));
            }

            #[test]
            fn any_reason_or_stored_list_gets_an_answer(text in any_text()) {
                match parse_reason(&text) {
                    Ok(reason) => prop_assert!(reason == text.trim() && !reason.is_empty() && reason.chars().count() <= REASON_MAX),
                    Err(message) => prop_assert!(message.starts_with("Indiquez") || message.starts_with("La raison")),
                }
                if let Ok(kinds) = RequestKinds::parse(&text) {
                    prop_assert_eq!(RequestKinds::parse(&kinds.codes()), Ok(kinds));
                }
            }
        }
    }
}
