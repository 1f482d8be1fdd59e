//! Fuzzes `Nir::parse`: any text gets an answer, never a panic, and an accepted NIR reads back from its stored and
//! grouped forms.
#![no_main]

use app::domain::nir::Nir;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(nir) = Nir::parse(text)
    {
        assert_eq!(nir.normalised().len(), 15);
        assert_eq!(Nir::parse(nir.normalised()).as_ref(), Ok(&nir));
        assert_eq!(Nir::parse(&nir.grouped()).as_ref(), Ok(&nir));
        let _ = nir.masked();
    }
});
