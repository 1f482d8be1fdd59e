//! Fuzzes `normalise_phone` (an assuré's telephone): never a panic, and a normalised number stays as it is.
#![no_main]

use app::domain::submission::normalise_phone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Some(phone) = normalise_phone(text)
    {
        assert_eq!(phone.len(), 14);
        assert_eq!(normalise_phone(&phone).as_deref(), Some(phone.as_str()));
    }
});
