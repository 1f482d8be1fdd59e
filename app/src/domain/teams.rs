//! The teams of a caisse and how an incoming request finds its team: by its kind, on submission.

use super::request_kind::{RequestKind, RequestKinds};
use crate::domain::field_error::{FieldError, too_long};

/// The teams a caisse starts with, and the kinds of request each receives.
pub const DEFAULT_TEAMS: [(&str, &[RequestKind]); 3] = [
    ("Accueil", &[RequestKind::Contact, RequestKind::Appointment]),
    ("Mission Accompagnement Santé", &[RequestKind::MasReferral]),
    ("Droits (PUMa, C2S, AME)", &[RequestKind::DossierStudy]),
];

/// The team that receives a new request of `kind`: the first, in the given order, whose kinds include it.
/// `teams` pairs a team's id with its kinds; `None` when no team takes that kind (the whole caisse sees it).
pub fn route(kind: RequestKind, teams: &[(String, RequestKinds)]) -> Option<&str> {
    teams.iter().find(|(_, kinds)| kinds.contains(kind)).map(|(id, _)| id.as_str())
}

/// The longest team name, in characters.
pub const NAME_MAX: usize = 80;

/// A team as an admin types it: a name, and the kinds of request routed to it (none: it only gets what agents
/// hand it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamDraft {
    pub name: String,
    /// In `RequestKind::ALL` order, each once.
    pub kinds: RequestKinds,
}

impl TeamDraft {
    /// Reads the name and the ticked kind codes; problems are on the fields `name` and `kinds`.
    pub fn parse(name: &str, kinds: &[&str]) -> Result<TeamDraft, Vec<FieldError>> {
        let mut problems = vec![];
        let name = name.trim();
        match name.chars().count() {
            0 => problems.push(FieldError::new("name", "Saisissez le nom de l'équipe.".to_owned())),
            n if n > NAME_MAX => problems.push(FieldError::new("name", too_long(n, NAME_MAX))),
            _ => {}
        }
        let mut chosen = vec![];
        for code in kinds.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
            match RequestKind::parse(code) {
                Ok(kind) => chosen.push(kind),
                Err(_) => problems.push(FieldError::new("kinds", format!("Le type de demande « {code} » n'existe pas."))),
            }
        }
        let kinds = RequestKinds(RequestKind::ALL.into_iter().filter(|kind| chosen.contains(kind)).collect());
        if problems.is_empty() { Ok(TeamDraft { name: name.to_owned(), kinds }) } else { Err(problems) }
    }
}

/// The kinds among `kinds` that another team of the caisse already receives, with that team's name: routing takes
/// the first team that handles a kind, so two teams receiving the same kind would make it depend on their order.
/// `others` pairs each other team's name with its kinds.
pub fn kinds_taken<'a>(kinds: &RequestKinds, others: &'a [(String, RequestKinds)]) -> Vec<(RequestKind, &'a str)> {
    kinds.0.iter().filter_map(|kind| others.iter().find(|(_, theirs)| theirs.contains(*kind)).map(|(name, _)| (*kind, name.as_str()))).collect()
}

/// Why kinds already taken are refused, in French.
pub fn kinds_taken_message(taken: &[(RequestKind, &str)]) -> String {
    let each: Vec<String> = taken.iter().map(|(kind, team)| format!("« {} » va déjà à l'équipe « {team} »", kind.short_label())).collect();
    format!("{} : une demande ne peut aller qu'à une seule équipe. Retirez d'abord ce type à l'autre équipe.", each.join(" ; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_teams() -> Vec<(String, RequestKinds)> {
        DEFAULT_TEAMS.iter().map(|(name, kinds)| ((*name).to_owned(), RequestKinds::from(*kinds))).collect()
    }

    #[test]
    fn each_kind_goes_to_the_team_that_handles_it() {
        let teams = default_teams();
        for (kind, team) in [
            (RequestKind::Contact, "Accueil"),
            (RequestKind::Appointment, "Accueil"),
            (RequestKind::MasReferral, "Mission Accompagnement Santé"),
            (RequestKind::DossierStudy, "Droits (PUMa, C2S, AME)"),
        ] {
            assert_eq!(route(kind, &teams), Some(team), "{kind:?}");
        }
    }

    #[test]
    fn a_kind_no_team_handles_stays_with_the_whole_caisse() {
        let teams = vec![("mas".to_owned(), RequestKinds(vec![RequestKind::MasReferral]))];
        assert_eq!(route(RequestKind::DossierStudy, &teams), None);
        assert_eq!(route(RequestKind::MasReferral, &[]), None);
    }

    #[test]
    fn a_team_needs_a_name_and_known_kinds() {
        let draft = TeamDraft::parse("  Accueil  ", &["appointment", "", "contact", "contact"]).expect("valid");
        assert_eq!(draft, TeamDraft { name: "Accueil".into(), kinds: RequestKinds(vec![RequestKind::Contact, RequestKind::Appointment]) });
        assert_eq!(TeamDraft::parse("Renfort", &[]).expect("no kind is allowed").kinds, RequestKinds::default());
        let long = "x".repeat(NAME_MAX + 1);
        for (name, kinds, fields) in [
            ("", vec![], vec!["name"]),
            (long.as_str(), vec!["contact"], vec!["name"]),
            ("Équipe", vec!["teleportation"], vec!["kinds"]),
            (" ", vec!["nope"], vec!["name", "kinds"]),
        ] {
            let problems = TeamDraft::parse(name, &kinds).expect_err("refused");
            assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), fields, "{name:?} {kinds:?}");
        }
    }

    #[test]
    fn a_kind_another_team_receives_is_taken() {
        let others = default_teams();
        assert_eq!(kinds_taken(&RequestKinds(vec![RequestKind::MasReferral]), &others), [(RequestKind::MasReferral, "Mission Accompagnement Santé")]);
        assert_eq!(
            kinds_taken(&RequestKinds(vec![RequestKind::Contact, RequestKind::DossierStudy]), &others),
            [(RequestKind::Contact, "Accueil"), (RequestKind::DossierStudy, "Droits (PUMa, C2S, AME)")]
        );
        assert_eq!(kinds_taken(&RequestKinds::default(), &others), []);
        assert_eq!(kinds_taken(&RequestKinds(vec![RequestKind::Contact]), &[]), []);
        let message = kinds_taken_message(&kinds_taken(&RequestKinds(vec![RequestKind::MasReferral]), &others));
        assert!(message.starts_with("« Saisine MAS » va déjà à l'équipe « Mission Accompagnement Santé »"), "{message}");
    }

    mod properties {
        //! Properties of `TeamDraft::parse` and of kinds read from arbitrary text.

        use super::*;
        use crate::domain::form_values::typed_text::any_text;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_name_and_kinds_get_an_answer(name in any_text(), kinds in proptest::collection::vec(any_text(), 0..4)) {
                let codes: Vec<&str> = kinds.iter().map(String::as_str).collect();
                match TeamDraft::parse(&name, &codes) {
                    Ok(draft) => {
                        prop_assert_eq!(draft.name.as_str(), name.trim());
                        prop_assert!(!draft.name.is_empty() && draft.name.chars().count() <= NAME_MAX);
                        prop_assert_eq!(RequestKinds::parse(&draft.kinds.codes()), Ok(draft.kinds));
                    }
                    Err(problems) => prop_assert!(problems.iter().all(|p| ["name", "kinds"].contains(&p.field.as_str()) && !p.message.is_empty())),
                }
                if let Ok(stored) = RequestKinds::parse(&name) {
                    prop_assert_eq!(RequestKinds::parse(&stored.codes()), Ok(stored));
                }
            }
        }
    }
}
