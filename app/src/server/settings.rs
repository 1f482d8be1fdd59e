//! Runtime settings read once at start-up from the environment, each with a sane default.

use crate::domain::attachment_policy::AttachmentPolicy;
use crate::domain::session_policy::SessionPolicy;
use crate::domain::sign_in_throttle::ThrottlePolicy;
use std::fmt;
use std::path::PathBuf;

/// A value that must never be printed (database passwords inside URLs, SMTP credentials…).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite://…` or `postgres://…`; may carry a password, hence the secret wrapper.
    pub database_url: Secret,
    /// Where the SQLite file, uploads and dev mail live.
    pub data_dir: PathBuf,
    /// Whether cookies require HTTPS (true unless the site is served on a loopback address).
    pub secure_cookies: bool,
    pub session: SessionPolicy,
    pub sign_in_throttle: ThrottlePolicy,
    /// Emit logs as JSON lines instead of human-readable text.
    pub json_logs: bool,
    /// How many files a request may carry, and how big each may be.
    pub attachments: AttachmentPolicy,
    pub mail: MailSettings,
    /// How many months audit entries are kept before the housekeeping purges them (`AUDIT_RETENTION_MONTHS`, 12).
    pub audit_retention_months: u32,
    /// Proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`; none by default: the peer is the client).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// Where e-mail goes and what it says it comes from.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `smtp://host:port` (plain), `smtp://…?tls=required` (STARTTLS) or `smtps://…`, credentials allowed;
    /// `None`: messages are written as `.eml` files under `DATA_DIR/mail/`.
    pub smtp_url: Option<Secret>,
    /// The `From` header.
    pub from: String,
    /// The address people reach the site at, for links in e-mails.
    pub public_url: String,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp_url: None,
            from: "Espace Partenaires <ne-pas-repondre@espace-partenaires.localhost>".to_owned(),
            public_url: "http://127.0.0.1:3000".to_owned(),
        }
    }
}

impl Settings {
    /// Reads `DATABASE_URL`, `DATA_DIR`, `LEPTOS_SITE_ADDR`, `LOG_FORMAT`, `SECURE_COOKIES`,
    /// `ATTACHMENT_MAX_FILES`, `ATTACHMENT_MAX_MB`, `SMTP_URL`, `MAIL_FROM`, `PUBLIC_URL`, `TRUSTED_PROXIES`; everything else takes
    /// its default.
    pub fn from_env() -> Self {
        let data_dir = PathBuf::from(std::env::var("DATA_DIR").unwrap_or_else(|_| "data".to_owned()));
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("espace-partenaires.db").display()));
        let site_addr = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
        let loopback = site_addr.starts_with("127.") || site_addr.starts_with("localhost") || site_addr.starts_with("[::1]");
        Settings {
            database_url: Secret::new(database_url),
            data_dir,
            secure_cookies: std::env::var("SECURE_COOKIES").map(|v| v == "true").unwrap_or(!loopback),
            session: SessionPolicy::default(),
            sign_in_throttle: ThrottlePolicy::default(),
            json_logs: std::env::var("LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json")),
            attachments: AttachmentPolicy {
                max_files: number_from_env("ATTACHMENT_MAX_FILES").unwrap_or(AttachmentPolicy::default().max_files as u64) as usize,
                max_bytes: number_from_env("ATTACHMENT_MAX_MB").map(|mb| mb * 1024 * 1024).unwrap_or(AttachmentPolicy::default().max_bytes),
            },
            mail: MailSettings {
                smtp_url: std::env::var("SMTP_URL").ok().filter(|url| !url.trim().is_empty()).map(Secret::new),
                from: std::env::var("MAIL_FROM").ok().filter(|from| !from.trim().is_empty()).unwrap_or(MailSettings::default().from),
                public_url: std::env::var("PUBLIC_URL")
                    .ok()
                    .filter(|url| !url.trim().is_empty())
                    .unwrap_or_else(|| format!("http://{site_addr}"))
                    .trim_end_matches('/')
                    .to_owned(),
            },
            audit_retention_months: number_from_env("AUDIT_RETENTION_MONTHS")
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(crate::domain::audit_log::DEFAULT_RETENTION_MONTHS),
            trusted_proxies: std::env::var("TRUSTED_PROXIES")
                .ok()
                .map(|list| {
                    crate::domain::client_address::parse_trusted(&list).unwrap_or_else(|wrong| {
                        panic!("TRUSTED_PROXIES: « {wrong} » n'est pas une adresse IP")
                    })
                })
                .unwrap_or_default(),
        }
    }
}

fn number_from_env(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).filter(|n| *n > 0)
}
