//! Dates and times as people in metropolitan France read them: Paris time, day first.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;

/// "22/11/2026 à 14:05", in Paris time.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Paris).format("%d/%m/%Y à %H:%M").to_string()
}

/// "22/11/2026".
pub fn date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// The calendar day in Paris at `at` (what "today" means for a convention or a period filter).
pub fn paris_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Paris).date_naive()
}
