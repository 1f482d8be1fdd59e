//! The figures a caisse publishes: the period they cover and its months, delays as median and 90th percentile of a
//! histogram the database counted, shares, counts too small to publish, and the open backlog's age bands.

use crate::domain::csv::thousands;
use crate::domain::due_date::handling_days;
use crate::domain::field_error::FieldError;
use chrono::{Datelike, Months, NaiveDate};

/// The period a dashboard covers, as chosen in its filters (`periode`, `annee`, `du`, `au`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodChoice {
    /// The current month, up to today.
    ThisMonth,
    /// The last twelve months: the current one and the eleven before it.
    Last12Months,
    /// A calendar year.
    Year(i32),
    /// Two days, both included.
    Custom { from: NaiveDate, to: NaiveDate },
}

/// The longest period a dashboard shows month by month: three years.
pub const MAX_MONTHS: usize = 36;

/// The first year the extranet has figures for (Espace Partenaires was piloted at the end of 2022).
pub const FIRST_YEAR: i32 = 2022;

/// The calendar years there are figures for on `today`, oldest first.
pub fn years(today: NaiveDate) -> std::ops::RangeInclusive<i32> {
    FIRST_YEAR..=today.year()
}

impl PeriodChoice {
    /// The URL codes of the choices, with their French names, in the order a form offers them.
    pub const CHOICES: [(&'static str, &'static str); 4] =
        [("12-mois", "Les 12 derniers mois"), ("mois", "Ce mois-ci"), ("annee", "Une année civile"), ("dates", "Des dates au choix")];

    /// The choice typed into a dashboard's filters: `choice` is one of [`Self::CHOICES`]' codes (empty: the last
    /// twelve months); `year` is read for `annee`, `from` and `to` for `dates` (as a date field sends them or as
    /// someone types them). A French message per wrong field.
    pub fn parse(choice: &str, year: &str, from: &str, to: &str, today: NaiveDate) -> Result<PeriodChoice, Vec<FieldError>> {
        match choice.trim() {
            "" | "12-mois" => Ok(PeriodChoice::Last12Months),
            "mois" => Ok(PeriodChoice::ThisMonth),
            "annee" => match year.trim().parse::<i32>() {
                Ok(year) if years(today).contains(&year) => Ok(PeriodChoice::Year(year)),
                _ => Err(vec![FieldError::new("annee", format!("Choisissez une année de {FIRST_YEAR} à {}.", today.year()))]),
            },
            "dates" => {
                let period = crate::domain::period::Period::parse(from, to)?;
                let (Some(from), Some(to)) = (period.from, period.to) else {
                    let mut problems = vec![];
                    if period.from.is_none() {
                        problems.push(FieldError::new("du", "Indiquez la date de début de la période."));
                    }
                    if period.to.is_none() {
                        problems.push(FieldError::new("au", "Indiquez la date de fin de la période."));
                    }
                    return Err(problems);
                };
                let choice = PeriodChoice::Custom { from, to };
                if choice.days(today).months().len() > MAX_MONTHS {
                    return Err(vec![FieldError::new("au", "Choisissez une période de trois ans au plus.")]);
                }
                Ok(choice)
            }
            _ => Err(vec![FieldError::new("periode", "Choisissez une période dans la liste.")]),
        }
    }

    /// The URL code of the choice (see [`Self::CHOICES`]).
    pub fn code(self) -> &'static str {
        match self {
            PeriodChoice::ThisMonth => "mois",
            PeriodChoice::Last12Months => "12-mois",
            PeriodChoice::Year(_) => "annee",
            PeriodChoice::Custom { .. } => "dates",
        }
    }

    /// The days covered on `today`, both included.
    pub fn days(self, today: NaiveDate) -> DayRange {
        let month_start = |day: NaiveDate| day.with_day(1).unwrap_or(day);
        match self {
            PeriodChoice::ThisMonth => DayRange { from: month_start(today), to: today },
            PeriodChoice::Last12Months => DayRange { from: month_start(today).checked_sub_months(Months::new(11)).unwrap_or(today), to: today },
            PeriodChoice::Year(year) => {
                DayRange { from: NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today), to: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today) }
            }
            PeriodChoice::Custom { from, to } => DayRange { from, to },
        }
    }

    /// What the figures cover, to follow « Demandes reçues » and the like: « les 12 derniers mois (décembre 2025 –
    /// novembre 2026) », « l'année 2025 », « du 01/03/2026 au 31/03/2026 ».
    pub fn label(self, today: NaiveDate) -> String {
        let days = self.days(today);
        match self {
            PeriodChoice::ThisMonth => format!("le mois de {} (jusqu'au {})", Month::of(today).long_label(), today.format("%d/%m/%Y")),
            PeriodChoice::Last12Months => {
                format!("les 12 derniers mois ({} – {})", Month::of(days.from).long_label(), Month::of(days.to).long_label())
            }
            PeriodChoice::Year(year) => format!("l'année {year}"),
            PeriodChoice::Custom { from, to } => format!("du {} au {}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y")),
        }
    }
}

/// Days from `from` to `to`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DayRange {
    /// The months the range touches, oldest first (none if it is empty).
    pub fn months(&self) -> Vec<Month> {
        let mut months = vec![];
        let (mut month, last) = (Month::of(self.from), Month::of(self.to));
        while self.from <= self.to && month <= last {
            months.push(month);
            month = month.next();
        }
        months
    }

    /// The day after the range: the exclusive end a query compares with.
    pub fn end(&self) -> NaiveDate {
        self.to.succ_opt().unwrap_or(self.to)
    }
}

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

const MONTH_NAMES: [&str; 12] =
    ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
const MONTH_ABBREVIATIONS: [&str; 12] = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];

impl Month {
    /// The month `day` falls in.
    pub fn of(day: NaiveDate) -> Month {
        Month { year: day.year(), month: day.month() }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The month after it.
    pub fn next(self) -> Month {
        if self.month >= 12 { Month { year: self.year + 1, month: 1 } } else { Month { year: self.year, month: self.month + 1 } }
    }

    /// « novembre 2026 ».
    pub fn long_label(self) -> String {
        format!("{} {}", MONTH_NAMES[(self.month.clamp(1, 12) - 1) as usize], self.year)
    }

    /// « nov. 2026 », for a chart's axis.
    pub fn short_label(self) -> String {
        format!("{} {}", MONTH_ABBREVIATIONS[(self.month.clamp(1, 12) - 1) as usize], self.year)
    }
}

/// How many requests took each delay (in business days), as the database counted them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histogram(Vec<(u32, u64)>);

impl Histogram {
    /// From (delay, count) pairs in any order; a delay may come twice (its counts add up).
    pub fn new(pairs: impl IntoIterator<Item = (u32, u64)>) -> Histogram {
        let mut pairs: Vec<(u32, u64)> = pairs.into_iter().filter(|&(_, count)| count > 0).collect();
        pairs.sort_unstable();
        Histogram(pairs)
    }

    /// How many requests it counts.
    pub fn total(&self) -> u64 {
        self.0.iter().map(|&(_, count)| count).sum()
    }

    /// The delay that `percent` % of the requests did not exceed (nearest rank: the smallest delay whose cumulative
    /// count reaches `percent` % of the total, rounded up). `None` when it counts no request.
    pub fn percentile(&self, percent: u32) -> Option<u32> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let rank = (total * u64::from(percent.clamp(1, 100))).div_ceil(100);
        let mut seen = 0;
        self.0
            .iter()
            .find(|&&(_, count)| {
                seen += count;
                seen >= rank
            })
            .map(|&(delay, _)| delay)
    }

    /// The median.
    pub fn median(&self) -> Option<u32> {
        self.percentile(50)
    }

    /// How many requests took `days` or fewer.
    pub fn within(&self, days: u32) -> u64 {
        self.0.iter().filter(|&&(delay, _)| delay <= days).map(|&(_, count)| count).sum()
    }
}

/// A part of a whole, kept in tenths of a percent: « 74,2 % ».
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Share {
    per_mille: u32,
}

impl Share {
    /// `part` of `whole`, rounded to the nearest tenth of a percent; `None` when the whole is empty.
    pub fn of(part: u64, whole: u64) -> Option<Share> {
        if whole == 0 {
            return None;
        }
        let per_mille = (part.min(whole) * 2000 + whole) / (2 * whole);
        Some(Share { per_mille: u32::try_from(per_mille).unwrap_or(1000) })
    }

    /// In tenths of a percent (742 for 74,2 %).
    pub fn per_mille(self) -> u32 {
        self.per_mille
    }
}

impl std::fmt::Display for Share {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{},{}\u{a0}%", self.per_mille / 10, self.per_mille % 10)
    }
}

/// Below this, a count published to anyone shows as « < 10 »: a small count can point at a person.
pub const PUBLIC_THRESHOLD: u64 = 10;

/// A count as the public page shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublicCount {
    Exact(u64),
    /// Fewer than [`PUBLIC_THRESHOLD`] (none included).
    Few,
}

impl PublicCount {
    pub fn of(count: u64) -> PublicCount {
        if count < PUBLIC_THRESHOLD { PublicCount::Few } else { PublicCount::Exact(count) }
    }
}

impl std::fmt::Display for PublicCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PublicCount::Exact(count) => f.write_str(&count_label(*count)),
            PublicCount::Few => write!(f, "<\u{a0}{PUBLIC_THRESHOLD}"),
        }
    }
}

/// « 4 475 »: a count with its thousands grouped.
pub fn count_label(count: u64) -> String {
    thousands(usize::try_from(count).unwrap_or(usize::MAX))
}

/// The open backlog's age bands, in calendar days since the request was sent: (from, up to and excluding — `None`
/// for the last —, French name).
pub const AGE_BANDS: [(u32, Option<u32>, &str); 5] = [
    (0, Some(3), "Moins de 3 jours"),
    (3, Some(8), "3 à 7 jours"),
    (8, Some(16), "8 à 15 jours"),
    (16, Some(31), "16 à 30 jours"),
    (31, None, "Plus de 30 jours"),
];

/// A structure with no request since this many months is « dormante ».
pub const DORMANT_MONTHS: u32 = 6;

/// A convention ending within this many days is listed as ending soon (the conventions' own rule).
pub const ENDING_WITHIN_DAYS: i64 = crate::domain::convention::ENDING_SOON_DAYS;

/// The day before which a structure's last request makes it dormant on `today`.
pub fn dormant_before(today: NaiveDate) -> NaiveDate {
    today.checked_sub_months(Months::new(DORMANT_MONTHS)).unwrap_or(today)
}

/// The caisse's first answer to a request sent on `submitted_on`, given on `answered_on` while it was due on
/// `due_on`: after how many business days, and whether by the due date (no due date: on time). Nothing pauses the
/// clock before a first answer: asking the partner is one.
pub fn first_answer(submitted_on: NaiveDate, answered_on: NaiveDate, due_on: Option<NaiveDate>) -> (u32, bool) {
    (handling_days(submitted_on, &[], answered_on), due_on.is_none_or(|due| answered_on <= due))
}

/// The caisse's usual answer delay is read over this many days before today.
pub const USUAL_DELAY_DAYS: i64 = 90;

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn the_last_twelve_months_are_this_month_and_the_eleven_before() {
        let today = day(2026, 11, 20);
        let days = PeriodChoice::Last12Months.days(today);
        assert_eq!(days, DayRange { from: day(2025, 12, 1), to: today });
        let months = days.months();
        assert_eq!(months.len(), 12);
        assert_eq!(months.first(), Some(&Month { year: 2025, month: 12 }));
        assert_eq!(months.last(), Some(&Month { year: 2026, month: 11 }));
        assert_eq!(PeriodChoice::Last12Months.label(today), "les 12 derniers mois (décembre 2025 – novembre 2026)");
    }

    #[test]
    fn a_year_and_this_month_cover_their_days() {
        let today = day(2026, 3, 5);
        assert_eq!(PeriodChoice::Year(2025).days(today), DayRange { from: day(2025, 1, 1), to: day(2025, 12, 31) });
        assert_eq!(PeriodChoice::Year(2025).days(today).months().len(), 12);
        assert_eq!(PeriodChoice::ThisMonth.days(today), DayRange { from: day(2026, 3, 1), to: today });
        assert_eq!(PeriodChoice::ThisMonth.days(today).end(), day(2026, 3, 6));
    }

    #[test]
    fn choices_are_read_from_the_filters_with_a_message_per_wrong_field() {
        let today = day(2026, 11, 20);
        assert_eq!(PeriodChoice::parse("", "", "", "", today), Ok(PeriodChoice::Last12Months));
        assert_eq!(PeriodChoice::parse("mois", "", "", "", today), Ok(PeriodChoice::ThisMonth));
        assert_eq!(PeriodChoice::parse("annee", "2025", "", "", today), Ok(PeriodChoice::Year(2025)));
        assert_eq!(
            PeriodChoice::parse("dates", "", "01/03/2026", "2026-03-31", today),
            Ok(PeriodChoice::Custom { from: day(2026, 3, 1), to: day(2026, 3, 31) })
        );
        let field = |result: Result<PeriodChoice, Vec<FieldError>>| result.expect_err("refused").into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(field(PeriodChoice::parse("annee", "2031", "", "", today)), ["annee"]);
        assert_eq!(field(PeriodChoice::parse("annee", "deux mille", "", "", today)), ["annee"]);
        assert_eq!(field(PeriodChoice::parse("dates", "", "", "", today)), ["du", "au"]);
        assert_eq!(field(PeriodChoice::parse("dates", "", "31/03/2026", "01/03/2026", today)), ["au"]);
        assert_eq!(field(PeriodChoice::parse("dates", "", "01/01/2020", "01/03/2026", today)), ["au"]);
        assert_eq!(field(PeriodChoice::parse("semaine", "", "", "", today)), ["periode"]);
    }

    #[test]
    fn percentiles_take_the_nearest_rank_of_the_histogram() {
        // 10 requests: 0 days ×3, 1 day ×4, 2 days ×2, 9 days ×1.
        let histogram = Histogram::new([(1, 4), (0, 3), (9, 1), (2, 2)]);
        assert_eq!(histogram.total(), 10);
        assert_eq!(histogram.median(), Some(1));
        assert_eq!(histogram.percentile(90), Some(2));
        assert_eq!(histogram.percentile(100), Some(9));
        assert_eq!(histogram.within(1), 7);
        assert_eq!(Histogram::new([(3, 1)]).median(), Some(3));
        assert_eq!(Histogram::new([(4, 0)]).median(), None);
        assert_eq!(Histogram::default().percentile(90), None);
        // The same delay twice adds up.
        assert_eq!(Histogram::new([(1, 1), (1, 1), (5, 1)]).median(), Some(1));
    }

    #[test]
    fn shares_round_to_a_tenth_of_a_percent() {
        assert_eq!(Share::of(742, 1000).map(|s| s.to_string()), Some("74,2\u{a0}%".to_owned()));
        assert_eq!(Share::of(2, 3).map(|s| s.to_string()), Some("66,7\u{a0}%".to_owned()));
        assert_eq!(Share::of(99, 100).map(|s| s.per_mille()), Some(990));
        assert_eq!(Share::of(5, 5).map(|s| s.to_string()), Some("100,0\u{a0}%".to_owned()));
        assert_eq!(Share::of(0, 0), None);
    }

    #[test]
    fn public_counts_under_ten_are_hidden() {
        assert_eq!(PublicCount::of(0).to_string(), "<\u{a0}10");
        assert_eq!(PublicCount::of(9).to_string(), "<\u{a0}10");
        assert_eq!(PublicCount::of(10).to_string(), "10");
        assert_eq!(PublicCount::of(4475).to_string(), "4\u{202f}475");
    }

    #[test]
    fn a_first_answer_is_on_time_up_to_its_due_date_included() {
        assert_eq!(first_answer(day(2026, 11, 27), day(2026, 12, 1), Some(day(2026, 12, 1))), (2, true));
        assert_eq!(first_answer(day(2026, 11, 27), day(2026, 12, 2), Some(day(2026, 12, 1))), (3, false));
        assert_eq!(first_answer(day(2026, 11, 27), day(2026, 12, 2), None), (3, true));
    }

    #[test]
    fn age_bands_follow_each_other_without_gap() {
        for pair in AGE_BANDS.windows(2) {
            assert_eq!(pair[0].1, Some(pair[1].0));
        }
        assert_eq!(AGE_BANDS[0].0, 0);
        assert_eq!(AGE_BANDS[AGE_BANDS.len() - 1].1, None);
        assert_eq!(dormant_before(day(2026, 11, 20)), day(2026, 5, 20));
    }
}
