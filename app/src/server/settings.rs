//! Runtime settings read once at start-up from the environment: an unset variable takes its documented default, a
//! value that cannot be read stops the start, naming the variable (and the value, unless it may hold a password).

use crate::domain::attachment_policy::AttachmentPolicy;
use crate::domain::session_policy::SessionPolicy;
use crate::domain::sign_in_throttle::ThrottlePolicy;
use std::fmt;
use std::net::SocketAddr;
use std::ops::RangeInclusive;
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
    /// How many months a closed or withdrawn request keeps its assuré's data before the purge (`RETENTION_MONTHS`, 24).
    pub request_retention_months: u32,
    /// Proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`; none by default: the peer is the client).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// From how many rows a download is prepared in the background rather than answered at once
    /// (`EXPORT_BACKGROUND_ROWS`, 5,000).
    pub export_background_rows: u64,
    /// The calls each API token may make in a minute, per instance (`API_CALLS_PER_MINUTE`, 600).
    pub api_calls_per_minute: u32,
    /// Whether the server applies pending migrations as it starts (`MIGRATE_AT_START`, true); false where a release
    /// step runs `server migrate` before the instances start.
    pub migrate_at_start: bool,
    /// Where `/metrics` is served (`METRICS_ADDR`, e.g. `127.0.0.1:9100`): an address of its own, never the public
    /// one; none by default.
    pub metrics_addr: Option<SocketAddr>,
    /// Where files are kept: `None` for the folder `DATA_DIR/uploads`, or an S3-compatible bucket.
    pub object_store: Option<ObjectStoreSettings>,
    /// The second factor of sign-in.
    pub mfa: MfaSettings,
    /// `DEMO_PASSWORD`: the password `seed demo` and `seed volume` give the accounts they create (published default,
    /// [`DEFAULT_DEMO_PASSWORD`]).
    pub demo_password: Secret,
}

/// The second factor of sign-in: the key sealing the TOTP secrets at rest, whether the factor is required, and the
/// published secret of the demo accounts.
#[derive(Clone, Debug)]
pub struct MfaSettings {
    /// `MFA_ENCRYPTION_KEY`: 32 bytes as 64 hexadecimal characters. Required unless the site is served on loopback
    /// (the demo), where a published demo key stands in, with a warning at start.
    pub encryption_key: Secret,
    /// Whether the demo key stands in for `MFA_ENCRYPTION_KEY` (loopback only).
    pub demo_key: bool,
    /// `MFA_REQUIRED` (true): `false` is accepted on loopback only, for a demo without phones, and says so in the log.
    pub required: bool,
    /// `DEMO_TOTP_SECRET`: the Base32 secret `seed demo` enrols the demo accounts with (published in the README).
    pub demo_secret: String,
}

/// The demo accounts' password when `DEMO_PASSWORD` is unset: published in the README and printed at start.
pub const DEFAULT_DEMO_PASSWORD: &str = "demo-espace-partenaires";
/// The demo accounts' TOTP secret when `DEMO_TOTP_SECRET` is unset: published, like the demo password.
pub const DEFAULT_DEMO_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/// The key sealing TOTP secrets when the site is served on loopback without `MFA_ENCRYPTION_KEY`: published, so
/// only for a demo on one's own machine.
const DEMO_ENCRYPTION_KEY: &str = "6465 6d6f 2d65 7370 6163 652d 7061 7274 656e 6169 7265 732d 6b65 792d 3332 2121";

/// An S3-compatible bucket (`OBJECT_STORE_URL=s3://bucket/prefix`) and the `AWS_*` variables that reach it.
#[derive(Clone, Debug)]
pub struct ObjectStoreSettings {
    pub url: String,
    /// Each of [`AWS_VARIABLES`] that is set, with its value (secret: it may be a key).
    pub options: Vec<(&'static str, Secret)>,
}

/// The variables read for an S3-compatible bucket: credentials, region, and for servers other than AWS the endpoint,
/// plain HTTP and path-style addresses.
pub const AWS_VARIABLES: [&str; 9] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT",
    "AWS_ALLOW_HTTP",
    "AWS_VIRTUAL_HOSTED_STYLE_REQUEST",
    "AWS_CONDITIONAL_PUT",
];

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
    /// Reads `DATABASE_URL`, `DATA_DIR`, `LEPTOS_SITE_ADDR`, `LOG_FORMAT`, `SECURE_COOKIES`, `ATTACHMENT_MAX_FILES`,
    /// `ATTACHMENT_MAX_MB`, `SMTP_URL`, `MAIL_FROM`, `PUBLIC_URL`, `AUDIT_RETENTION_MONTHS`, `RETENTION_MONTHS`, `SESSION_ABSOLUTE_HOURS`, `TRUSTED_PROXIES`,
    /// `EXPORT_BACKGROUND_ROWS`, `MIGRATE_AT_START`, `METRICS_ADDR`, `OBJECT_STORE_URL` (and [`AWS_VARIABLES`]), the second
    /// factor's variables ([`MfaSettings`]) and `DEMO_PASSWORD` from the process environment; everything else takes its default.
    pub fn from_env() -> Result<Self, SettingsError> {
        Settings::from_lookup(|name| std::env::var_os(name).map(|value| value.to_string_lossy().into_owned()))
    }

    /// The same, through `lookup` (a variable's value, `None` when unset): set or empty (blank) is the same as unset;
    /// anything else must read as the variable says, or the start stops. Tests pass their own table.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let env = Env(lookup);
        let data_dir = PathBuf::from(env.get("DATA_DIR").unwrap_or_else(|| "data".to_owned()));
        let database_url = match env.get("DATABASE_URL") {
            Some(url) if ["sqlite:", "postgres://", "postgresql://"].iter().any(|scheme| url.starts_with(scheme)) => url,
            Some(_) => return Err(SettingsError::secret("DATABASE_URL", "a sqlite:// or postgres:// URL")),
            None => format!("sqlite://{}?mode=rwc", data_dir.join("espace-partenaires.db").display()),
        };
        let site_addr: SocketAddr = env.parsed("LEPTOS_SITE_ADDR", "an address and port such as 127.0.0.1:3000")?.unwrap_or(DEFAULT_SITE_ADDR);
        let json_logs = match env.get("LOG_FORMAT") {
            None => false,
            Some(format) => match format.trim().to_ascii_lowercase().as_str() {
                "text" => false,
                "json" => true,
                _ => return Err(SettingsError::invalid("LOG_FORMAT", &format, "text or json")),
            },
        };
        let defaults = AttachmentPolicy::default();
        let max_files = env.number("ATTACHMENT_MAX_FILES", 1..=MAX_ATTACHMENT_FILES, "files")?.map_or(defaults.max_files, |n| n as usize);
        let max_bytes = env.number("ATTACHMENT_MAX_MB", 1..=MAX_ATTACHMENT_MB, "MiB")?.map_or(defaults.max_bytes, |mb| mb * 1024 * 1024);
        let smtp_url = match env.get("SMTP_URL") {
            Some(url) if url.starts_with("smtp://") || url.starts_with("smtps://") => Some(Secret::new(url)),
            Some(_) => return Err(SettingsError::secret("SMTP_URL", "a smtp:// or smtps:// URL")),
            None => None,
        };
        let from = match env.get("MAIL_FROM") {
            Some(from) if from.parse::<lettre::message::Mailbox>().is_ok() => from,
            Some(from) => {
                return Err(SettingsError::invalid("MAIL_FROM", &from, "an address such as Espace Partenaires <ne-pas-repondre@example.org>"));
            }
            None => MailSettings::default().from,
        };
        let public_url = match env.get("PUBLIC_URL") {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => url,
            Some(url) => return Err(SettingsError::invalid("PUBLIC_URL", &url, "an http:// or https:// address")),
            None => format!("http://{site_addr}"),
        };
        let trusted_proxies = match env.get("TRUSTED_PROXIES") {
            Some(list) => crate::domain::client_address::parse_trusted(&list)
                .map_err(|wrong| SettingsError::invalid("TRUSTED_PROXIES", &wrong, "IP addresses separated by commas"))?,
            None => vec![],
        };
        let object_store = match env.get("OBJECT_STORE_URL") {
            Some(url) if url.trim().strip_prefix("s3://").is_some_and(|rest| !rest.trim_matches('/').is_empty()) => Some(ObjectStoreSettings {
                url: url.trim().to_owned(),
                options: AWS_VARIABLES.iter().filter_map(|name| env.get(name).map(|value| (*name, Secret::new(value.trim())))).collect(),
            }),
            Some(url) => return Err(SettingsError::invalid("OBJECT_STORE_URL", &url, "an s3://bucket or s3://bucket/prefix address")),
            None => None,
        };
        Ok(Settings {
            database_url: Secret::new(database_url),
            data_dir,
            secure_cookies: env.boolean("SECURE_COOKIES")?.unwrap_or(!site_addr.ip().is_loopback()),
            session: SessionPolicy {
                absolute: env
                    .number("SESSION_ABSOLUTE_HOURS", 1..=MAX_SESSION_HOURS, "hours")?
                    .map_or(SessionPolicy::default().absolute, |hours| chrono::Duration::hours(hours as i64)),
                ..SessionPolicy::default()
            },
            sign_in_throttle: ThrottlePolicy::default(),
            json_logs,
            attachments: AttachmentPolicy { max_files, max_bytes },
            mail: MailSettings { smtp_url, from, public_url: public_url.trim_end_matches('/').to_owned() },
            audit_retention_months: env
                .number("AUDIT_RETENTION_MONTHS", 1..=MAX_AUDIT_RETENTION_MONTHS, "months")?
                .map_or(crate::domain::audit_log::DEFAULT_RETENTION_MONTHS, |months| months as u32),
            request_retention_months: env
                .number("RETENTION_MONTHS", 1..=MAX_AUDIT_RETENTION_MONTHS, "months")?
                .map_or(crate::domain::retention::DEFAULT_REQUEST_MONTHS, |months| months as u32),
            trusted_proxies,
            export_background_rows: env
                .number("EXPORT_BACKGROUND_ROWS", 1..=crate::domain::csv::EXPORT_MAX_ROWS as u64, "rows")?
                .unwrap_or(DEFAULT_EXPORT_BACKGROUND_ROWS),
            api_calls_per_minute: env
                .number("API_CALLS_PER_MINUTE", 1..=1_000_000, "calls")?
                .map_or(crate::domain::api_tokens::CALLS_PER_MINUTE, |calls| calls as u32),
            migrate_at_start: env.boolean("MIGRATE_AT_START")?.unwrap_or(true),
            metrics_addr: env.parsed("METRICS_ADDR", "an address and port such as 127.0.0.1:9100")?,
            object_store,
            mfa: mfa_settings(&env, site_addr.ip().is_loopback())?,
            demo_password: Secret::new(env.get("DEMO_PASSWORD").unwrap_or_else(|| DEFAULT_DEMO_PASSWORD.to_owned())),
        })
    }
}

/// `MFA_ENCRYPTION_KEY`, `MFA_REQUIRED` and `DEMO_TOTP_SECRET`, with what only loopback (the demo) may leave out.
fn mfa_settings(env: &Env<impl Fn(&str) -> Option<String>>, loopback: bool) -> Result<MfaSettings, SettingsError> {
    const KEY_SHAPE: &str = "32 bytes written as 64 hexadecimal characters (openssl rand -hex 32)";
    let (encryption_key, demo_key) = match env.get("MFA_ENCRYPTION_KEY") {
        Some(key) if hex::decode(key.trim()).is_ok_and(|bytes| bytes.len() == 32) => (Secret::new(key.trim()), false),
        Some(_) => return Err(SettingsError::secret("MFA_ENCRYPTION_KEY", KEY_SHAPE)),
        None if loopback => (Secret::new(DEMO_ENCRYPTION_KEY.replace(' ', "")), true),
        None => {
            return Err(SettingsError::secret(
                "MFA_ENCRYPTION_KEY",
                "a key when the site is not served on loopback: 32 bytes as 64 hexadecimal characters",
            ));
        }
    };
    let required = env.boolean("MFA_REQUIRED")?.unwrap_or(true);
    if !required && !loopback {
        return Err(SettingsError::invalid("MFA_REQUIRED", "false", "true: only a demo served on loopback may go without the second factor"));
    }
    let demo_secret = match env.get("DEMO_TOTP_SECRET") {
        Some(secret) if crate::server::auth::second_factor::decoded_key(secret.trim()).is_some_and(|bytes| bytes.len() >= 16) => {
            secret.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()
        }
        Some(secret) => return Err(SettingsError::invalid("DEMO_TOTP_SECRET", &secret, "a Base32 secret of at least 26 characters")),
        None => DEFAULT_DEMO_TOTP_SECRET.to_owned(),
    };
    Ok(MfaSettings { encryption_key, demo_key, required, demo_secret })
}

/// Where the site listens when `LEPTOS_SITE_ADDR` is unset (as Leptos's own default).
const DEFAULT_SITE_ADDR: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 3000);
/// Bounds of the numbers: beyond them a typo (an extra zero, megabytes given in bytes) rather than a choice.
const MAX_ATTACHMENT_FILES: u64 = 20;
const MAX_ATTACHMENT_MB: u64 = 100;
const MAX_AUDIT_RETENTION_MONTHS: u64 = 120;
const MAX_SESSION_HOURS: u64 = 24;
/// A download of more rows than this is prepared in the background (a few seconds' work answered at once).
const DEFAULT_EXPORT_BACKGROUND_ROWS: u64 = 5_000;

/// A variable whose value cannot be used: the server does not start.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("{variable}={value:?} cannot be used: expected {expected}")]
    Invalid { variable: &'static str, value: String, expected: String },
    /// The value is not repeated: it may hold a password.
    #[error("{variable} cannot be used: expected {expected} (its value is not shown: it may hold a password)")]
    InvalidSecret { variable: &'static str, expected: &'static str },
}

impl SettingsError {
    fn invalid(variable: &'static str, value: &str, expected: impl Into<String>) -> Self {
        // Bounded, so that a pasted file does not fill the terminal.
        SettingsError::Invalid { variable, value: value.chars().take(80).collect(), expected: expected.into() }
    }

    fn secret(variable: &'static str, expected: &'static str) -> Self {
        SettingsError::InvalidSecret { variable, expected }
    }

    /// The variable that could not be read.
    pub fn variable(&self) -> &'static str {
        match self {
            SettingsError::Invalid { variable, .. } | SettingsError::InvalidSecret { variable, .. } => variable,
        }
    }
}

/// The environment as a lookup, read variable by variable.
struct Env<F>(F);

impl<F: Fn(&str) -> Option<String>> Env<F> {
    /// The value, `None` when unset or blank.
    fn get(&self, name: &str) -> Option<String> {
        (self.0)(name).filter(|value| !value.trim().is_empty())
    }

    /// `true/false`, `1/0`, `yes/no`, `on/off`, in any case; anything else is refused.
    fn boolean(&self, name: &'static str) -> Result<Option<bool>, SettingsError> {
        let Some(value) = self.get(name) else { return Ok(None) };
        match value.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(Some(true)),
            "false" | "0" | "no" | "off" => Ok(Some(false)),
            _ => Err(SettingsError::invalid(name, &value, "true or false (also 1/0, yes/no, on/off)")),
        }
    }

    /// A whole number of `unit` within `range`; anything else is refused.
    fn number(&self, name: &'static str, range: RangeInclusive<u64>, unit: &str) -> Result<Option<u64>, SettingsError> {
        let Some(value) = self.get(name) else { return Ok(None) };
        match value.trim().parse::<u64>() {
            Ok(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(SettingsError::invalid(name, &value, format!("a whole number of {unit} from {} to {}", range.start(), range.end()))),
        }
    }

    /// A value read with `FromStr`; refused when it does not parse.
    fn parsed<T: std::str::FromStr>(&self, name: &'static str, expected: &'static str) -> Result<Option<T>, SettingsError> {
        let Some(value) = self.get(name) else { return Ok(None) };
        value.trim().parse().map(Some).map_err(|_| SettingsError::invalid(name, &value, expected))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings an environment holding exactly `vars` gives.
    fn read(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let vars: Vec<(String, String)> = vars.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect();
        Settings::from_lookup(|name| vars.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()))
    }

    fn refused(vars: &[(&str, &str)]) -> SettingsError {
        match read(vars) {
            Ok(_) => panic!("{vars:?} should be refused"),
            Err(error) => error,
        }
    }

    #[test]
    fn unset_variables_take_their_documented_defaults() {
        let settings = read(&[]).expect("an empty environment is valid");
        assert_eq!(settings.data_dir, PathBuf::from("data"));
        assert_eq!(settings.database_url.expose(), "sqlite://data/espace-partenaires.db?mode=rwc");
        assert!(!settings.secure_cookies, "served on loopback by default: plain HTTP");
        assert!(!settings.json_logs);
        assert_eq!(settings.attachments, AttachmentPolicy { max_files: 5, max_bytes: 10 * 1024 * 1024 });
        assert_eq!(settings.audit_retention_months, 12);
        assert_eq!(settings.request_retention_months, 24);
        assert_eq!(settings.session.absolute, chrono::Duration::hours(12));
        assert!(settings.trusted_proxies.is_empty());
        assert_eq!(settings.mail.smtp_url, None);
        assert_eq!(settings.mail.from, "Espace Partenaires <ne-pas-repondre@espace-partenaires.localhost>");
        assert_eq!(settings.mail.public_url, "http://127.0.0.1:3000");
        assert!(settings.mfa.required && settings.mfa.demo_key, "the demo key on loopback, the second factor required");
        assert_eq!(settings.mfa.demo_secret, DEFAULT_DEMO_TOTP_SECRET);
        assert_eq!(settings.demo_password.expose(), DEFAULT_DEMO_PASSWORD);
        let chosen = read(&[("DEMO_PASSWORD", "un autre mot de passe")]).expect("valid");
        assert_eq!(chosen.demo_password.expose(), "un autre mot de passe");
        assert!(!format!("{chosen:?}").contains("un autre mot de passe"), "the demo password stays out of debug output");
        let public = read(&[("LEPTOS_SITE_ADDR", "0.0.0.0:8080"), ("MFA_ENCRYPTION_KEY", KEY)]).expect("valid");
        assert!(!public.mfa.demo_key);
        assert!(public.secure_cookies, "cookies need HTTPS unless the site is served on loopback");
        assert_eq!(public.mail.public_url, "http://0.0.0.0:8080");
        assert!(!read(&[("LEPTOS_SITE_ADDR", "[::1]:3000")]).expect("valid").secure_cookies);
    }

    const KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    #[test]
    fn outside_loopback_the_second_factor_needs_its_key_and_cannot_be_switched_off() {
        let public = ("LEPTOS_SITE_ADDR", "0.0.0.0:8080");
        assert_eq!(refused(&[public]).variable(), "MFA_ENCRYPTION_KEY");
        let short = refused(&[public, ("MFA_ENCRYPTION_KEY", "0011")]);
        assert_eq!(short.variable(), "MFA_ENCRYPTION_KEY");
        assert!(!short.to_string().contains("0011"), "a key is never repeated: {short}");
        assert_eq!(refused(&[public, ("MFA_ENCRYPTION_KEY", KEY), ("MFA_REQUIRED", "false")]).variable(), "MFA_REQUIRED");
        let demo = read(&[("MFA_REQUIRED", "false")]).expect("a demo on loopback may go without");
        assert!(!demo.mfa.required);
        assert_eq!(refused(&[("DEMO_TOTP_SECRET", "pas du base32 !")]).variable(), "DEMO_TOTP_SECRET");
        assert!(!format!("{:?}", read(&[("MFA_ENCRYPTION_KEY", KEY)]).expect("valid").mfa).contains("0011"), "the key stays out of debug output");
    }

    #[test]
    fn blank_values_count_as_unset() {
        let variables = [
            "DATABASE_URL",
            "DATA_DIR",
            "LEPTOS_SITE_ADDR",
            "LOG_FORMAT",
            "SECURE_COOKIES",
            "ATTACHMENT_MAX_FILES",
            "ATTACHMENT_MAX_MB",
            "SMTP_URL",
            "MAIL_FROM",
            "PUBLIC_URL",
            "AUDIT_RETENTION_MONTHS",
            "TRUSTED_PROXIES",
            "MFA_ENCRYPTION_KEY",
            "MFA_REQUIRED",
            "DEMO_TOTP_SECRET",
            "DEMO_PASSWORD",
        ];
        for blank in ["", "  "] {
            let vars: Vec<(&str, &str)> = variables.iter().map(|name| (*name, blank)).collect();
            let settings = read(&vars).expect("blank is unset");
            assert_eq!(settings.database_url.expose(), "sqlite://data/espace-partenaires.db?mode=rwc");
            assert!(!settings.secure_cookies && !settings.json_logs);
            assert_eq!(settings.attachments, AttachmentPolicy::default());
            assert_eq!(settings.audit_retention_months, 12);
            assert_eq!(settings.demo_password.expose(), DEFAULT_DEMO_PASSWORD);
        }
    }

    #[test]
    fn secure_cookies_reads_every_spelling_of_yes_and_no_in_any_case() {
        let table = [
            ("true", true),
            ("TRUE", true),
            ("True", true),
            ("1", true),
            ("yes", true),
            ("YES", true),
            ("Yes", true),
            ("on", true),
            ("ON", true),
            (" true ", true),
            ("false", false),
            ("FALSE", false),
            ("False", false),
            ("0", false),
            ("no", false),
            ("NO", false),
            ("off", false),
            ("Off", false),
        ];
        // On each kind of address, so that the default never answers in the value's place.
        for site in ["127.0.0.1:3000", "0.0.0.0:3000"] {
            for (value, expected) in table {
                let settings = read(&[("LEPTOS_SITE_ADDR", site), ("SECURE_COOKIES", value), ("MFA_ENCRYPTION_KEY", KEY)]).expect(value);
                assert_eq!(settings.secure_cookies, expected, "SECURE_COOKIES={value:?} on {site}");
            }
        }
    }

    #[test]
    fn a_security_flag_that_cannot_be_read_stops_the_start_instead_of_failing_open() {
        for value in ["ture", "2", "-1", "y", "t", "vrai", "enabled", "true false"] {
            let error = refused(&[("LEPTOS_SITE_ADDR", "0.0.0.0:3000"), ("SECURE_COOKIES", value)]);
            assert_eq!(error.variable(), "SECURE_COOKIES");
            assert!(error.to_string().contains(&format!("{value:?}")), "the value is named: {error}");
        }
    }

    #[test]
    fn each_variable_refuses_a_value_it_cannot_read_naming_the_variable_and_the_value() {
        let table = [
            ("ATTACHMENT_MAX_FILES", "0"),
            ("ATTACHMENT_MAX_FILES", "21"),
            ("ATTACHMENT_MAX_FILES", "five"),
            ("ATTACHMENT_MAX_FILES", "-1"),
            ("ATTACHMENT_MAX_MB", "0"),
            ("ATTACHMENT_MAX_MB", "101"),
            ("ATTACHMENT_MAX_MB", "10MB"),
            ("ATTACHMENT_MAX_MB", "18446744073709551616"),
            ("AUDIT_RETENTION_MONTHS", "0"),
            ("AUDIT_RETENTION_MONTHS", "121"),
            ("AUDIT_RETENTION_MONTHS", "12.5"),
            ("RETENTION_MONTHS", "0"),
            ("RETENTION_MONTHS", "deux ans"),
            ("SESSION_ABSOLUTE_HOURS", "0"),
            ("SESSION_ABSOLUTE_HOURS", "25"),
            ("LOG_FORMAT", "jsonl"),
            ("LOG_FORMAT", "pretty"),
            ("LEPTOS_SITE_ADDR", "localhost:3000"),
            ("LEPTOS_SITE_ADDR", "127.0.0.1"),
            ("PUBLIC_URL", "espace-partenaires.example.org"),
            ("MAIL_FROM", "pas une adresse"),
            ("SECURE_COOKIES", "peut-être"),
        ];
        for (variable, value) in table {
            let error = refused(&[(variable, value)]);
            assert_eq!(error.variable(), variable, "{value}");
            assert!(error.to_string().starts_with(&format!("{variable}={value:?} ")), "{error}");
        }
        let error = refused(&[("TRUSTED_PROXIES", "10.0.0.2, proxy.internal")]);
        assert_eq!(error.variable(), "TRUSTED_PROXIES");
        assert!(error.to_string().contains("\"proxy.internal\""), "the entry that is not an address: {error}");
    }

    #[test]
    fn a_database_or_smtp_url_that_cannot_be_used_is_named_without_its_password() {
        let table = [
            ("DATABASE_URL", "mysql://admin:s3cr3t-pw@db/ep"),
            ("DATABASE_URL", "admin:s3cr3t-pw@db"),
            ("SMTP_URL", "http://user:s3cr3t-pw@mail:587"),
            ("SMTP_URL", "user:s3cr3t-pw@mail"),
        ];
        for (variable, value) in table {
            let error = refused(&[(variable, value)]);
            assert_eq!(error.variable(), variable);
            assert!(error.to_string().starts_with(variable), "{error}");
            assert!(!error.to_string().contains("s3cr3t") && !format!("{error:?}").contains("s3cr3t"), "{error:?}");
        }
    }

    #[test]
    fn accepted_values_are_read_as_given() {
        let settings = read(&[
            ("DATABASE_URL", "postgres://ep:pw@db:5432/ep"),
            ("DATA_DIR", "/var/lib/ep"),
            ("LEPTOS_SITE_ADDR", "0.0.0.0:8080"),
            ("LOG_FORMAT", "JSON"),
            ("ATTACHMENT_MAX_FILES", "20"),
            ("ATTACHMENT_MAX_MB", " 25 "),
            ("SMTP_URL", "smtps://user:pw@mail.example.org:465"),
            ("MAIL_FROM", "CPAM <ne-pas-repondre@example.org>"),
            ("PUBLIC_URL", "https://partenaires.example.org/"),
            ("AUDIT_RETENTION_MONTHS", "120"),
            ("RETENTION_MONTHS", "36"),
            ("SESSION_ABSOLUTE_HOURS", "8"),
            ("TRUSTED_PROXIES", "10.0.0.2, ::1"),
            ("MFA_ENCRYPTION_KEY", KEY),
            ("DEMO_TOTP_SECRET", "jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxq"),
        ])
        .expect("valid");
        assert_eq!(settings.mfa.demo_secret, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ");
        assert!(settings.mfa.required && !settings.mfa.demo_key);
        assert_eq!(settings.database_url.expose(), "postgres://ep:pw@db:5432/ep");
        assert_eq!(settings.data_dir, PathBuf::from("/var/lib/ep"));
        assert!(settings.json_logs && settings.secure_cookies);
        assert_eq!(settings.attachments, AttachmentPolicy { max_files: 20, max_bytes: 25 * 1024 * 1024 });
        assert_eq!(settings.mail.smtp_url.as_ref().map(Secret::expose), Some("smtps://user:pw@mail.example.org:465"));
        assert_eq!(settings.mail.from, "CPAM <ne-pas-repondre@example.org>");
        assert_eq!(settings.mail.public_url, "https://partenaires.example.org");
        assert_eq!(settings.audit_retention_months, 120);
        assert_eq!(settings.request_retention_months, 36);
        assert_eq!(settings.session.absolute, chrono::Duration::hours(8));
        assert_eq!(settings.session.idle, chrono::Duration::minutes(30), "the idle limit is not a setting");
        assert_eq!(settings.trusted_proxies.len(), 2);
        assert!(!read(&[("LOG_FORMAT", "Text")]).expect("valid").json_logs);
        let sqlite = read(&[("DATABASE_URL", "sqlite::memory:")]).expect("valid");
        assert_eq!(sqlite.database_url.expose(), "sqlite::memory:");
        assert!(!format!("{settings:?}").contains("pw@"), "secrets stay out of debug output");
    }

    #[test]
    fn an_object_store_url_names_a_bucket_and_takes_the_aws_variables_without_showing_the_key() {
        assert!(read(&[]).expect("valid").object_store.is_none(), "the folder under DATA_DIR by default");
        let settings = read(&[
            ("OBJECT_STORE_URL", "s3://ep-files/cpam-75"),
            ("AWS_ENDPOINT", "http://127.0.0.1:9000"),
            ("AWS_ALLOW_HTTP", "true"),
            ("AWS_SECRET_ACCESS_KEY", "s3cr3t-key"),
            ("AWS_UNRELATED", "ignored"),
        ])
        .expect("valid");
        let store = settings.object_store.as_ref().expect("a bucket");
        assert_eq!(store.url, "s3://ep-files/cpam-75");
        let names: Vec<&str> = store.options.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT", "AWS_ALLOW_HTTP"]);
        assert!(!format!("{settings:?}").contains("s3cr3t"), "the key stays out of debug output");
        for wrong in ["/var/lib/ep/files", "s3://", "gs://bucket", "file:///tmp"] {
            let error = refused(&[("OBJECT_STORE_URL", wrong)]);
            assert_eq!(error.variable(), "OBJECT_STORE_URL", "{wrong}");
        }
    }
}
