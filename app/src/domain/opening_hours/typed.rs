//! Opening hours as an admin types them: one text field per weekday (`hours_mon` … `hours_sun`) holding that
//! day's ranges, e.g. `08:30-12:00, 13:30-16:30`; empty means closed. Typing is lenient (`8h30-12h`, an en dash,
//! `8:30 à 12:00`, `;` between ranges); every problem names the day's field in French.

use super::{CAPITALISED_WEEKDAY_NAMES, OpeningHours, WEEK, day_index, displayed_range};
use crate::domain::field_error::FieldError;
use chrono::{NaiveTime, Timelike, Weekday};

/// The form field of each weekday, Monday first.
pub const DAY_FIELDS: [&str; 7] = ["hours_mon", "hours_tue", "hours_wed", "hours_thu", "hours_fri", "hours_sat", "hours_sun"];

/// The field of one weekday.
pub fn day_field(day: Weekday) -> &'static str {
    DAY_FIELDS[day_index(day)]
}

/// The weekday's name as a form labels it ("Lundi").
pub fn day_label(day: Weekday) -> &'static str {
    CAPITALISED_WEEKDAY_NAMES[day_index(day)]
}

/// Every weekday, Monday first (the order of the form's fields).
pub fn week() -> [Weekday; 7] {
    WEEK
}

/// `8:30`, `08:30`, `8h30`, `8h`, `8H30`, `8` → a time of day; `None` for anything else.
fn typed_time(text: &str) -> Option<NaiveTime> {
    let text = text.trim().to_lowercase();
    let (hours, minutes) = match text.split_once([':', 'h']) {
        Some((hours, "")) => (hours, "00"),
        Some((hours, minutes)) => (hours, minutes),
        None => (text.as_str(), "00"),
    };
    let digits = |part: &str, max_len: usize| !part.is_empty() && part.len() <= max_len && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(hours, 2) || !digits(minutes, 2) || minutes.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(hours.parse().ok()?, minutes.parse().ok()?, 0)
}

/// One day's ranges as typed, sorted and checked; the message says what is wrong, starting with the day's name.
fn typed_day(day: Weekday, text: &str) -> Result<Vec<(NaiveTime, NaiveTime)>, String> {
    let name = day_label(day);
    let mut ranges = vec![];
    let normalised = text.replace(['–', '—', '‑'], "-").replace(" à ", "-").replace(" a ", "-").replace(';', ",").replace(" et ", ",");
    for part in normalised.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((open, close)) = part.split_once('-') else {
            return Err(format!(
                "{name} : « {part} » n'est pas une plage horaire ; écrivez l'ouverture et la fermeture séparées d'un tiret, par exemple 08:30-12:00."
            ));
        };
        let time = |typed: &str| {
            typed_time(typed)
                .ok_or_else(|| format!("{name} : « {} » n'est pas une heure ; écrivez-la comme 08:30 ou 8h30 (de 00:00 à 23:59).", typed.trim()))
        };
        let (open, close) = (time(open)?, time(close)?);
        if close <= open {
            return Err(format!("{name} : la plage {} doit finir après son début.", displayed_range(open, close)));
        }
        ranges.push((open, close));
    }
    ranges.sort();
    for pair in ranges.windows(2) {
        if let [first, second] = pair
            && second.0 < first.1
        {
            return Err(format!(
                "{name} : les plages {} et {} se chevauchent.",
                displayed_range(first.0, first.1),
                displayed_range(second.0, second.1)
            ));
        }
    }
    Ok(ranges)
}

impl OpeningHours {
    /// The hours typed in the seven day fields (Monday first); each wrong day is a problem on its own field.
    /// A week with no open day at all is refused too (an accueil that never opens is deactivated instead).
    pub fn from_typed(days: [&str; 7]) -> Result<OpeningHours, Vec<FieldError>> {
        let mut hours = OpeningHours::default();
        let mut problems = vec![];
        for (day, text) in WEEK.into_iter().zip(days) {
            match typed_day(day, text) {
                Ok(ranges) => hours.days[day_index(day)] = ranges,
                Err(message) => problems.push(FieldError::new(day_field(day), message)),
            }
        }
        if problems.is_empty() && hours.days.iter().all(Vec::is_empty) {
            problems.push(FieldError::new(
                DAY_FIELDS[0],
                "Indiquez les horaires d'au moins un jour : un accueil qui n'ouvre jamais se désactive plutôt.".to_owned(),
            ));
        }
        if problems.is_empty() { Ok(hours) } else { Err(problems) }
    }

    /// One day's ranges as its form field shows them (`08:30-12:00, 13:30-16:30`; empty when closed), which
    /// [`OpeningHours::from_typed`] reads back.
    pub fn typed(&self, day: Weekday) -> String {
        let time = |t: NaiveTime| format!("{:02}:{:02}", t.hour(), t.minute());
        self.ranges(day).iter().map(|(open, close)| format!("{}-{}", time(*open), time(*close))).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time in the test table")
    }

    fn only(day_index: usize, text: &str) -> [&str; 7] {
        let mut days = [""; 7];
        days[day_index] = text;
        days
    }

    #[test]
    fn a_day_is_typed_in_many_ways() {
        let usual = vec![(t(8, 30), t(12, 0)), (t(13, 30), t(16, 30))];
        for (typed, expected) in [
            ("08:30-12:00, 13:30-16:30", usual.clone()),
            ("8h30-12h, 13h30-16h30", usual.clone()),
            ("8h30 – 12h00 ; 13H30—16H30", usual.clone()),
            ("13:30-16:30,08:30-12:00", usual.clone()),
            ("8:30 à 12:00 et 13:30 à 16:30", usual),
            ("9-17", vec![(t(9, 0), t(17, 0))]),
            ("  ", vec![]),
            ("", vec![]),
            ("09:00-12:00, 12:00-13:00", vec![(t(9, 0), t(12, 0)), (t(12, 0), t(13, 0))]),
        ] {
            let mut days = only(1, typed);
            days[0] = "09:00-12:00";
            let hours = OpeningHours::from_typed(days).unwrap_or_else(|p| panic!("{typed}: {p:?}"));
            assert_eq!(hours.ranges(Weekday::Tue), expected, "{typed}");
        }
    }

    #[test]
    fn wrong_days_are_refused_on_their_own_field_in_french() {
        for (day, typed, message) in [
            (
                0,
                "08:30",
                "Lundi : « 08:30 » n'est pas une plage horaire ; écrivez l'ouverture et la fermeture séparées d'un tiret, par exemple 08:30-12:00.",
            ),
            (1, "8h30-25h", "Mardi : « 25h » n'est pas une heure ; écrivez-la comme 08:30 ou 8h30 (de 00:00 à 23:59)."),
            (2, "08:60-12:00", "Mercredi : « 08:60 » n'est pas une heure ; écrivez-la comme 08:30 ou 8h30 (de 00:00 à 23:59)."),
            (3, "matin-soir", "Jeudi : « matin » n'est pas une heure ; écrivez-la comme 08:30 ou 8h30 (de 00:00 à 23:59)."),
            (4, "12:00-08:30", "Vendredi : la plage 12h00–08h30 doit finir après son début."),
            (5, "09:00-09:00", "Samedi : la plage 09h00–09h00 doit finir après son début."),
            (6, "08:30-14:00, 13:30-16:30", "Dimanche : les plages 08h30–14h00 et 13h30–16h30 se chevauchent."),
            (0, "8:3-12:00", "Lundi : « 8:3 » n'est pas une heure ; écrivez-la comme 08:30 ou 8h30 (de 00:00 à 23:59)."),
        ] {
            let problems = OpeningHours::from_typed(only(day, typed)).expect_err(typed);
            assert_eq!(problems, [FieldError::new(DAY_FIELDS[day], message)], "{typed}");
        }
        let mut days = only(0, "x");
        days[4] = "18:00-08:00";
        let fields: Vec<String> = OpeningHours::from_typed(days).expect_err("refused").into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["hours_mon", "hours_fri"], "every wrong day is named");
    }

    #[test]
    fn a_week_without_any_opening_is_refused() {
        let problems = OpeningHours::from_typed([""; 7]).expect_err("never open");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "hours_mon");
        assert!(problems[0].message.contains("au moins un jour"), "{problems:?}");
    }

    #[test]
    fn stored_hours_show_as_typed_text_and_read_back_the_same() {
        let stored = r#"{"mon":[["08:30","12:00"],["13:30","16:30"]],"wed":[["08:30","12:00"]],"sat":[["09:00","12:00"]]}"#;
        let hours = OpeningHours::parse(stored).expect("valid");
        let typed: Vec<String> = week().into_iter().map(|day| hours.typed(day)).collect();
        assert_eq!(typed, ["08:30-12:00, 13:30-16:30", "", "08:30-12:00", "", "", "09:00-12:00", ""]);
        let fields: [&str; 7] = std::array::from_fn(|i| typed[i].as_str());
        let back = OpeningHours::from_typed(fields).expect("reads back");
        assert_eq!(back, hours);
        assert_eq!(back.to_json(), stored);
    }

    #[test]
    fn each_day_has_its_field_and_its_label() {
        assert_eq!(day_field(Weekday::Mon), "hours_mon");
        assert_eq!(day_field(Weekday::Sun), "hours_sun");
        assert_eq!(day_label(Weekday::Wed), "Mercredi");
    }

    #[test]
    fn multibyte_input_gets_a_french_message() {
        for typed in ["８:30-12:00", "8h30-12h€", "8é30-12:00", "08:30–１２:00", "€"] {
            let problems = OpeningHours::from_typed(only(0, typed)).expect_err(typed);
            assert_eq!(problems.len(), 1, "{typed}");
            assert_eq!(problems[0].field, "hours_mon");
            assert!(problems[0].message.starts_with("Lundi : « "), "{typed}: {problems:?}");
        }
    }

    mod properties {
        //! Properties of `OpeningHours::from_typed` (the seven day fields) over arbitrary and generated text.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use crate::domain::opening_hours::tests::valid_hours;
        use proptest::prelude::*;

        /// A day field as typed: ranges in the lenient forms, with one odd character, or anything.
        fn day_text() -> impl Strategy<Value = String> {
            let range = "[0-9]{1,2}([:hH][0-9]{2})? ?[-–à] ?[0-9]{1,2}([:hH][0-9]{2})?";
            prop_oneof![
                proptest::string::string_regex(&format!("({range}(, |;| et )){{0,2}}{range}")).expect("a valid regex"),
                shaped_with_one_odd_char("[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}"),
                any_text(),
            ]
        }

        proptest! {
            #[test]
            fn any_seven_fields_get_an_answer_and_what_passes_reads_back(days in proptest::array::uniform7(day_text())) {
                let fields: [&str; 7] = std::array::from_fn(|i| days[i].as_str());
                match OpeningHours::from_typed(fields) {
                    Ok(hours) => {
                        let typed: Vec<String> = week().into_iter().map(|day| hours.typed(day)).collect();
                        let again: [&str; 7] = std::array::from_fn(|i| typed[i].as_str());
                        prop_assert_eq!(OpeningHours::from_typed(again), Ok(hours.clone()));
                        prop_assert_eq!(OpeningHours::parse(&hours.to_json()), Ok(hours));
                    }
                    Err(problems) => {
                        prop_assert!(!problems.is_empty());
                        for FieldError { field, message } in problems {
                            let day = DAY_FIELDS.iter().position(|f| *f == field).expect("a day field");
                            prop_assert!(
                                message.starts_with(&format!("{} : ", CAPITALISED_WEEKDAY_NAMES[day])) || message.starts_with("Indiquez "),
                                "{}", message
                            );
                        }
                    }
                }
            }

            #[test]
            fn valid_hours_read_back_from_their_typed_form(hours in valid_hours()) {
                prop_assume!(week().into_iter().any(|day| !hours.ranges(day).is_empty()));
                let typed: Vec<String> = week().into_iter().map(|day| hours.typed(day)).collect();
                let fields: [&str; 7] = std::array::from_fn(|i| typed[i].as_str());
                prop_assert_eq!(OpeningHours::from_typed(fields), Ok(hours));
            }
        }
    }
}
