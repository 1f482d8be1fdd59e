//! The kinds of partner structure met in the field.

use super::coded::coded;

coded!(
    StructureKind {
        Ccas => "ccas", "CCAS",
        MissionLocale => "mission_locale", "Mission locale",
        FranceServices => "france_services", "France services",
        Association => "association", "Association",
        PassHospitaliere => "pass", "PASS hospitalière",
        CentreHebergement => "centre_hebergement", "Centre d'hébergement",
        StructureHandicap => "handicap", "Structure handicap",
        MandataireJudiciaire => "mandataire", "Mandataire judiciaire",
        Udaf => "udaf", "UDAF",
        Enseignement => "enseignement", "Établissement d'enseignement",
        Cpts => "cpts", "CPTS",
        FranceTravail => "france_travail", "France Travail",
        Caf => "caf", "CAF",
    }
);

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
