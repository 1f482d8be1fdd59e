//! The kinds of partner structure met in the field.

use super::coded::UnknownCode;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StructureKind {
    Ccas,
    MissionLocale,
    FranceServices,
    Association,
    PassHospitaliere,
    CentreHebergement,
    StructureHandicap,
    MandataireJudiciaire,
    Udaf,
    Enseignement,
    Cpts,
    FranceTravail,
    Caf,
}

impl StructureKind {
    pub const ALL: [StructureKind; 13] = [
        StructureKind::Ccas,
        StructureKind::MissionLocale,
        StructureKind::FranceServices,
        StructureKind::Association,
        StructureKind::PassHospitaliere,
        StructureKind::CentreHebergement,
        StructureKind::StructureHandicap,
        StructureKind::MandataireJudiciaire,
        StructureKind::Udaf,
        StructureKind::Enseignement,
        StructureKind::Cpts,
        StructureKind::FranceTravail,
        StructureKind::Caf,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StructureKind::Ccas => "ccas",
            StructureKind::MissionLocale => "mission_locale",
            StructureKind::FranceServices => "france_services",
            StructureKind::Association => "association",
            StructureKind::PassHospitaliere => "pass",
            StructureKind::CentreHebergement => "centre_hebergement",
            StructureKind::StructureHandicap => "handicap",
            StructureKind::MandataireJudiciaire => "mandataire",
            StructureKind::Udaf => "udaf",
            StructureKind::Enseignement => "enseignement",
            StructureKind::Cpts => "cpts",
            StructureKind::FranceTravail => "france_travail",
            StructureKind::Caf => "caf",
        }
    }

    pub fn parse(code: &str) -> Result<Self, UnknownCode> {
        Self::ALL.into_iter().find(|k| k.code() == code).ok_or_else(|| UnknownCode(code.to_owned()))
    }

    pub fn label(self) -> &'static str {
        match self {
            StructureKind::Ccas => "CCAS",
            StructureKind::MissionLocale => "Mission locale",
            StructureKind::FranceServices => "France services",
            StructureKind::Association => "Association",
            StructureKind::PassHospitaliere => "PASS hospitalière",
            StructureKind::CentreHebergement => "Centre d'hébergement",
            StructureKind::StructureHandicap => "Structure handicap",
            StructureKind::MandataireJudiciaire => "Mandataire judiciaire",
            StructureKind::Udaf => "UDAF",
            StructureKind::Enseignement => "Établissement d'enseignement",
            StructureKind::Cpts => "CPTS",
            StructureKind::FranceTravail => "France Travail",
            StructureKind::Caf => "CAF",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_code() {
        for kind in StructureKind::ALL {
            assert_eq!(StructureKind::parse(kind.code()), Ok(kind));
        }
        assert!(StructureKind::parse("club").is_err());
    }
}
