//! The kinds of request a partner can send: a message, a MAS referral, an appointment, a dossier study.

use super::coded::UnknownCode;
use super::coded::coded;
use serde::{Deserialize, Serialize};

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
}

/// Some kinds of request: those a convention opens, those a team receives. Stored as their codes, comma-separated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestKinds(pub Vec<RequestKind>);

impl RequestKinds {
    /// Every kind, in the usual order.
    pub fn all() -> Self {
        RequestKinds(RequestKind::ALL.to_vec())
    }

    /// Reads comma-separated codes (spaces around them and empty items are ignored); an unknown code is refused.
    pub fn parse(codes: &str) -> Result<Self, UnknownCode> {
        codes.split(',').map(str::trim).filter(|c| !c.is_empty()).map(RequestKind::parse).collect::<Result<_, _>>().map(RequestKinds)
    }

    /// The comma-separated codes [`RequestKinds::parse`] reads back.
    pub fn codes(&self) -> String {
        self.0.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")
    }

    pub fn contains(&self, kind: RequestKind) -> bool {
        self.0.contains(&kind)
    }
}

impl From<&[RequestKind]> for RequestKinds {
    fn from(kinds: &[RequestKind]) -> Self {
        RequestKinds(kinds.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_their_codes_and_refuse_an_unknown_one() {
        let kinds = RequestKinds(vec![RequestKind::MasReferral, RequestKind::Contact]);
        assert_eq!(kinds.codes(), "mas_referral,contact");
        assert_eq!(RequestKinds::parse(&kinds.codes()), Ok(kinds));
        assert_eq!(RequestKinds::parse(" contact , ,appointment"), Ok(RequestKinds(vec![RequestKind::Contact, RequestKind::Appointment])));
        assert_eq!(RequestKinds::parse(""), Ok(RequestKinds::default()));
        assert_eq!(RequestKinds::parse("contact,fax"), Err(UnknownCode("fax".to_owned())));
    }
}
