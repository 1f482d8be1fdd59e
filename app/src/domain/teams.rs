//! The teams of a caisse and how an incoming request finds its team: by its kind, on submission.

use super::convention::PartnerFunction;

/// The teams a caisse starts with, and the kinds of request each receives.
pub const DEFAULT_TEAMS: [(&str, &[PartnerFunction]); 3] = [
    ("Accueil", &[PartnerFunction::Contact, PartnerFunction::Appointment]),
    ("Mission Accompagnement Santé", &[PartnerFunction::MasReferral]),
    ("Droits (PUMa, C2S, AME)", &[PartnerFunction::DossierStudy]),
];

/// The stored form of the kinds a team receives: comma-separated codes.
pub fn kinds_to_text(kinds: &[PartnerFunction]) -> String {
    kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")
}

/// The kinds a team receives, read back from [`kinds_to_text`] (unknown codes are ignored).
pub fn kinds_from_text(text: &str) -> Vec<PartnerFunction> {
    text.split(',').filter_map(|code| PartnerFunction::parse(code.trim()).ok()).collect()
}

/// The team that receives a new request of `kind`: the first, in the given order, whose kinds include it.
/// `teams` pairs a team's id with its stored kinds; `None` when no team takes that kind (the whole caisse sees it).
pub fn route(kind: PartnerFunction, teams: &[(String, String)]) -> Option<&str> {
    teams.iter().find(|(_, kinds)| kinds_from_text(kinds).contains(&kind)).map(|(id, _)| id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_teams() -> Vec<(String, String)> {
        DEFAULT_TEAMS.iter().map(|(name, kinds)| ((*name).to_owned(), kinds_to_text(kinds))).collect()
    }

    #[test]
    fn each_kind_goes_to_the_team_that_handles_it() {
        let teams = default_teams();
        for (kind, team) in [
            (PartnerFunction::Contact, "Accueil"),
            (PartnerFunction::Appointment, "Accueil"),
            (PartnerFunction::MasReferral, "Mission Accompagnement Santé"),
            (PartnerFunction::DossierStudy, "Droits (PUMa, C2S, AME)"),
        ] {
            assert_eq!(route(kind, &teams), Some(team), "{kind:?}");
        }
    }

    #[test]
    fn a_kind_no_team_handles_stays_with_the_whole_caisse() {
        let teams = vec![("mas".to_owned(), "mas_referral".to_owned())];
        assert_eq!(route(PartnerFunction::DossierStudy, &teams), None);
        assert_eq!(route(PartnerFunction::MasReferral, &[]), None);
    }

    #[test]
    fn stored_kinds_round_trip_and_unknown_codes_are_ignored() {
        let kinds = [PartnerFunction::Contact, PartnerFunction::DossierStudy];
        assert_eq!(kinds_from_text(&kinds_to_text(&kinds)), kinds);
        assert_eq!(kinds_from_text("contact, nope,appointment"), [PartnerFunction::Contact, PartnerFunction::Appointment]);
    }
}
