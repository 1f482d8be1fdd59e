//! Which files a request may carry: PDF, JPEG or PNG (judged from their content), how big, how many.

use serde::{Deserialize, Serialize};

/// The accepted file types, as recognised from the first bytes of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
}

impl FileType {
    /// From the MIME type a content sniffer reported; `None` for anything else.
    pub fn from_detected(mime: &str) -> Option<FileType> {
        match mime {
            "application/pdf" => Some(FileType::Pdf),
            "image/jpeg" => Some(FileType::Jpeg),
            "image/png" => Some(FileType::Png),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentPolicy {
    pub max_files: usize,
    pub max_bytes: u64,
}

impl Default for AttachmentPolicy {
    fn default() -> Self {
        AttachmentPolicy { max_files: 5, max_bytes: 10 * 1024 * 1024 }
    }
}

/// Why a file was refused, in words the person can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileRefusal {
    #[error("« {name} » n'est pas un PDF, un JPEG ou un PNG (son contenu a été vérifié, pas seulement son nom).")]
    WrongType { name: String },
    #[error("« {name} » dépasse la taille maximale de {max_mb} Mo.")]
    TooLarge { name: String, max_mb: u64 },
    #[error("« {name} » est vide.")]
    Empty { name: String },
    #[error("{max} fichiers au maximum par envoi : « {name} » n'a pas été joint.")]
    TooMany { name: String, max: usize },
}

impl AttachmentPolicy {
    pub fn max_mb(&self) -> u64 {
        self.max_bytes.div_ceil(1024 * 1024)
    }

    /// Judges one file: `already` files were accepted before it; `detected` is what its content looks like.
    pub fn judge(&self, name: &str, size: u64, detected: Option<&str>, already: usize) -> Result<FileType, FileRefusal> {
        let name = name.to_owned();
        if already >= self.max_files {
            return Err(FileRefusal::TooMany { name, max: self.max_files });
        }
        if size == 0 {
            return Err(FileRefusal::Empty { name });
        }
        if size > self.max_bytes {
            return Err(FileRefusal::TooLarge { name, max_mb: self.max_mb() });
        }
        detected.and_then(FileType::from_detected).ok_or(FileRefusal::WrongType { name })
    }
}

/// A file name safe to show and to send back in `Content-Disposition`: no path, no control characters, bounded.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base.chars().filter(|c| !c.is_control() && *c != '"').take(120).collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    if trimmed.is_empty() { "document".to_owned() } else { trimmed.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_judged_on_count_size_and_content() {
        let policy = AttachmentPolicy { max_files: 2, max_bytes: 1024 };
        assert_eq!(policy.judge("a.pdf", 10, Some("application/pdf"), 0), Ok(FileType::Pdf));
        assert_eq!(policy.judge("photo.png", 1024, Some("image/png"), 1), Ok(FileType::Png));
        assert!(matches!(policy.judge("c.pdf", 10, Some("application/pdf"), 2), Err(FileRefusal::TooMany { .. })));
        assert!(matches!(policy.judge("big.pdf", 1025, Some("application/pdf"), 0), Err(FileRefusal::TooLarge { .. })));
        assert!(matches!(policy.judge("empty.pdf", 0, None, 0), Err(FileRefusal::Empty { .. })));
        let disguised = policy.judge("facture.pdf", 10, Some("application/x-msdownload"), 0).expect_err("refused");
        assert_eq!(disguised.to_string(), "« facture.pdf » n'est pas un PDF, un JPEG ou un PNG (son contenu a été vérifié, pas seulement son nom).");
        assert!(policy.judge("notes.pdf", 10, None, 0).is_err(), "unrecognised content");
        assert_eq!(AttachmentPolicy::default().max_mb(), 10);
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_file_name("C:\\Users\\x\\avis d'imposition.pdf"), "avis d'imposition.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b\n.pdf"), "ab.pdf");
        assert_eq!(clean_file_name("..."), "document");
    }
}
