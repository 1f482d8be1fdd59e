//! Fuzzes the opening hours: the stored JSON (`OpeningHours::parse`) and the seven typed day fields
//! (`OpeningHours::from_typed`, the input's lines Monday first). Never a panic; what passes reads back.
#![no_main]

use app::domain::opening_hours::OpeningHours;
use app::domain::opening_hours::typed::week;
use libfuzzer_sys::fuzz_target;

fn reads_back(hours: &OpeningHours) {
    assert_eq!(OpeningHours::parse(&hours.to_json()).as_ref(), Ok(hours));
    let typed: Vec<String> = week().into_iter().map(|day| hours.typed(day)).collect();
    if typed.iter().any(|day| !day.is_empty()) {
        let fields: [&str; 7] = std::array::from_fn(|i| typed[i].as_str());
        assert_eq!(OpeningHours::from_typed(fields).as_ref(), Ok(hours));
    }
    let _ = hours.summary();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(hours) = OpeningHours::parse(text) {
        reads_back(&hours);
    }
    let mut lines = text.split('\n');
    let days: [&str; 7] = std::array::from_fn(|_| lines.next().unwrap_or(""));
    match OpeningHours::from_typed(days) {
        Ok(hours) => reads_back(&hours),
        Err(problems) => assert!(!problems.is_empty()),
    }
});
