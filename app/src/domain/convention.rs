//! Conventions: their statuses, the partner functions they open, and whether one is in force on a given day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConventionStatus {
    Draft,
    Signed,
    Active,
    Suspended,
    Expired,
    Terminated,
}

/// A stored code that no variant matches.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("code inconnu : « {0} »")]
pub struct UnknownCode(pub String);

impl ConventionStatus {
    pub const ALL: [ConventionStatus; 6] = [
        ConventionStatus::Draft,
        ConventionStatus::Signed,
        ConventionStatus::Active,
        ConventionStatus::Suspended,
        ConventionStatus::Expired,
        ConventionStatus::Terminated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ConventionStatus::Draft => "draft",
            ConventionStatus::Signed => "signed",
            ConventionStatus::Active => "active",
            ConventionStatus::Suspended => "suspended",
            ConventionStatus::Expired => "expired",
            ConventionStatus::Terminated => "terminated",
        }
    }

    pub fn parse(code: &str) -> Result<Self, UnknownCode> {
        Self::ALL.into_iter().find(|s| s.code() == code).ok_or_else(|| UnknownCode(code.to_owned()))
    }

    pub fn label(self) -> &'static str {
        match self {
            ConventionStatus::Draft => "Brouillon",
            ConventionStatus::Signed => "Signée",
            ConventionStatus::Active => "Active",
            ConventionStatus::Suspended => "Suspendue",
            ConventionStatus::Expired => "Expirée",
            ConventionStatus::Terminated => "Résiliée",
        }
    }
}

/// The partner functions a convention can open (the history of requests is always readable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PartnerFunction {
    Contact,
    MasReferral,
    Appointment,
    DossierStudy,
}

impl PartnerFunction {
    pub const ALL: [PartnerFunction; 4] =
        [PartnerFunction::Contact, PartnerFunction::MasReferral, PartnerFunction::Appointment, PartnerFunction::DossierStudy];

    pub fn code(self) -> &'static str {
        match self {
            PartnerFunction::Contact => "contact",
            PartnerFunction::MasReferral => "mas_referral",
            PartnerFunction::Appointment => "appointment",
            PartnerFunction::DossierStudy => "dossier_study",
        }
    }

    pub fn parse(code: &str) -> Result<Self, UnknownCode> {
        Self::ALL.into_iter().find(|f| f.code() == code).ok_or_else(|| UnknownCode(code.to_owned()))
    }

    pub fn label(self) -> &'static str {
        match self {
            PartnerFunction::Contact => "Contacter la caisse",
            PartnerFunction::MasReferral => "Signaler une situation de difficulté (saisine MAS)",
            PartnerFunction::Appointment => "Demander un rendez-vous",
            PartnerFunction::DossierStudy => "Demander une étude de dossier",
        }
    }

    /// The short name used in lists and filters.
    pub fn short_label(self) -> &'static str {
        match self {
            PartnerFunction::Contact => "Message à la caisse",
            PartnerFunction::MasReferral => "Saisine MAS",
            PartnerFunction::Appointment => "Rendez-vous",
            PartnerFunction::DossierStudy => "Étude de dossier",
        }
    }

    /// The path segment of the function's form, under `/partenaire/demandes/nouvelle/`.
    pub fn slug(self) -> &'static str {
        match self {
            PartnerFunction::Contact => "contact",
            PartnerFunction::MasReferral => "mas",
            PartnerFunction::Appointment => "rendez-vous",
            PartnerFunction::DossierStudy => "etude-dossier",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.slug() == slug)
    }

    /// Parses the comma-separated list stored with a convention.
    pub fn parse_list(codes: &str) -> Result<Vec<Self>, UnknownCode> {
        codes.split(',').map(str::trim).filter(|c| !c.is_empty()).map(Self::parse).collect()
    }

    pub fn to_list(functions: &[Self]) -> String {
        functions.iter().map(|f| f.code()).collect::<Vec<_>>().join(",")
    }
}

/// The facts about one convention that decide whether it is in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConventionTerms {
    pub status: ConventionStatus,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub functions: Vec<PartnerFunction>,
}

impl ConventionTerms {
    /// In force on `today`: active, started, not past its end date.
    pub fn in_force(&self, today: NaiveDate) -> bool {
        self.status == ConventionStatus::Active
            && self.starts_on <= today
            && self.ends_on.is_none_or(|end| today <= end)
    }

    /// Whether the convention lets the structure use `function` on `today`.
    pub fn opens(&self, function: PartnerFunction, today: NaiveDate) -> bool {
        self.in_force(today) && self.functions.contains(&function)
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
    FunctionNotOpened(PartnerFunction),
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
            SubmissionBlock::FunctionNotOpened(function) => format!(
                "La convention de votre structure n'ouvre pas la fonction « {} ». Contactez votre caisse pour l'étendre.",
                function.label()
            ),
            SubmissionBlock::TrainingMissing => {
                "Votre formation à l'Espace Partenaires n'est pas encore enregistrée : elle est obligatoire avant d'envoyer une demande. Contactez l'administrateur de votre caisse.".to_owned()
            }
        }
    }
}

/// The gate in front of every submission: a convention in force that opens the function, and a trained agent.
pub fn submission_block(
    governing: Option<&ConventionTerms>,
    agent_trained: bool,
    function: PartnerFunction,
    today: NaiveDate,
) -> Option<SubmissionBlock> {
    let Some(terms) = governing else {
        return Some(SubmissionBlock::NoConvention);
    };
    if !terms.in_force(today) {
        let status = if terms.status == ConventionStatus::Active { ConventionStatus::Expired } else { terms.status };
        return Some(SubmissionBlock::NotInForce(status));
    }
    if !terms.functions.contains(&function) {
        return Some(SubmissionBlock::FunctionNotOpened(function));
    }
    (!agent_trained).then_some(SubmissionBlock::TrainingMissing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn terms(status: ConventionStatus) -> ConventionTerms {
        ConventionTerms {
            status,
            starts_on: date(2026, 1, 1),
            ends_on: Some(date(2026, 12, 31)),
            functions: vec![PartnerFunction::Contact, PartnerFunction::MasReferral],
        }
    }

    #[test]
    fn only_an_active_convention_within_its_dates_is_in_force() {
        let today = date(2026, 6, 1);
        for status in ConventionStatus::ALL {
            assert_eq!(terms(status).in_force(today), status == ConventionStatus::Active, "{status:?}");
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
        assert!(active.opens(PartnerFunction::Contact, today));
        assert!(!active.opens(PartnerFunction::Appointment, today));
        assert!(!terms(ConventionStatus::Suspended).opens(PartnerFunction::Contact, today));
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for status in ConventionStatus::ALL {
            assert_eq!(ConventionStatus::parse(status.code()), Ok(status));
        }
        let list = PartnerFunction::to_list(&PartnerFunction::ALL);
        assert_eq!(PartnerFunction::parse_list(&list), Ok(PartnerFunction::ALL.to_vec()));
        assert_eq!(PartnerFunction::parse_list(""), Ok(vec![]));
        assert!(PartnerFunction::parse_list("contact,teleportation").is_err());
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
        assert_eq!(governing(&[future.clone()], today), Some(&future));
        assert_eq!(governing(&[], today), None);
    }

    #[test]
    fn submissions_need_a_convention_in_force_opening_the_function_and_training() {
        let today = date(2026, 6, 1);
        let active = terms(ConventionStatus::Active);
        let contact = PartnerFunction::Contact;
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
            submission_block(Some(&active), true, PartnerFunction::Appointment, today),
            Some(SubmissionBlock::FunctionNotOpened(PartnerFunction::Appointment))
        );
        assert_eq!(submission_block(Some(&active), false, contact, today), Some(SubmissionBlock::TrainingMissing));
        assert!(SubmissionBlock::TrainingMissing.explanation().contains("formation"));
    }
}
