//! A period typed into a list's filters (`du`, `au`): each date as a date field sends it or as someone types it,
//! and an end before the start refused on the field, with French messages.

use crate::domain::field_error::FieldError;
use chrono::NaiveDate;

/// The days a list is filtered on (the audit log, the partner's history), both included; either end may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

const DATE_FORMAT_HINT: &str = "au format JJ/MM/AAAA, par exemple 22/11/2026";

/// A day as a date field sends it (`2026-11-22`) or as someone types it (`22/11/2026`, `22-11-2026`, `22.11.2026`).
fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"].into_iter().find_map(|format| NaiveDate::parse_from_str(text, format).ok()))
        .filter(|day| (1900..=9999).contains(&chrono::Datelike::year(day)))
}

impl Period {
    /// The period typed in the fields `du` and `au` (empty: no bound), with a French message per wrong field.
    pub fn parse(from: &str, to: &str) -> Result<Period, Vec<FieldError>> {
        let mut problems = vec![];
        let mut read = |field: &'static str, text: &str, what: &str| {
            if text.trim().is_empty() {
                return None;
            }
            let day = parse_day(text);
            if day.is_none() {
                problems.push(FieldError::new(
                    field,
                    format!("La date {what} « {} » n'est pas une date : saisissez-la {DATE_FORMAT_HINT}.", text.trim()),
                ));
            }
            day
        };
        let period = Period { from: read("du", from, "de début"), to: read("au", to, "de fin") };
        if let (Some(from), Some(to)) = (period.from, period.to)
            && to < from
        {
            problems
                .push(FieldError::new("au", "La date de fin précède la date de début : choisissez une date de fin postérieure ou égale.".to_owned()));
        }
        if problems.is_empty() { Ok(period) } else { Err(problems) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn periods_accept_date_fields_and_typed_french_dates() {
        for (from, to, expected) in [
            ("", "", Period::default()),
            ("2026-11-01", "", Period { from: day(2026, 11, 1), to: None }),
            ("", " 22/11/2026 ", Period { from: None, to: day(2026, 11, 22) }),
            ("01-11-2026", "01.12.2026", Period { from: day(2026, 11, 1), to: day(2026, 12, 1) }),
            ("2026-11-22", "2026-11-22", Period { from: day(2026, 11, 22), to: day(2026, 11, 22) }),
        ] {
            assert_eq!(Period::parse(from, to), Ok(expected), "{from} → {to}");
        }
    }

    #[test]
    fn wrong_dates_are_refused_on_their_own_field() {
        for (from, to, fields) in [
            ("hier", "", vec!["du"]),
            ("", "31/02/2026", vec!["au"]),
            ("2026-13-01", "n'importe", vec!["du", "au"]),
            ("2026-11-22", "2026-11-21", vec!["au"]),
            ("22/11/26", "", vec!["du"]),
        ] {
            let problems = Period::parse(from, to).expect_err("refused");
            assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), fields, "{from} → {to}");
        }
        let problems = Period::parse("hier", "").expect_err("refused");
        assert_eq!(problems[0].message, "La date de début « hier » n'est pas une date : saisissez-la au format JJ/MM/AAAA, par exemple 22/11/2026.");
    }

    #[test]
    fn multibyte_and_far_dates_are_refused_in_french() {
        for typed in ["２２/11/2026", "22/11/2026€", "22/1é/2026", "+262143-12-31", "-0001-01-01"] {
            let problems = Period::parse(typed, "").expect_err(typed);
            assert_eq!(
                problems,
                [FieldError::new("du", format!("La date de début « {typed} » n'est pas une date : saisissez-la {DATE_FORMAT_HINT}."))]
            );
        }
    }

    mod properties {
        //! Properties of `Period::parse` (the date filters of the audit log and the history) over arbitrary and generated text.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use chrono::Datelike;
        use proptest::prelude::*;

        fn day_ish() -> impl Strategy<Value = String> {
            prop_oneof!["[+-]?[0-9]{1,6}[-/.][0-9]{1,2}[-/.][0-9]{1,6}", shaped_with_one_odd_char("[0-9]{2}/[0-9]{2}/[0-9]{4}"), any_text(),]
        }

        proptest! {
            #[test]
            fn any_typed_period_gets_an_answer(from in day_ish(), to in day_ish()) {
                match Period::parse(&from, &to) {
                    Ok(period) => {
                        for day in [period.from, period.to].into_iter().flatten() {
                            prop_assert!((1900..=9999).contains(&day.year()));
                        }
                        if let (Some(from), Some(to)) = (period.from, period.to) {
                            prop_assert!(from <= to);
                        }
                        prop_assert_eq!(period.from.is_none(), from.trim().is_empty());
                        prop_assert_eq!(period.to.is_none(), to.trim().is_empty());
                    }
                    Err(problems) => {
                        prop_assert!(!problems.is_empty());
                        prop_assert!(problems.iter().all(|p| ["du", "au"].contains(&p.field.as_str()) && p.message.starts_with("La date de ")));
                    }
                }
            }

            #[test]
            fn a_day_reads_back_in_every_accepted_form(offset in 0u64..2_900_000) {
                let day = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date") + chrono::Days::new(offset);
                for format in ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"] {
                    let typed = day.format(format).to_string();
                    prop_assert_eq!(Period::parse(&typed, &typed), Ok(Period { from: Some(day), to: Some(day) }), "{}", typed);
                }
            }
        }
    }
}
