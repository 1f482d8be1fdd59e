//! Dates and times as people in metropolitan France read them: Paris time, day first.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;

/// "22/11/2026 à 14:05", in Paris time.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Paris).format("%d/%m/%Y à %H:%M").to_string()
}

/// "14:05", in Paris time.
pub fn clock(at: DateTime<Utc>) -> String {
    at.with_timezone(&Paris).format("%H:%M").to_string()
}

/// "22/11/2026".
pub fn date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// The latest 07:00 in Paris at or before `at` (when the daily summaries of notices go out).
pub fn last_seven_am(at: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::TimeZone;
    let local = at.with_timezone(&Paris);
    let day = if local.time() >= chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default() {
        local.date_naive()
    } else {
        local.date_naive() - chrono::Duration::days(1)
    };
    day.and_hms_opt(7, 0, 0).and_then(|t| Paris.from_local_datetime(&t).earliest()).map_or(at, |t| t.with_timezone(&Utc))
}

/// The calendar day in Paris at `at` (what "today" means for a convention or a period filter).
pub fn paris_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Paris).date_naive()
}

/// The instant a calendar day begins in Paris, in UTC (where a period filter starts or, the next day, ends).
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    Paris.from_local_datetime(&midnight).earliest().map_or_else(|| Utc.from_utc_datetime(&midnight), |t| t.with_timezone(&Utc))
}
