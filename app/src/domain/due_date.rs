//! When a request must be handled: French business days, a budget per kind of request, the clock paused while the caisse awaits the partner.

use super::request_kind::RequestKind;
use super::request_lifecycle::Status;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Public holidays on a fixed date (month, day, name): the same every year in metropolitan France.
const FIXED_HOLIDAYS: [(u32, u32, &str); 8] = [
    (1, 1, "Jour de l'an"),
    (5, 1, "Fête du Travail"),
    (5, 8, "Victoire 1945"),
    (7, 14, "Fête nationale"),
    (8, 15, "Assomption"),
    (11, 1, "Toussaint"),
    (11, 11, "Armistice 1918"),
    (12, 25, "Noël"),
];

/// Public holidays that follow Easter Sunday (days after it, name): they move every year.
const EASTER_HOLIDAYS: [(i64, &str); 3] = [(1, "Lundi de Pâques"), (39, "Ascension"), (50, "Lundi de Pentecôte")];

/// Easter Sunday of `year` (Gregorian calendar), by the anonymous algorithm (Meeus/Jones/Butcher), because three
/// public holidays hang on it. `None` only for a year outside chrono's range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(year, u32::try_from(n / 31).ok()?, u32::try_from(n % 31 + 1).ok()?)
}

/// The public holidays of metropolitan France in `year`, in date order, with their French names, so pages and
/// tests can show which days the caisse is closed. Alsace-Moselle and overseas extra days are not included.
pub fn public_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let fixed = FIXED_HOLIDAYS.iter().filter_map(|&(month, day, name)| Some((NaiveDate::from_ymd_opt(year, month, day)?, name)));
    let movable = easter_sunday(year).into_iter().flat_map(|easter| {
        EASTER_HOLIDAYS.iter().filter_map(move |&(offset, name)| Some((easter.checked_add_signed(chrono::Duration::days(offset))?, name)))
    });
    let mut holidays: Vec<_> = fixed.chain(movable).collect();
    holidays.sort();
    holidays
}

/// Whether `day` is a public holiday in metropolitan France: the caisse is closed, so it does not count in a delay.
pub fn is_public_holiday(day: NaiveDate) -> bool {
    let fixed = FIXED_HOLIDAYS.iter().any(|&(month, dom, _)| day.month() == month && day.day() == dom);
    fixed
        || easter_sunday(day.year()).is_some_and(|easter| {
            let after_easter = (day - easter).num_days();
            EASTER_HOLIDAYS.iter().any(|&(offset, _)| offset == after_easter)
        })
}

/// Whether the caisse works on `day` (Monday to Friday, not a public holiday): only those days count in a delay.
/// Bridge days (the Friday after Ascension…) are business days: closing on them is a local decision.
pub fn is_business_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(day)
}

/// `day` itself if it is a business day, else the next one: a request sent on a Saturday is received on Monday.
/// Stops at chrono's last date rather than looping forever.
fn first_business_day_from(day: NaiveDate) -> NaiveDate {
    let mut day = day;
    while !is_business_day(day) {
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    day
}

/// The date `days` business days after `start`, to turn a delay into a due date.
///
/// Convention: if `start` is not a business day it is first moved to the next business day (a request sent on
/// Saturday counts as received on Monday); then each following business day counts one. So Friday + 2 is
/// Tuesday, Saturday + 2 is Wednesday, and `days = 0` gives `start` or the next business day. The result is
/// always a business day.
pub fn add_business_days(start: NaiveDate, days: u32) -> NaiveDate {
    let mut day = first_business_day_from(start);
    let mut remaining = days;
    while remaining > 0 {
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
        if is_business_day(day) {
            remaining -= 1;
        }
    }
    day
}

/// How many business days lie in `[from, to)` (`from` included, `to` excluded; 0 if `to` is not after `from`),
/// to measure a pause or a handling time. It is the inverse of [`add_business_days`]:
/// `business_days_between(d, add_business_days(d, n)) == n`.
pub fn business_days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut count = 0;
    let mut day = from;
    while day < to {
        if is_business_day(day) {
            count += 1;
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    count
}

/// How many business days the caisse's clock ran from the day a request was sent (`submitted_on`, or the next
/// business day when it was sent on a day off) to `on` (excluded), less the days it waited for the partner
/// (`paused`, as for [`due_date`], an open pause running to `on`). Sent on Monday and answered on Monday: 0; on
/// Tuesday: 1. The statistics' delays.
pub fn handling_days(submitted_on: NaiveDate, paused: &[(NaiveDate, Option<NaiveDate>)], on: NaiveDate) -> u32 {
    let paused_days =
        paused.iter().map(|&(asked_on, answered_on)| business_days_between(asked_on, answered_on.unwrap_or(on))).fold(0u32, u32::saturating_add);
    business_days_between(first_business_day_from(submitted_on), on).saturating_sub(paused_days)
}

/// How many business days the caisse gives itself for each kind of request, so the queue can show what is late.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DueDatePolicy {
    /// A message to the caisse ([`RequestKind::Contact`]).
    pub contact: u32,
    /// A report of a difficult situation to the social service ([`RequestKind::MasReferral`]).
    pub mas_referral: u32,
    /// A request for an appointment ([`RequestKind::Appointment`]).
    pub appointment: u32,
    /// A request to study a file ([`RequestKind::DossierStudy`]).
    pub dossier_study: u32,
}

/// Default delays: a message in 2 business days (another caisse answers 99 % of professionals' online claims
/// within 48 hours), a MAS referral or an appointment request in 5, a file study in 10.
impl Default for DueDatePolicy {
    fn default() -> Self {
        DueDatePolicy { contact: 2, mas_referral: 5, appointment: 5, dossier_study: 10 }
    }
}

impl DueDatePolicy {
    /// The budget, in business days, for a request of `kind`.
    pub fn days_for(&self, kind: RequestKind) -> u32 {
        match kind {
            RequestKind::Contact => self.contact,
            RequestKind::MasReferral => self.mas_referral,
            RequestKind::Appointment => self.appointment,
            RequestKind::DossierStudy => self.dossier_study,
        }
    }

    /// The policy with `kind`'s budget changed to `days`.
    pub fn with(mut self, kind: RequestKind, days: u32) -> Self {
        *match kind {
            RequestKind::Contact => &mut self.contact,
            RequestKind::MasReferral => &mut self.mas_referral,
            RequestKind::Appointment => &mut self.appointment,
            RequestKind::DossierStudy => &mut self.dossier_study,
        } = days;
        self
    }

    /// Reads a budget typed by an admin: a whole number of business days from 1 to [`MAX_BUDGET_DAYS`].
    pub fn parse_budget(input: &str) -> Result<u32, String> {
        match input.trim().parse::<u32>() {
            Ok(days) if (1..=MAX_BUDGET_DAYS).contains(&days) => Ok(days),
            _ => Err(format!("Indiquez un nombre entier de jours ouvrés, de 1 à {MAX_BUDGET_DAYS}.")),
        }
    }
}

/// The longest budget a caisse may set: three months of business days.
pub const MAX_BUDGET_DAYS: u32 = 60;

/// The due date of a request sent on `submitted_on` with `budget` business days, the clock paused while the
/// caisse awaited the partner ([`Status::AwaitingPartner`](super::request_lifecycle::Status::AwaitingPartner)).
///
/// Convention: each entry of `paused` is `(asked_on, answered_on)`, the day the caisse asked the partner for more
/// and the day the partner answered (`None`: not yet, the pause runs to `today`). A pause costs
/// [`business_days_between`]`(asked_on, answered_on)` business days, i.e. the business days in
/// `[asked_on, answered_on)`: asked Tuesday and answered Friday is 3 (Tuesday, Wednesday, Thursday); answered the
/// same day is 0. The due date is then `add_business_days(submitted_on, budget + paused days)`. An open pause
/// counts exactly as if it were answered `today`, so while the partner keeps the request the due date moves
/// forward day by day and the request neither gains nor loses time. Periods are summed as given: the state
/// machine never has two pauses at once, so they are not expected to overlap.
pub fn due_date(submitted_on: NaiveDate, budget: u32, paused: &[(NaiveDate, Option<NaiveDate>)], today: NaiveDate) -> NaiveDate {
    let paused_days =
        paused.iter().map(|&(asked_on, answered_on)| business_days_between(asked_on, answered_on.unwrap_or(today))).fold(0u32, u32::saturating_add);
    add_business_days(submitted_on, budget.saturating_add(paused_days))
}

/// The pauses of a request's clock, read from its timeline, for [`due_date`]: each step is the day it happened and
/// the status it led to, oldest first (the sending included).
///
/// A pause opens on a step into a status where the clock stops ([`Status::clock_runs`] is false while the request
/// is open: the caisse asked the partner) and closes on the first later step where it runs again, whatever that step
/// is: the partner's answer, an appointment the caisse booked anyway, the request handed on to a caisse team… A step
/// that leaves the clock stopped (a colleague takes over while the partner is asked) changes nothing, and a
/// closing ends the pause too. The last pause stays open (`None`) while the request still waits.
pub fn pauses(steps: impl IntoIterator<Item = (NaiveDate, Status)>) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let mut pauses: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
    for (day, status) in steps {
        let waiting = status.is_open() && !status.clock_runs();
        match pauses.last_mut() {
            Some((_, answered @ None)) if !waiting => *answered = Some(day),
            Some((_, None)) => {}
            _ if waiting => pauses.push((day, None)),
            _ => {}
        }
    }
    pauses
}

/// Where a request stands against its due date, so the caisse's queue can put late ones first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Urgency {
    /// The due date has passed.
    Overdue,
    /// Today is the last day to handle it in time.
    DueToday,
    /// There is still time after today.
    OnTime,
}

impl Urgency {
    /// The urgency as caisse agents read it in the queue.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Overdue => "En retard",
            Urgency::DueToday => "À traiter aujourd'hui",
            Urgency::OnTime => "Dans les délais",
        }
    }
}

/// Classifies a request due on `due` as seen on `today`; the due date is the last day that is still on time.
pub fn deadline(due: NaiveDate, today: NaiveDate) -> Urgency {
    match due.cmp(&today) {
        std::cmp::Ordering::Less => Urgency::Overdue,
        std::cmp::Ordering::Equal => Urgency::DueToday,
        std::cmp::Ordering::Greater => Urgency::OnTime,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a valid date in the test table")
    }

    #[test]
    fn handling_counts_business_days_from_reception_less_the_partners_waits() {
        // Sent and answered on the same Monday: 0; Friday to Tuesday: Friday and Monday.
        assert_eq!(handling_days(d(2026, 11, 30), &[], d(2026, 11, 30)), 0);
        assert_eq!(handling_days(d(2026, 11, 27), &[], d(2026, 12, 1)), 2);
        // Sent on Saturday: received on Monday.
        assert_eq!(handling_days(d(2026, 11, 28), &[], d(2026, 11, 30)), 0);
        assert_eq!(handling_days(d(2026, 11, 28), &[], d(2026, 12, 1)), 1);
        // Tuesday 10 to Thursday 12 November 2026: the 11th (Armistice) does not count.
        assert_eq!(handling_days(d(2026, 11, 10), &[], d(2026, 11, 12)), 1);
        // Sent Monday 2 November, the partner asked on Wednesday 4 and answering on Monday 9, closed on Thursday 12:
        // 2, 3, 4, 5, 6, 9, 10 (the 11th is a holiday) = 7 business days, less the 3 the partner kept it (4, 5, 6).
        assert_eq!(handling_days(d(2026, 11, 2), &[(d(2026, 11, 4), Some(d(2026, 11, 9)))], d(2026, 11, 12)), 4);
        // A wait still open runs to the day counted.
        assert_eq!(handling_days(d(2026, 11, 2), &[(d(2026, 11, 4), None)], d(2026, 11, 9)), 2);
        // Never below zero.
        assert_eq!(handling_days(d(2026, 11, 30), &[(d(2026, 11, 20), Some(d(2026, 12, 10)))], d(2026, 12, 1)), 0);
    }

    #[test]
    fn easter_sunday_is_computed_for_known_years() {
        for (year, easter) in [
            (2024, d(2024, 3, 31)),
            (2025, d(2025, 4, 20)),
            (2026, d(2026, 4, 5)),
            (2027, d(2027, 3, 28)),
            (2000, d(2000, 4, 23)),
            (2038, d(2038, 4, 25)),
            (2285, d(2285, 3, 22)),
        ] {
            assert_eq!(easter_sunday(year), Some(easter), "{year}");
            assert_eq!(easter.weekday(), Weekday::Sun, "{year}");
        }
    }

    #[test]
    fn every_public_holiday_of_2026_is_listed() {
        let expected = [
            (d(2026, 1, 1), "Jour de l'an"),
            (d(2026, 4, 6), "Lundi de Pâques"),
            (d(2026, 5, 1), "Fête du Travail"),
            (d(2026, 5, 8), "Victoire 1945"),
            (d(2026, 5, 14), "Ascension"),
            (d(2026, 5, 25), "Lundi de Pentecôte"),
            (d(2026, 7, 14), "Fête nationale"),
            (d(2026, 8, 15), "Assomption"),
            (d(2026, 11, 1), "Toussaint"),
            (d(2026, 11, 11), "Armistice 1918"),
            (d(2026, 12, 25), "Noël"),
        ];
        assert_eq!(public_holidays(2026), expected);
        let found: Vec<_> = d(2026, 1, 1).iter_days().take_while(|day| day.year() == 2026).filter(|&day| is_public_holiday(day)).collect();
        assert_eq!(found, expected.map(|(date, _)| date));
    }

    #[test]
    fn business_days_are_weekdays_that_are_not_holidays() {
        for (day, business) in [
            (d(2026, 7, 13), true),   // Monday
            (d(2026, 7, 14), false),  // Tuesday, Fête nationale
            (d(2026, 5, 15), true),   // Friday after Ascension: a bridge, still a business day
            (d(2026, 5, 16), false),  // Saturday
            (d(2026, 5, 17), false),  // Sunday
            (d(2026, 4, 3), true),    // Good Friday: not a holiday in metropolitan France
            (d(2026, 12, 26), false), // Saturday (Saint-Étienne is only in Alsace-Moselle anyway)
        ] {
            assert_eq!(is_business_day(day), business, "{day}");
        }
    }

    #[test]
    fn business_days_are_added_skipping_weekends_and_holidays() {
        for (start, days, due, case) in [
            (d(2026, 3, 6), 2, d(2026, 3, 10), "Friday + 2 = Tuesday"),
            (d(2026, 3, 6), 0, d(2026, 3, 6), "Friday + 0 = Friday"),
            (d(2026, 3, 7), 2, d(2026, 3, 11), "Saturday counts from Monday"),
            (d(2026, 3, 8), 0, d(2026, 3, 9), "Sunday + 0 = Monday"),
            (d(2026, 3, 2), 5, d(2026, 3, 9), "a full week"),
            (d(2026, 7, 13), 1, d(2026, 7, 15), "over 14 July (Tuesday)"),
            (d(2026, 7, 10), 2, d(2026, 7, 15), "weekend then 14 July"),
            (d(2026, 5, 13), 1, d(2026, 5, 15), "Ascension skipped, the bridge Friday counts"),
            (d(2026, 5, 13), 2, d(2026, 5, 18), "Ascension and the weekend"),
            (d(2026, 5, 7), 1, d(2026, 5, 11), "8 May on a Friday"),
            (d(2026, 5, 22), 1, d(2026, 5, 26), "Whit Monday"),
            (d(2026, 12, 24), 2, d(2026, 12, 29), "Christmas on a Friday"),
            (d(2026, 12, 30), 2, d(2027, 1, 4), "New Year's Day on a Friday"),
            (d(2026, 12, 24), 5, d(2027, 1, 4), "Christmas to New Year"),
            (d(2026, 12, 31), 2, d(2027, 1, 5), "sent on New Year's Eve"),
            (d(2026, 12, 25), 0, d(2026, 12, 28), "sent on Christmas Day"),
        ] {
            assert_eq!(add_business_days(start, days), due, "{case}");
            assert_eq!(business_days_between(start, due), days, "{case}: inverse");
        }
    }

    #[test]
    fn the_default_policy_gives_each_kind_its_budget() {
        let policy = DueDatePolicy::default();
        for (kind, days) in [(RequestKind::Contact, 2), (RequestKind::MasReferral, 5), (RequestKind::Appointment, 5), (RequestKind::DossierStudy, 10)]
        {
            assert_eq!(policy.days_for(kind), days, "{kind:?}");
        }
    }

    #[test]
    fn pauses_awaiting_the_partner_push_the_due_date() {
        let submitted = d(2026, 3, 2); // Monday, 5 business days: due Monday 9 March without pause
        let today = d(2026, 3, 20);
        for (paused, due, case) in [
            (vec![], d(2026, 3, 9), "no pause"),
            (vec![(d(2026, 3, 3), Some(d(2026, 3, 6)))], d(2026, 3, 12), "Tuesday to Friday: 3 days"),
            (vec![(d(2026, 3, 6), Some(d(2026, 3, 11)))], d(2026, 3, 12), "Friday to Wednesday over a weekend: 3 days"),
            (vec![(d(2026, 3, 4), Some(d(2026, 3, 4)))], d(2026, 3, 9), "answered the same day: nothing"),
            (vec![(d(2026, 3, 6), Some(d(2026, 3, 4)))], d(2026, 3, 9), "answer before the question: nothing"),
            (vec![(d(2026, 3, 3), Some(d(2026, 3, 4))), (d(2026, 3, 5), Some(d(2026, 3, 9)))], d(2026, 3, 12), "two pauses of 1 and 2 days"),
        ] {
            assert_eq!(due_date(submitted, 5, &paused, today), due, "{case}");
        }
        let pushed = due_date(submitted, 5, &[(d(2026, 3, 3), Some(d(2026, 3, 6)))], today);
        assert_eq!(pushed, add_business_days(due_date(submitted, 5, &[], today), 3));
    }

    #[test]
    fn an_open_pause_runs_to_today_and_freezes_the_clock() {
        let submitted = d(2026, 3, 2);
        let asked = d(2026, 3, 3);
        for (today, due) in
            [(d(2026, 3, 3), d(2026, 3, 9)), (d(2026, 3, 6), d(2026, 3, 12)), (d(2026, 3, 9), d(2026, 3, 13)), (d(2026, 3, 10), d(2026, 3, 16))]
        {
            let open = due_date(submitted, 5, &[(asked, None)], today);
            assert_eq!(open, due, "{today}");
            assert_eq!(open, due_date(submitted, 5, &[(asked, Some(today))], today), "{today}: as if answered today");
            // Asked with 4 business days left: still 4 business days left, whenever one looks.
            assert_eq!(business_days_between(first_business_day_from(today), open), 4, "{today}");
        }
    }

    #[test]
    fn pauses_are_read_from_the_timeline() {
        use Status as S;
        let (mon, tue, wed, thu, fri) = (d(2026, 3, 2), d(2026, 3, 3), d(2026, 3, 4), d(2026, 3, 5), d(2026, 3, 6));
        for (steps, expected, case) in [
            (vec![(mon, S::Submitted), (tue, S::InProgress)], vec![], "never asked"),
            (
                vec![(mon, S::Submitted), (tue, S::InProgress), (tue, S::AwaitingPartner), (fri, S::InProgress)],
                vec![(tue, Some(fri))],
                "asked then answered",
            ),
            (
                vec![(mon, S::Submitted), (tue, S::InProgress), (tue, S::AwaitingPartner), (wed, S::AwaitingPartner), (fri, S::InProgress)],
                vec![(tue, Some(fri))],
                "asked, handed to a colleague, answered: the colleague does not restart the clock",
            ),
            (
                vec![(mon, S::Submitted), (tue, S::InProgress), (tue, S::AwaitingPartner), (thu, S::AppointmentScheduled)],
                vec![(tue, Some(thu))],
                "asked, then an appointment booked anyway",
            ),
            (
                vec![(mon, S::Submitted), (mon, S::InProgress), (tue, S::AwaitingPartner), (wed, S::InProgress), (thu, S::AwaitingPartner)],
                vec![(tue, Some(wed)), (thu, None)],
                "asked twice, the second still waiting",
            ),
            (
                vec![
                    (mon, S::Submitted),
                    (tue, S::InProgress),
                    (tue, S::AwaitingPartner),
                    (thu, S::Closed(super::super::request_lifecycle::Resolution::Resolved)),
                ],
                vec![(tue, Some(thu))],
                "closed while waiting",
            ),
        ] {
            assert_eq!(pauses(steps), expected, "{case}");
        }
    }

    #[test]
    fn deadlines_are_classified_against_today() {
        let due = d(2026, 3, 10);
        for (today, urgency, label) in [
            (d(2026, 3, 9), Urgency::OnTime, "Dans les délais"),
            (d(2026, 3, 10), Urgency::DueToday, "À traiter aujourd'hui"),
            (d(2026, 3, 11), Urgency::Overdue, "En retard"),
            (d(2026, 4, 1), Urgency::Overdue, "En retard"),
        ] {
            assert_eq!(deadline(due, today), urgency, "{today}");
            assert_eq!(urgency.label(), label);
        }
    }

    #[test]
    fn a_caisse_changes_one_budget_and_keeps_the_others() {
        let policy = DueDatePolicy::default().with(RequestKind::DossierStudy, 15);
        assert_eq!(policy.days_for(RequestKind::DossierStudy), 15);
        assert_eq!(policy.days_for(RequestKind::Contact), 2);
        assert_eq!(policy.days_for(RequestKind::MasReferral), 5);
    }

    #[test]
    fn budgets_typed_by_an_admin_are_whole_days_within_bounds() {
        for (input, expected) in
            [("1", Some(1)), (" 12 ", Some(12)), ("60", Some(60)), ("0", None), ("61", None), ("2,5", None), ("", None), ("-3", None)]
        {
            assert_eq!(DueDatePolicy::parse_budget(input).ok(), expected, "{input:?}");
        }
    }

    mod properties {
        //! Properties of `DueDatePolicy::parse_budget` (an admin's typed number of days) over arbitrary text.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_typed_budget_gets_an_answer(input in prop_oneof![shaped_with_one_odd_char("[0-9]{1,2}"), any_text()]) {
                match DueDatePolicy::parse_budget(&input) {
                    Ok(days) => {
                        prop_assert!((1..=MAX_BUDGET_DAYS).contains(&days));
                        prop_assert_eq!(input.trim().trim_start_matches('+').trim_start_matches('0'), days.to_string());
                    }
                    Err(message) => prop_assert!(message.starts_with("Indiquez un nombre entier")),
                }
            }

            #[test]
            fn every_allowed_budget_is_read(days in 1..=MAX_BUDGET_DAYS, padding in "[ \t]{0,2}") {
                prop_assert_eq!(DueDatePolicy::parse_budget(&format!("{padding}{days}{padding}")), Ok(days));
            }
        }
    }
}
