//! A partner structure's identity as an admin types it: name, kind, SIRET, address. Checked field by field, the
//! same way in the page and on the server.

use super::siret::Siret;
use super::structure_kind::StructureKind;
use crate::domain::field_error::{FieldError, Problems};

/// The longest name or address line, in characters.
pub const TEXT_MAX: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructureProfile {
    pub name: String,
    pub kind: StructureKind,
    pub siret: Siret,
    pub address: String,
    pub postal_code: String,
    pub commune: String,
}

/// The fields as typed, by form name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypedProfile<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub siret: &'a str,
    pub address: &'a str,
    pub postal_code: &'a str,
    pub commune: &'a str,
}

impl StructureProfile {
    /// Every problem at once, each naming its field.
    pub fn parse(typed: &TypedProfile<'_>) -> Result<StructureProfile, Vec<FieldError>> {
        let mut problems = Problems::new();
        let name = problems.required("name", typed.name, "Indiquez le nom de la structure.", TEXT_MAX);
        let kind = StructureKind::parse(typed.kind.trim()).map_err(|_| problems.push("kind", "Choisissez le type de structure.".to_owned())).ok();
        let siret = match typed.siret.trim() {
            "" => {
                problems.push("siret", "Indiquez le SIRET de la structure (14 chiffres).".to_owned());
                None
            }
            text => Siret::parse(text).map_err(|e| problems.push("siret", e.to_string())).ok(),
        };
        let address = problems.required("address", typed.address, "Indiquez l'adresse (numéro et voie).", TEXT_MAX);
        let postal_code: String = typed.postal_code.chars().filter(|c| !c.is_whitespace()).collect();
        if postal_code.len() != 5 || !postal_code.chars().all(|c| c.is_ascii_digit()) {
            problems.push("postal_code", "Le code postal compte 5 chiffres (ex. 91000).".to_owned());
        }
        let commune = problems.required("commune", typed.commune, "Indiquez la commune.", TEXT_MAX);
        match (kind, siret) {
            (Some(kind), Some(siret)) if problems.is_empty() => Ok(StructureProfile { name, kind, siret, address, postal_code, commune }),
            _ => Err(problems.into_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> TypedProfile<'static> {
        TypedProfile {
            name: " CCAS de Massy ",
            kind: "ccas",
            siret: "269 100 268 00011",
            address: "1 avenue du Général de Gaulle",
            postal_code: "91 300",
            commune: "Massy",
        }
    }

    fn fields(typed: TypedProfile<'_>) -> Vec<String> {
        StructureProfile::parse(&typed).err().unwrap_or_default().into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_complete_profile_is_accepted_and_tidied() {
        let profile = StructureProfile::parse(&typed()).expect("valid");
        assert_eq!(profile.name, "CCAS de Massy");
        assert_eq!(profile.siret.as_str(), "26910026800011");
        assert_eq!(profile.postal_code, "91300");
        assert_eq!(profile.kind, StructureKind::Ccas);
    }

    #[test]
    fn each_wrong_field_is_named() {
        assert_eq!(fields(TypedProfile::default()), ["name", "kind", "siret", "address", "postal_code", "commune"]);
        assert_eq!(fields(TypedProfile { siret: "26910026800012", ..typed() }), ["siret"]);
        assert_eq!(fields(TypedProfile { postal_code: "9130", ..typed() }), ["postal_code"]);
        assert_eq!(fields(TypedProfile { kind: "club", ..typed() }), ["kind"]);
        let long = "x".repeat(TEXT_MAX + 1);
        assert_eq!(fields(TypedProfile { name: &long, ..typed() }), ["name"]);
    }

    mod properties {
        //! Properties of `StructureProfile::parse` over arbitrary text in every field.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_fields_get_an_answer_each_on_its_field(
                name in any_text(),
                kind in any_text(),
                siret in prop_oneof![shaped_with_one_odd_char("[0-9]{14}"), any_text()],
                postal_code in prop_oneof![shaped_with_one_odd_char("[0-9]{5}"), any_text()],
            ) {
                let typed = TypedProfile { name: &name, kind: &kind, siret: &siret, postal_code: &postal_code, ..typed() };
                match StructureProfile::parse(&typed) {
                    Ok(profile) => {
                        prop_assert!(profile.postal_code.len() == 5 && profile.postal_code.bytes().all(|b| b.is_ascii_digit()));
                        prop_assert_eq!(Siret::parse(&siret), Ok(profile.siret));
                        prop_assert_eq!(profile.name, name.trim());
                    }
                    Err(problems) => {
                        let known = ["name", "kind", "siret", "address", "postal_code", "commune"];
                        prop_assert!(!problems.is_empty() && problems.iter().all(|p| known.contains(&p.field.as_str()) && !p.message.is_empty()));
                    }
                }
            }
        }
    }
}
