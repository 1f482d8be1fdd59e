//! A table of figures as a file people open in their spreadsheet: CSV for French Excel, XLSX (`rust_xlsxwriter`) and
//! ODS, the OpenDocument format French public bodies are asked to prefer (a zip of XML written here: one table of
//! text and numbers is all it takes). The same rules in all three: a whole number is a number, anything else text,
//! and text a spreadsheet would run as a formula is defused (`domain::csv::defused`).

use crate::domain::csv::{CsvDocument, defused};
use crate::domain::html::escape;
use crate::dto::error::AppError;
use std::io::Write;

/// The formats a table downloads in, by the extension of its address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Ods,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Xlsx, Format::Ods];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }
}

/// One table: its header row, its rows, and a last line that says what it covers.
pub struct Sheet<'a> {
    pub headers: &'a [String],
    pub rows: &'a [Vec<String>],
    pub note: &'a str,
}

/// What the sheet is named inside the file.
const SHEET_NAME: &str = "Statistiques";

/// A cell as a number when it is a whole number (thousands may be grouped by narrow spaces), else as text.
fn number(cell: &str) -> Option<f64> {
    let digits: String = cell.chars().filter(|c| *c != '\u{202f}').collect();
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())).then(|| digits.parse::<f64>().ok()).flatten()
}

/// `sheet` written in `format`.
pub fn write(format: Format, sheet: &Sheet<'_>) -> Result<Vec<u8>, AppError> {
    match format {
        Format::Csv => {
            let headers: Vec<&str> = sheet.headers.iter().map(String::as_str).collect();
            let mut document = CsvDocument::new(&headers);
            for row in sheet.rows {
                document.push_row(row);
            }
            Ok(document.finish(Some(sheet.note)).into_bytes())
        }
        Format::Xlsx => xlsx(sheet).map_err(|error| {
            tracing::error!(%error, "an XLSX file could not be written");
            AppError::Internal
        }),
        Format::Ods => ods(sheet).map_err(|error| {
            tracing::error!(%error, "an ODS file could not be written");
            AppError::Internal
        }),
    }
}

/// Every line of the sheet: the headers, the rows, the note.
fn lines<'a>(sheet: &'a Sheet<'a>) -> impl Iterator<Item = Vec<&'a str>> {
    std::iter::once(sheet.headers.iter().map(String::as_str).collect())
        .chain(sheet.rows.iter().map(|row| row.iter().map(String::as_str).collect()))
        .chain(std::iter::once(vec![sheet.note]))
}

fn xlsx(sheet: &Sheet<'_>) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(SHEET_NAME)?;
    for (r, line) in lines(sheet).enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        for (c, cell) in line.into_iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match number(cell).filter(|_| r > 0) {
                Some(value) => worksheet.write_number(r, c, value)?,
                None => worksheet.write_string(r, c, defused(cell))?,
            };
        }
    }
    workbook.save_to_buffer()
}

fn ods(sheet: &Sheet<'_>) -> zip::result::ZipResult<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    const MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    content.push_str(&format!(r#"<table:table table:name="{SHEET_NAME}">"#));
    for (r, line) in lines(sheet).enumerate() {
        content.push_str("<table:table-row>");
        for cell in line {
            match number(cell).filter(|_| r > 0) {
                Some(value) => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>"#
                )),
                None => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                    escape(&defused(cell))
                )),
            }
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let manifest = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{MIME}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The media type comes first and uncompressed, so that a reader recognises the file by its first bytes.
    zip.start_file("mimetype", SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored))?;
    zip.write_all(MIME.as_bytes())?;
    let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("META-INF/manifest.xml", deflated)?;
    zip.write_all(manifest.as_bytes())?;
    zip.start_file("content.xml", deflated)?;
    zip.write_all(content.as_bytes())?;
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_numbers_and_the_rest_is_text() {
        assert_eq!(number("12"), Some(12.0));
        assert_eq!(number("4\u{202f}475"), Some(4475.0));
        for text in ["", "2 jours", "66,7\u{a0}%", "–", "-3", "<\u{a0}10"] {
            assert_eq!(number(text), None, "{text}");
        }
    }

    #[test]
    fn an_ods_file_opens_with_its_media_type_uncompressed_first() {
        let headers = ["Mois".to_owned(), "Total".to_owned()];
        let rows = [vec!["janv. 2026".to_owned(), "3".to_owned()]];
        let bytes = write(Format::Ods, &Sheet { headers: &headers, rows: &rows, note: "CPAM" }).expect("ods");
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..38 + 46], b"application/vnd.oasis.opendocument.spreadsheet");
    }
}
