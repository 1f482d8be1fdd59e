//! The kinds of request a partner can send: a message, a MAS referral, an appointment, a dossier study.

use super::coded::UnknownCode;
use super::coded::coded;

coded!(
    /// What a partner asks the caisse for; a convention opens some kinds (the history of requests is always readable).
    RequestKind {
        Contact => "contact", "Contacter la caisse",
        MasReferral => "mas_referral", "Signaler une situation de difficulté (saisine MAS)",
        Appointment => "appointment", "Demander un rendez-vous",
        DossierStudy => "dossier_study", "Demander une étude de dossier",
    }
);

impl RequestKind {
    /// The short name used in lists and filters.
    pub fn short_label(self) -> &'static str {
        match self {
            RequestKind::Contact => "Message à la caisse",
            RequestKind::MasReferral => "Saisine MAS",
            RequestKind::Appointment => "Rendez-vous",
            RequestKind::DossierStudy => "Étude de dossier",
        }
    }

    /// The path segment of the function's form, under `/partenaire/demandes/nouvelle/`.
    pub fn path_segment(self) -> &'static str {
        match self {
            RequestKind::Contact => "contact",
            RequestKind::MasReferral => "mas",
            RequestKind::Appointment => "rendez-vous",
            RequestKind::DossierStudy => "etude-dossier",
        }
    }

    pub fn from_path_segment(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.path_segment() == slug)
    }

    /// Parses the comma-separated list stored with a convention.
    pub fn parse_list(codes: &str) -> Result<Vec<Self>, UnknownCode> {
        codes.split(',').map(str::trim).filter(|c| !c.is_empty()).map(Self::parse).collect()
    }

    pub fn to_list(kinds: &[Self]) -> String {
        kinds.iter().map(|f| f.code()).collect::<Vec<_>>().join(",")
    }
}
