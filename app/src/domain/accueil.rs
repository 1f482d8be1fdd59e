//! An accueil of a caisse as its admin types it: name, address, postal code, commune, an optional telephone, and
//! the opening hours day by day ([`OpeningHours::from_typed`]). Every problem is a French message on its field.

use super::form_values::FormValues;
use super::opening_hours::OpeningHours;
use super::opening_hours::typed::DAY_FIELDS;
use crate::domain::field_error::{FieldError, Problems};

pub const NAME_MAX: usize = 120;
pub const ADDRESS_MAX: usize = 200;
pub const COMMUNE_MAX: usize = 100;
pub const PHONE_MAX: usize = 25;

/// An accueil's details, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccueilDraft {
    pub name: String,
    pub address: String,
    /// Five digits.
    pub postal_code: String,
    pub commune: String,
    pub phone: Option<String>,
    pub hours: OpeningHours,
}

impl AccueilDraft {
    /// Reads the fields `name`, `address`, `postal_code`, `commune`, `phone` and `hours_mon` … `hours_sun`.
    pub fn parse(form: &FormValues) -> Result<AccueilDraft, Vec<FieldError>> {
        let mut problems = Problems::new();
        let name = problems.required("name", form.text("name"), "Saisissez le nom de l'accueil (par exemple « Accueil de Massy »).", NAME_MAX);
        let address = problems.required("address", form.text("address"), "Saisissez l'adresse : numéro et voie.", ADDRESS_MAX);
        let postal_code: String = form.text("postal_code").chars().filter(|c| !c.is_whitespace()).collect();
        if postal_code.is_empty() {
            problems.push("postal_code", "Saisissez le code postal.".to_owned());
        } else if postal_code.len() != 5 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
            problems.push("postal_code", format!("Le code postal « {postal_code} » doit compter 5 chiffres, par exemple 91000."));
        }
        let commune = problems.required("commune", form.text("commune"), "Saisissez la commune.", COMMUNE_MAX);
        let phone = form.text("phone");
        let phone_chars_ok = phone.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " .-".contains(c) || (c == '+' && i == 0));
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if !phone.is_empty() && (!phone_chars_ok || !(4..=15).contains(&digits) || phone.chars().count() > PHONE_MAX) {
            problems.push("phone", format!("Le téléphone « {phone} » n'est pas un numéro : des chiffres (4 à 15), avec des espaces ou des points si vous voulez, par exemple 01 23 45 67 89 ou 36 46."));
        }
        let days: [&str; 7] = std::array::from_fn(|i| form.text(DAY_FIELDS[i]));
        let hours = OpeningHours::from_typed(days).map_err(|hour_problems| problems.extend(hour_problems)).ok();
        match hours {
            Some(hours) if problems.is_empty() => {
                Ok(AccueilDraft { name, address, postal_code, commune, phone: Some(phone.to_owned()).filter(|p| !p.is_empty()), hours })
            }
            _ => Err(problems.into_vec()),
        }
    }

    /// The address on one line: "1 avenue du Noyer Lambert, 91300 Massy".
    pub fn address_line(&self) -> String {
        format!("{}, {} {}", self.address, self.postal_code, self.commune)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(fields: &[(&str, &str)]) -> FormValues {
        let base = [
            ("name", "Accueil de Massy"),
            ("address", "1 avenue du Noyer Lambert"),
            ("postal_code", "91300"),
            ("commune", "Massy"),
            ("phone", "36 46"),
            ("hours_mon", "08:30-12:00, 13:30-16:30"),
            ("hours_wed", "8h30-12h"),
        ];
        let mut values = FormValues::new();
        for (name, value) in base {
            if !fields.iter().any(|(field, _)| *field == name) {
                values.push(name, value);
            }
        }
        for (name, value) in fields {
            values.push(*name, *value);
        }
        values
    }

    #[test]
    fn a_complete_accueil_is_accepted() {
        let draft = AccueilDraft::parse(&form(&[("postal_code", " 91 300 "), ("name", "  Accueil de Massy ")])).expect("valid");
        assert_eq!(draft.name, "Accueil de Massy");
        assert_eq!(draft.postal_code, "91300");
        assert_eq!(draft.phone.as_deref(), Some("36 46"));
        assert_eq!(draft.hours.summary(), ["Lundi : 08h30–12h00, 13h30–16h30", "Mercredi : 08h30–12h00"]);
        assert_eq!(draft.address_line(), "1 avenue du Noyer Lambert, 91300 Massy");
        assert_eq!(AccueilDraft::parse(&form(&[("phone", "")])).expect("valid").phone, None, "the telephone is optional");
        for phone in ["+33 1 23 45 67 89", "01.23.45.67.89", "3646"] {
            assert!(AccueilDraft::parse(&form(&[("phone", phone)])).is_ok(), "{phone}");
        }
    }

    #[test]
    fn each_wrong_field_is_named() {
        let long = "x".repeat(NAME_MAX + 1);
        for (fields, expected) in [
            (vec![("name", "")], vec!["name"]),
            (vec![("name", long.as_str())], vec!["name"]),
            (vec![("address", " ")], vec!["address"]),
            (vec![("postal_code", "")], vec!["postal_code"]),
            (vec![("postal_code", "9130")], vec!["postal_code"]),
            (vec![("postal_code", "2A004")], vec!["postal_code"]),
            (vec![("commune", "")], vec!["commune"]),
            (vec![("phone", "appeler le standard")], vec!["phone"]),
            (vec![("phone", "12")], vec!["phone"]),
            (vec![("phone", "01 23 +45")], vec!["phone"]),
            (vec![("hours_wed", "8h30")], vec!["hours_wed"]),
            (vec![("hours_mon", ""), ("hours_wed", "")], vec!["hours_mon"]),
            (vec![("name", ""), ("postal_code", "abc"), ("hours_fri", "18-8")], vec!["name", "postal_code", "hours_fri"]),
        ] {
            let problems = AccueilDraft::parse(&form(&fields)).expect_err("refused");
            assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), expected, "{fields:?}");
        }
        let problems = AccueilDraft::parse(&form(&[("postal_code", "9130")])).expect_err("refused");
        assert_eq!(problems[0].message, "Le code postal « 9130 » doit compter 5 chiffres, par exemple 91000.");
    }

    mod properties {
        //! Properties of `AccueilDraft::parse` over arbitrary text in every field.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_fields_get_an_answer_each_on_its_field(
                name in any_text(),
                postal_code in prop_oneof![shaped_with_one_odd_char("[0-9]{5}"), any_text()],
                phone in prop_oneof![shaped_with_one_odd_char("0[1-9]( [0-9]{2}){4}"), any_text()],
                hours_tue in any_text(),
            ) {
                let fields = [("name", name.as_str()), ("postal_code", postal_code.as_str()), ("phone", phone.as_str()), ("hours_tue", hours_tue.as_str())];
                match AccueilDraft::parse(&form(&fields)) {
                    Ok(draft) => {
                        prop_assert!(draft.postal_code.len() == 5 && draft.postal_code.bytes().all(|b| b.is_ascii_digit()));
                        prop_assert!(!draft.name.is_empty() && draft.name.chars().count() <= NAME_MAX);
                        prop_assert!(draft.phone.is_none_or(|p| p.chars().count() <= PHONE_MAX && p.is_ascii()));
                    }
                    Err(problems) => {
                        let known = ["name", "address", "postal_code", "commune", "phone"];
                        prop_assert!(problems.iter().all(|p| (known.contains(&p.field.as_str()) || DAY_FIELDS.contains(&p.field.as_str())) && !p.message.is_empty()));
                    }
                }
            }
        }
    }
}
