//! Exports as French Excel opens them: UTF-8 with a byte-order mark, `;` between fields, every field quoted, and
//! cells a spreadsheet would run as a formula defused; the audit log's and the partner history's.

/// How many rows an export carries at most.
pub const EXPORT_MAX_ROWS: usize = 100_000;

/// A CSV document as French Excel opens it: UTF-8 with a byte-order mark, `;` between fields, every field quoted,
/// lines ended by CRLF, and cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) defused
/// with a leading apostrophe.
pub struct CsvDocument {
    text: String,
}

impl CsvDocument {
    pub fn new(header: &[&str]) -> Self {
        let mut document = CsvDocument { text: String::from('\u{feff}') };
        document.push_row(header);
        document
    }

    pub fn push_row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let line: Vec<String> = cells.iter().map(|cell| csv_cell(cell.as_ref())).collect();
        self.text.push_str(&line.join(";"));
        self.text.push_str("\r\n");
    }

    /// The document, with `note` as a last line of its own when there is one (e.g. the export was cut).
    pub fn finish(mut self, note: Option<&str>) -> String {
        if let Some(note) = note {
            self.push_row(&[note]);
        }
        self.text
    }
}

/// One field, quoted, with a spreadsheet formula made inert.
pub fn csv_cell(value: &str) -> String {
    format!("\"{}\"", defused(value).replace('"', "\"\""))
}

/// A cell's text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) made inert with a
/// leading apostrophe; any other text as it is. Every export's rule (CSV, XLSX, ODS).
pub fn defused(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}").into() } else { value.into() }
}

/// The last line of an export cut at `max` rows; `narrow` says how to get the others.
pub fn cut_note(max: usize, narrow: &str) -> String {
    format!("Export limité aux {} entrées les plus récentes : {narrow} pour obtenir les autres.", thousands(max))
}

/// `100000` → `100 000` (a narrow no-break space, as French typography wants).
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        for (value, cell) in [
            ("admin@example.org", r#""admin@example.org""#),
            ("", r#""""#),
            ("dit \"bonjour\"", r#""dit ""bonjour""""#),
            ("a;b", r#""a;b""#),
            ("ligne 1\nligne 2", "\"ligne 1\nligne 2\""),
            ("=HYPERLINK(\"http://x\")", r#""'=HYPERLINK(""http://x"")""#),
            ("+33 1 23", r#""'+33 1 23""#),
            ("-2+3", r#""'-2+3""#),
            ("@SUM(A1)", r#""'@SUM(A1)""#),
            ("\t=1", "\"'\t=1\""),
            ("Évry = ville", r#""Évry = ville""#),
        ] {
            assert_eq!(csv_cell(value), cell, "{value}");
        }
    }

    #[test]
    fn a_document_starts_with_a_bom_and_its_header_and_may_end_with_a_note() {
        let mut document = CsvDocument::new(&["Date", "Acteur"]);
        document.push_row(&["22/11/2026 10:00", "=cmd"]);
        assert_eq!(document.finish(None), "\u{feff}\"Date\";\"Acteur\"\r\n\"22/11/2026 10:00\";\"'=cmd\"\r\n");
        let cut = CsvDocument::new(&["Date"]).finish(Some(&cut_note(EXPORT_MAX_ROWS, "précisez la période")));
        assert!(
            cut.ends_with("\"Export limité aux 100\u{202f}000 entrées les plus récentes : précisez la période pour obtenir les autres.\"\r\n"),
            "{cut}"
        );
    }

    #[test]
    fn thousands_are_grouped_by_three() {
        for (n, text) in [(0, "0"), (999, "999"), (1000, "1\u{202f}000"), (100_000, "100\u{202f}000"), (1_234_567, "1\u{202f}234\u{202f}567")] {
            assert_eq!(thousands(n), text);
        }
    }
}
