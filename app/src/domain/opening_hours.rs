//! The opening hours of an accueil (stored as JSON text) and the 30-minute appointment slots they allow.

pub mod typed;

use super::due_date::is_public_holiday;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Length of an appointment, in minutes; slots start on this grid (on the hour or at half past).
pub const SLOT_MINUTES: u32 = 30;

/// The stored JSON keys, Monday first, in the order of `Weekday::num_days_from_monday`.
const DAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The French weekday names, lowercase, Monday first.
const WEEKDAY_NAMES: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

/// The French weekday names, capitalised for the start of a line, Monday first.
const CAPITALISED_WEEKDAY_NAMES: [&str; 7] = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"];

/// Every weekday, Monday first.
const WEEK: [Weekday; 7] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

/// The opening hours of one accueil: for each weekday, sorted, non-overlapping `[open, close)` ranges.
/// A day without ranges is closed. Serialises to (and deserialises from, with the same checks as
/// [`OpeningHours::parse`]) the stored JSON form.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "StoredDays", into = "StoredHours")]
pub struct OpeningHours {
    /// Indexed by `Weekday::num_days_from_monday`.
    days: [Vec<(NaiveTime, NaiveTime)>; 7],
}

/// Why stored opening hours cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    /// Not JSON, or not an object of day keys to lists of `["HH:MM", "HH:MM"]` pairs.
    #[error("Horaires illisibles : {0}")]
    Unreadable(String),
    #[error("Horaires illisibles : jour inconnu « {0} » (jours attendus : mon, tue, wed, thu, fri, sat, sun).")]
    UnknownDay(String),
    #[error("Horaires illisibles : l'heure « {time} » du {} n'est pas au format HH:MM (00:00 à 23:59).", weekday_name(*.day))]
    BadTime { day: Weekday, time: String },
    /// The range, as displayed (`12h00–08h30`), ends at or before its start.
    #[error("Horaires illisibles : la plage {range} du {} doit finir après son début.", weekday_name(*.day))]
    EmptyRange { day: Weekday, range: String },
    /// Two ranges of the same day, as displayed, share some time.
    #[error("Horaires illisibles : les plages {first} et {second} du {} se chevauchent.", weekday_name(*.day))]
    Overlap { day: Weekday, first: String, second: String },
}

/// The JSON as read: day key to `[open, close]` pairs, checked afterwards so errors can be in French.
type StoredDays = BTreeMap<String, Vec<(String, String)>>;

/// The JSON as written: the days in week order, closed days left out.
#[derive(Serialize)]
struct StoredHours {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mon: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tue: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    wed: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    thu: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fri: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sat: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sun: Vec<(String, String)>,
}

impl From<&OpeningHours> for StoredHours {
    fn from(hours: &OpeningHours) -> Self {
        let stored = |day: Weekday| -> Vec<(String, String)> {
            hours.ranges(day).iter().map(|(open, close)| (stored_time(*open), stored_time(*close))).collect()
        };
        StoredHours {
            mon: stored(Weekday::Mon),
            tue: stored(Weekday::Tue),
            wed: stored(Weekday::Wed),
            thu: stored(Weekday::Thu),
            fri: stored(Weekday::Fri),
            sat: stored(Weekday::Sat),
            sun: stored(Weekday::Sun),
        }
    }
}

impl From<OpeningHours> for StoredHours {
    fn from(hours: OpeningHours) -> Self {
        StoredHours::from(&hours)
    }
}

impl TryFrom<StoredDays> for OpeningHours {
    type Error = HoursError;

    fn try_from(stored: StoredDays) -> Result<Self, Self::Error> {
        let mut hours = OpeningHours::default();
        for (key, pairs) in stored {
            let day = day_of_key(&key).ok_or(HoursError::UnknownDay(key))?;
            let mut ranges = pairs
                .iter()
                .map(|(open, close)| {
                    let open = parse_stored_time(day, open)?;
                    let close = parse_stored_time(day, close)?;
                    if close <= open {
                        return Err(HoursError::EmptyRange { day, range: displayed_range(open, close) });
                    }
                    Ok((open, close))
                })
                .collect::<Result<Vec<_>, _>>()?;
            ranges.sort();
            for pair in ranges.windows(2) {
                if let [first, second] = pair
                    && second.0 < first.1
                {
                    return Err(HoursError::Overlap { day, first: displayed_range(first.0, first.1), second: displayed_range(second.0, second.1) });
                }
            }
            hours.days[day_index(day)] = ranges;
        }
        Ok(hours)
    }
}

impl OpeningHours {
    /// Parses the stored JSON; refuses unknown day keys, bad times, ranges whose end is not after their start,
    /// overlapping ranges. Ranges may be given in any order (they are sorted); ranges that merely touch
    /// (`12:00` closes one, `12:00` opens the next) are accepted, but a slot never straddles two of them.
    pub fn parse(json: &str) -> Result<OpeningHours, HoursError> {
        let stored: StoredDays = serde_json::from_str(json).map_err(|error| HoursError::Unreadable(unreadable_reason(&error)))?;
        OpeningHours::try_from(stored)
    }

    /// The stored JSON form (round-trips with parse): days in week order, closed days left out.
    pub fn to_json(&self) -> String {
        // Fixed keys holding strings only: serde_json has no way to fail on that.
        serde_json::to_string(&StoredHours::from(self)).unwrap_or_default()
    }

    /// The ranges of one weekday (chrono::Weekday), sorted; empty when the accueil is closed that day.
    pub fn ranges(&self, day: Weekday) -> &[(NaiveTime, NaiveTime)] {
        &self.days[day_index(day)]
    }

    /// Every 30-minute slot start of that date, in order (empty on a closed day or a public holiday). Slots start
    /// on the hour or at half past and end within their range, so each one passes [`check_slot`] (if in the future).
    pub fn slots_on(&self, date: NaiveDate) -> Vec<NaiveTime> {
        if is_public_holiday(date) {
            return Vec::new();
        }
        let mut slots = Vec::new();
        for (open, close) in self.ranges(date.weekday()) {
            let mut start = minutes_of(*open).div_ceil(SLOT_MINUTES) * SLOT_MINUTES;
            while start + SLOT_MINUTES <= minutes_of(*close) {
                if let Some(time) = time_of(start) {
                    slots.push(time);
                }
                start += SLOT_MINUTES;
            }
        }
        slots
    }

    /// French one-line summary per open day, for display: e.g. ["Lundi : 08h30–12h00, 13h30–16h30",
    /// "Mercredi : 08h30–12h00", ...] (closed days omitted).
    pub fn summary(&self) -> Vec<String> {
        WEEK.iter()
            .filter(|day| !self.ranges(**day).is_empty())
            .map(|day| format!("{} : {}", CAPITALISED_WEEKDAY_NAMES[day_index(*day)], self.day_summary(*day)))
            .collect()
    }

    /// The ranges of one day as displayed: "08h30–12h00, 13h30–16h30".
    fn day_summary(&self, day: Weekday) -> String {
        self.ranges(day).iter().map(|(open, close)| displayed_range(*open, *close)).collect::<Vec<_>>().join(", ")
    }
}

/// Why a 30-minute appointment cannot start at the requested time.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SlotError {
    #[error("Choisissez une date et une heure à venir.")]
    InThePast,
    /// The date, as dd/mm/yyyy.
    #[error("Le {0} est un jour férié : l'accueil est fermé.")]
    PublicHoliday(String),
    /// The French weekday name, lowercase.
    #[error("L'accueil est fermé le {0}.")]
    ClosedThatDay(String),
    /// That day's ranges, as displayed ("08h30–12h00, 13h30–16h30").
    #[error("Ce créneau est en dehors des horaires d'ouverture ({0}).")]
    OutsideHours(String),
    #[error("Les rendez-vous commencent à l'heure ou à la demie.")]
    NotOnTheGrid,
}

/// Checks that a 30-minute appointment starting at `start` (Paris local time) can be booked with these hours.
/// Checked in this order: on the grid, after `now`, not a public holiday, an open day, within one range.
pub fn check_slot(hours: &OpeningHours, start: NaiveDateTime, now: NaiveDateTime) -> Result<(), SlotError> {
    let time = start.time();
    if !time.minute().is_multiple_of(SLOT_MINUTES) || time.second() != 0 || time.nanosecond() != 0 {
        return Err(SlotError::NotOnTheGrid);
    }
    if start <= now {
        return Err(SlotError::InThePast);
    }
    let date = start.date();
    if is_public_holiday(date) {
        return Err(SlotError::PublicHoliday(date.format("%d/%m/%Y").to_string()));
    }
    let day = date.weekday();
    let ranges = hours.ranges(day);
    if ranges.is_empty() {
        return Err(SlotError::ClosedThatDay(weekday_name(day).to_string()));
    }
    // In minutes since midnight, so a slot late in the evening cannot wrap round to the next morning.
    let (slot_start, slot_end) = (minutes_of(time), minutes_of(time) + SLOT_MINUTES);
    if ranges.iter().any(|(open, close)| minutes_of(*open) <= slot_start && slot_end <= minutes_of(*close)) {
        Ok(())
    } else {
        Err(SlotError::OutsideHours(hours.day_summary(day)))
    }
}

/// The French weekday name, lowercase ("lundi").
pub fn weekday_name(day: Weekday) -> &'static str {
    WEEKDAY_NAMES[day_index(day)]
}

fn day_index(day: Weekday) -> usize {
    day.num_days_from_monday() as usize
}

fn day_of_key(key: &str) -> Option<Weekday> {
    DAY_KEYS.iter().position(|known| *known == key).map(|index| WEEK[index])
}

/// Strictly "HH:MM", two digits each, from 00:00 to 23:59.
fn parse_stored_time(day: Weekday, text: &str) -> Result<NaiveTime, HoursError> {
    let bad_time = || HoursError::BadTime { day, time: text.to_string() };
    let (hours, minutes) = text.split_once(':').ok_or_else(bad_time)?;
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|byte| byte.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return Err(bad_time());
    }
    let hours: u32 = hours.parse().map_err(|_| bad_time())?;
    let minutes: u32 = minutes.parse().map_err(|_| bad_time())?;
    NaiveTime::from_hms_opt(hours, minutes, 0).ok_or_else(bad_time)
}

fn stored_time(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

/// "08h30–12h00", the way French pages write a range.
fn displayed_range(open: NaiveTime, close: NaiveTime) -> String {
    format!("{}–{}", open.format("%Hh%M"), close.format("%Hh%M"))
}

fn minutes_of(time: NaiveTime) -> u32 {
    time.hour() * 60 + time.minute()
}

fn time_of(minutes: u32) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0)
}

fn unreadable_reason(error: &serde_json::Error) -> String {
    let place = format!("ligne {}, colonne {}", error.line(), error.column());
    match error.classify() {
        serde_json::error::Category::Data => {
            format!("structure inattendue ({place}) ; attendu : {{\"mon\": [[\"08:30\", \"12:00\"]], …}} avec les clés mon à sun.")
        }
        _ => format!("ce n'est pas du JSON valide ({place})."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{"mon":[["08:30","12:00"],["13:30","16:30"]],"tue":[["08:30","12:00"],["13:30","16:30"]],"wed":[["08:30","12:00"]],"thu":[["08:30","12:00"],["13:30","16:30"]],"fri":[["08:30","12:00"],["13:30","16:00"]]}"#;

    fn example() -> OpeningHours {
        OpeningHours::parse(EXAMPLE).expect("the example hours are valid")
    }

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a valid date in the test table")
    }

    fn t(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time in the test table")
    }

    fn at(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
        date.and_time(t(hour, minute))
    }

    /// Every half hour from `from` (included) to `to` (excluded).
    fn half_hours(from: NaiveTime, to: NaiveTime) -> Vec<NaiveTime> {
        let mut times = Vec::new();
        let mut minutes = minutes_of(from);
        while minutes < minutes_of(to) {
            times.push(time_of(minutes).expect("within the day"));
            minutes += SLOT_MINUTES;
        }
        times
    }

    /// Monday 1 June 2026: that week and the next have no public holiday.
    fn monday() -> NaiveDate {
        d(2026, 6, 1)
    }

    fn day_of_that_week(day: Weekday) -> NaiveDate {
        monday() + chrono::Days::new(u64::from(day.num_days_from_monday()))
    }

    fn long_before() -> NaiveDateTime {
        at(d(2026, 1, 2), 8, 0)
    }

    #[test]
    fn the_example_is_parsed_and_round_trips_through_to_json() {
        let hours = example();
        let morning = (t(8, 30), t(12, 0));
        assert_eq!(hours.ranges(Weekday::Mon), [morning, (t(13, 30), t(16, 30))]);
        assert_eq!(hours.ranges(Weekday::Tue), [morning, (t(13, 30), t(16, 30))]);
        assert_eq!(hours.ranges(Weekday::Wed), [morning]);
        assert_eq!(hours.ranges(Weekday::Thu), [morning, (t(13, 30), t(16, 30))]);
        assert_eq!(hours.ranges(Weekday::Fri), [morning, (t(13, 30), t(16, 0))]);
        assert!(hours.ranges(Weekday::Sat).is_empty());
        assert!(hours.ranges(Weekday::Sun).is_empty());

        assert_eq!(hours.to_json(), EXAMPLE);
        assert_eq!(OpeningHours::parse(&hours.to_json()), Ok(hours));
    }

    #[test]
    fn serde_uses_the_stored_form_and_the_same_checks() {
        let hours = example();
        assert_eq!(serde_json::to_string(&hours).expect("serialisable"), EXAMPLE);
        assert_eq!(serde_json::from_str::<OpeningHours>(EXAMPLE).expect("deserialisable"), hours);
        let refused = serde_json::from_str::<OpeningHours>(r#"{"lun":[["08:30","12:00"]]}"#).expect_err("an unknown day is refused by serde too");
        assert!(refused.to_string().contains("jour inconnu « lun »"), "{refused}");
    }

    #[test]
    fn parse_sorts_ranges_and_accepts_closed_and_touching_days() {
        let hours = OpeningHours::parse(r#"{"sat":[],"tue":[["14:00","17:00"],["09:00","12:00"],["12:00","13:00"]]}"#).expect("valid hours");
        assert_eq!(hours.ranges(Weekday::Tue), [(t(9, 0), t(12, 0)), (t(12, 0), t(13, 0)), (t(14, 0), t(17, 0))]);
        assert!(hours.ranges(Weekday::Sat).is_empty());
        assert_eq!(hours.to_json(), r#"{"tue":[["09:00","12:00"],["12:00","13:00"],["14:00","17:00"]]}"#);

        let always_closed = OpeningHours::parse("{}").expect("no day at all is valid");
        assert_eq!(always_closed, OpeningHours::default());
        assert_eq!(always_closed.to_json(), "{}");
        assert!(always_closed.summary().is_empty());
    }

    #[test]
    fn parse_refuses_malformed_hours() {
        let bad_time = |day, time: &str| HoursError::BadTime { day, time: time.to_string() };
        let cases: [(&str, &str, HoursError); 11] = [
            ("unknown day key", r#"{"lun":[["08:30","12:00"]]}"#, HoursError::UnknownDay("lun".into())),
            ("capitalised key", r#"{"Mon":[["08:30","12:00"]]}"#, HoursError::UnknownDay("Mon".into())),
            ("hour 25", r#"{"mon":[["08:30","25:00"]]}"#, bad_time(Weekday::Mon, "25:00")),
            ("minute 60", r#"{"tue":[["08:60","12:00"]]}"#, bad_time(Weekday::Tue, "08:60")),
            ("single-digit hour", r#"{"wed":[["8:30","12:00"]]}"#, bad_time(Weekday::Wed, "8:30")),
            ("seconds", r#"{"thu":[["08:30:00","12:00"]]}"#, bad_time(Weekday::Thu, "08:30:00")),
            ("end before start", r#"{"fri":[["12:00","08:30"]]}"#, HoursError::EmptyRange { day: Weekday::Fri, range: "12h00–08h30".into() }),
            ("end equal to start", r#"{"sat":[["09:00","09:00"]]}"#, HoursError::EmptyRange { day: Weekday::Sat, range: "09h00–09h00".into() }),
            (
                "overlap",
                r#"{"mon":[["13:30","16:30"],["08:30","14:00"]]}"#,
                HoursError::Overlap { day: Weekday::Mon, first: "08h30–14h00".into(), second: "13h30–16h30".into() },
            ),
            (
                "range inside another",
                r#"{"sun":[["08:00","18:00"],["10:00","11:00"]]}"#,
                HoursError::Overlap { day: Weekday::Sun, first: "08h00–18h00".into(), second: "10h00–11h00".into() },
            ),
            ("wrong shape", r#"{"mon":["08:30","12:00"]}"#, HoursError::Unreadable(String::new())),
        ];
        for (label, json, expected) in cases {
            let refused = OpeningHours::parse(json).expect_err(label);
            match expected {
                // The exact serde position text is not the point: only its kind and language.
                HoursError::Unreadable(_) => {
                    assert!(matches!(refused, HoursError::Unreadable(_)), "{label}: {refused:?}");
                    assert!(refused.to_string().starts_with("Horaires illisibles : structure inattendue"), "{label}");
                }
                expected => assert_eq!(refused, expected, "{label}"),
            }
        }
        for not_json in ["", "horaires", r#"{"mon":[["08:30","12:00"]]"#, "[]"] {
            let refused = OpeningHours::parse(not_json).expect_err(not_json);
            assert!(matches!(refused, HoursError::Unreadable(_)), "{not_json}: {refused:?}");
        }
    }

    #[test]
    fn hours_errors_read_in_french() {
        let cases = [
            (
                HoursError::UnknownDay("lun".into()),
                "Horaires illisibles : jour inconnu « lun » (jours attendus : mon, tue, wed, thu, fri, sat, sun).",
            ),
            (
                HoursError::BadTime { day: Weekday::Mon, time: "25:00".into() },
                "Horaires illisibles : l'heure « 25:00 » du lundi n'est pas au format HH:MM (00:00 à 23:59).",
            ),
            (
                HoursError::EmptyRange { day: Weekday::Fri, range: "12h00–08h30".into() },
                "Horaires illisibles : la plage 12h00–08h30 du vendredi doit finir après son début.",
            ),
            (
                HoursError::Overlap { day: Weekday::Wed, first: "08h30–14h00".into(), second: "13h30–16h30".into() },
                "Horaires illisibles : les plages 08h30–14h00 et 13h30–16h30 du mercredi se chevauchent.",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
        let not_json = OpeningHours::parse("horaires").expect_err("not JSON");
        assert!(not_json.to_string().starts_with("Horaires illisibles : ce n'est pas du JSON valide (ligne 1"), "{not_json}");
    }

    #[test]
    fn slots_follow_the_ranges_and_skip_public_holidays() {
        let hours = example();
        let monday_slots = [half_hours(t(8, 30), t(12, 0)), half_hours(t(13, 30), t(16, 30))].concat();
        let friday_slots = [half_hours(t(8, 30), t(12, 0)), half_hours(t(13, 30), t(16, 0))].concat();
        assert!(is_public_holiday(d(2026, 12, 25)));
        assert_eq!(d(2026, 12, 25).weekday(), Weekday::Fri);
        assert!(is_public_holiday(d(2027, 5, 6)), "Ascension 2027");
        assert_eq!(d(2027, 5, 6).weekday(), Weekday::Thu);
        let cases = [
            ("Monday", day_of_that_week(Weekday::Mon), monday_slots.clone(), 13),
            ("Wednesday", day_of_that_week(Weekday::Wed), half_hours(t(8, 30), t(12, 0)), 7),
            ("Friday", day_of_that_week(Weekday::Fri), friday_slots, 12),
            ("Saturday", day_of_that_week(Weekday::Sat), vec![], 0),
            ("Sunday", day_of_that_week(Weekday::Sun), vec![], 0),
            ("Christmas 2026, a Friday", d(2026, 12, 25), vec![], 0),
            ("Ascension 2027, a Thursday", d(2027, 5, 6), vec![], 0),
        ];
        for (label, date, expected, count) in cases {
            let slots = hours.slots_on(date);
            assert_eq!(slots, expected, "{label}");
            assert_eq!(slots.len(), count, "{label}");
        }
        assert_eq!(monday_slots.first(), Some(&t(8, 30)));
        assert_eq!(monday_slots[6], t(11, 30));
        assert_eq!(monday_slots[7], t(13, 30));
        assert_eq!(monday_slots.last(), Some(&t(16, 0)));
    }

    #[test]
    fn slots_start_on_the_grid_even_when_a_range_does_not() {
        let hours = OpeningHours::parse(r#"{"mon":[["08:15","10:00"],["10:10","10:39"],["14:00","15:45"]]}"#).expect("valid hours");
        assert_eq!(hours.slots_on(monday()), [t(8, 30), t(9, 0), t(9, 30), t(14, 0), t(14, 30), t(15, 0)]);
    }

    #[test]
    fn every_offered_slot_can_be_booked() {
        let hours = example();
        for offset in 0..14 {
            let date = monday() + chrono::Days::new(offset);
            for slot in hours.slots_on(date) {
                assert_eq!(check_slot(&hours, date.and_time(slot), long_before()), Ok(()), "{date} {slot}");
            }
        }
    }

    #[test]
    fn check_slot_applies_each_rule() {
        let hours = example();
        let (mon, fri, sat) = (day_of_that_week(Weekday::Mon), day_of_that_week(Weekday::Fri), day_of_that_week(Weekday::Sat));
        let monday_hours = || SlotError::OutsideHours("08h30–12h00, 13h30–16h30".into());
        let cases = [
            ("Monday 08:30, opening", at(mon, 8, 30), long_before(), Ok(())),
            ("Monday 11:30, ends at 12:00 exactly", at(mon, 11, 30), long_before(), Ok(())),
            ("Monday 16:00, ends at closing", at(mon, 16, 0), long_before(), Ok(())),
            ("Monday 11:45, off the grid", at(mon, 11, 45), long_before(), Err(SlotError::NotOnTheGrid)),
            ("Monday 11:30:30, seconds", mon.and_hms_opt(11, 30, 30).expect("valid"), long_before(), Err(SlotError::NotOnTheGrid)),
            ("Monday 12:00, lunch break", at(mon, 12, 0), long_before(), Err(monday_hours())),
            ("Monday 08:00, before opening", at(mon, 8, 0), long_before(), Err(monday_hours())),
            ("Monday 16:30, at closing", at(mon, 16, 30), long_before(), Err(monday_hours())),
            ("Friday 16:30, closes at 16:00", at(fri, 16, 30), long_before(), Err(SlotError::OutsideHours("08h30–12h00, 13h30–16h00".into()))),
            ("Friday 15:30, ends at 16:00", at(fri, 15, 30), long_before(), Ok(())),
            ("Saturday", at(sat, 10, 0), long_before(), Err(SlotError::ClosedThatDay("samedi".into()))),
            ("Christmas 2026", at(d(2026, 12, 25), 9, 0), long_before(), Err(SlotError::PublicHoliday("25/12/2026".into()))),
            ("Ascension 2027", at(d(2027, 5, 6), 9, 0), long_before(), Err(SlotError::PublicHoliday("06/05/2027".into()))),
            ("start equal to now", at(mon, 9, 0), at(mon, 9, 0), Err(SlotError::InThePast)),
            ("start before now", at(mon, 9, 0), at(mon, 9, 1), Err(SlotError::InThePast)),
            ("one minute ahead of now", at(mon, 9, 0), at(mon, 8, 59), Ok(())),
        ];
        for (label, start, now, expected) in cases {
            assert_eq!(check_slot(&hours, start, now), expected, "{label}");
        }
    }

    #[test]
    fn check_slot_checks_grid_then_past_then_holiday_then_closed_day() {
        let hours = example();
        let christmas = d(2026, 12, 25);
        let after_christmas = at(d(2026, 12, 31), 12, 0);
        // Off the grid wins over being in the past.
        assert_eq!(check_slot(&hours, at(christmas, 9, 10), after_christmas), Err(SlotError::NotOnTheGrid));
        // In the past wins over the holiday.
        assert_eq!(check_slot(&hours, at(christmas, 9, 0), after_christmas), Err(SlotError::InThePast));
        // A holiday on a closed day (Toussaint 2026 is a Sunday) is reported as the holiday.
        assert_eq!(check_slot(&hours, at(d(2026, 11, 1), 9, 0), long_before()), Err(SlotError::PublicHoliday("01/11/2026".into())));
    }

    #[test]
    fn a_slot_does_not_wrap_past_midnight_nor_straddle_touching_ranges() {
        let hours = OpeningHours::parse(r#"{"mon":[["18:00","23:59"]],"tue":[["09:00","10:00"],["10:00","11:00"]]}"#).expect("valid hours");
        let late = SlotError::OutsideHours("18h00–23h59".into());
        assert_eq!(check_slot(&hours, at(monday(), 23, 0), long_before()), Ok(()));
        assert_eq!(check_slot(&hours, at(monday(), 23, 30), long_before()), Err(late));
        assert_eq!(hours.slots_on(monday()).last(), Some(&t(23, 0)));
        let tuesday = day_of_that_week(Weekday::Tue);
        assert_eq!(check_slot(&hours, at(tuesday, 9, 30), long_before()), Ok(()));
        assert_eq!(check_slot(&hours, at(tuesday, 10, 0), long_before()), Ok(()));
        assert_eq!(hours.slots_on(tuesday), [t(9, 0), t(9, 30), t(10, 0), t(10, 30)]);
    }

    #[test]
    fn slot_errors_read_in_french() {
        let cases = [
            (SlotError::InThePast, "Choisissez une date et une heure à venir."),
            (SlotError::PublicHoliday("25/12/2026".into()), "Le 25/12/2026 est un jour férié : l'accueil est fermé."),
            (SlotError::ClosedThatDay("samedi".into()), "L'accueil est fermé le samedi."),
            (
                SlotError::OutsideHours("08h30–12h00, 13h30–16h00".into()),
                "Ce créneau est en dehors des horaires d'ouverture (08h30–12h00, 13h30–16h00).",
            ),
            (SlotError::NotOnTheGrid, "Les rendez-vous commencent à l'heure ou à la demie."),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn summary_lists_open_days_in_french() {
        assert_eq!(
            example().summary(),
            [
                "Lundi : 08h30–12h00, 13h30–16h30",
                "Mardi : 08h30–12h00, 13h30–16h30",
                "Mercredi : 08h30–12h00",
                "Jeudi : 08h30–12h00, 13h30–16h30",
                "Vendredi : 08h30–12h00, 13h30–16h00",
            ]
        );
        let weekend = OpeningHours::parse(r#"{"sun":[["10:00","12:00"]],"sat":[["09:00","12:30"]]}"#).expect("valid hours");
        assert_eq!(weekend.summary(), ["Samedi : 09h00–12h30", "Dimanche : 10h00–12h00"]);
    }

    #[test]
    fn weekday_names_are_french_and_lowercase() {
        let expected = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
        for (day, name) in WEEK.into_iter().zip(expected) {
            assert_eq!(weekday_name(day), name);
            assert_eq!(day_of_that_week(day).weekday(), day, "the test week starts on a Monday");
        }
    }

    /// Opening hours valid by construction: on each day, up to three sorted ranges that never overlap.
    pub(super) fn valid_hours() -> impl proptest::strategy::Strategy<Value = OpeningHours> {
        use proptest::prelude::*;
        proptest::array::uniform7(proptest::collection::btree_set(0u32..24 * 60, 0..7)).prop_map(|days| {
            let mut hours = OpeningHours::default();
            for (index, minutes) in days.into_iter().enumerate() {
                let minutes: Vec<u32> = minutes.into_iter().collect();
                hours.days[index] = minutes
                    .chunks_exact(2)
                    .map(|pair| (time_of(pair[0]).expect("within the day"), time_of(pair[1]).expect("within the day")))
                    .collect();
            }
            hours
        })
    }

    mod properties {
        //! Properties of `OpeningHours::parse` (the stored JSON) over arbitrary and generated text.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use proptest::prelude::*;

        /// A time as stored, or nearly: well formed, with one odd character, or anything.
        fn stored_time_ish() -> impl Strategy<Value = String> {
            prop_oneof!["[0-2][0-9]:[0-5][0-9]", shaped_with_one_odd_char("[0-9]{2}:[0-9]{2}"), any_text()]
        }

        /// JSON of the stored shape whose keys and times may be anything.
        fn stored_json_ish() -> impl Strategy<Value = String> {
            let key = prop_oneof![prop::sample::select(DAY_KEYS.to_vec()).prop_map(|key| key.to_owned()), any_text()];
            let pairs = proptest::collection::vec((stored_time_ish(), stored_time_ish()), 0..4);
            proptest::collection::btree_map(key, pairs, 0..8).prop_map(|days| serde_json::to_string(&days).expect("strings serialise"))
        }

        fn check_answer(json: &str) -> Result<(), TestCaseError> {
            match OpeningHours::parse(json) {
                Ok(hours) => {
                    for day in WEEK {
                        let ranges = hours.ranges(day);
                        prop_assert!(ranges.iter().all(|(open, close)| open < close));
                        prop_assert!(ranges.windows(2).all(|pair| pair[0].1 <= pair[1].0));
                    }
                    prop_assert_eq!(OpeningHours::parse(&hours.to_json()), Ok(hours));
                }
                Err(error) => prop_assert!(error.to_string().starts_with("Horaires illisibles : "), "{}", error),
            }
            Ok(())
        }

        proptest! {
            #[test]
            fn any_text_gets_an_answer_and_what_passes_reads_back(input in any_text()) {
                check_answer(&input)?;
            }

            #[test]
            fn stored_json_with_any_keys_and_times_gets_an_answer(json in stored_json_ish()) {
                check_answer(&json)?;
            }

            #[test]
            fn valid_hours_round_trip_through_json_and_serde(hours in valid_hours()) {
                prop_assert_eq!(OpeningHours::parse(&hours.to_json()), Ok(hours.clone()));
                let serde_json_text = serde_json::to_string(&hours).expect("serialisable");
                prop_assert_eq!(serde_json::from_str::<OpeningHours>(&serde_json_text).expect("deserialisable"), hours);
            }

            #[test]
            fn every_slot_offered_can_be_booked(hours in valid_hours(), offset in 0u64..14) {
                let date = monday() + chrono::Days::new(offset);
                for slot in hours.slots_on(date) {
                    prop_assert_eq!(check_slot(&hours, date.and_time(slot), long_before()), Ok(()));
                }
            }
        }
    }
}
