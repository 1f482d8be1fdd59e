//! `TestApp` boots the real router on a fresh database; `Browser` is a cookie-keeping HTTP client that
//! speaks to it like a browser would, with JavaScript (server-function JSON) or without (plain form posts);
//! `input_value` and `textarea` read a form's fields back as the person sees them.

use app::dto::error::AppError;
use app::server::settings::{DEFAULT_DEMO_PASSWORD, DEFAULT_DEMO_TOTP_SECRET, MfaSettings, ObjectStoreSettings, Secret, Settings};
use app::server::state::AppState;
use leptos::config::LeptosOptions;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Response, StatusCode, redirect};
use sea_orm::{ConnectionTrait, Database};
use std::sync::Arc;

pub const PASSWORD: &str = "mot-de-passe-des-tests";

#[derive(Clone, Copy, Debug)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Runs each named scenario `async fn name(db: Db)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { $crate::support::within_limit(super::$name($crate::support::Db::Sqlite)).await }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { $crate::support::within_limit(super::$name($crate::support::Db::Postgres)).await }
            )*
        }
    };
}

/// Runs a scenario, failing it (instead of blocking the whole run) if it takes more than three minutes.
pub async fn within_limit(scenario: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(180), scenario).await.is_err() {
        panic!("the scenario did not finish within three minutes");
    }
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    database_url: String,
    _dir: Arc<tempfile::TempDir>,
}

impl TestApp {
    /// A fresh database with the demo data, and the app serving it on a free loopback port.
    pub async fn spawn(db: Db) -> TestApp {
        Self::spawn_with(db, |_| {}).await
    }

    /// The same, its settings changed by `tweak`. On PostgreSQL (the deployments' database) files go to a bucket of
    /// its own on the S3-compatible server; on SQLite (the embedded default) to the folder under `DATA_DIR`: every
    /// scenario with files runs against both stores.
    pub async fn spawn_with(db: Db, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
        let database_url = empty_database(db, dir.path()).await;
        let bucket = match db {
            Db::Postgres => Some(fresh_bucket().await),
            Db::Sqlite => None,
        };
        let app = Self::start(&database_url, dir, |settings| {
            settings.object_store = bucket;
            tweak(settings);
        })
        .await;
        server::seed::demo(&app.state.db, PASSWORD, &app.state.settings.mfa, chrono::Utc::now()).await.expect("seed demo data");
        app
    }

    /// A second instance of the app on the same database (as behind a load balancer).
    pub async fn another_instance(&self) -> TestApp {
        self.another_instance_with(|_| {}).await
    }

    /// A second instance on the same database, its settings changed by `tweak`.
    pub async fn another_instance_with(&self, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let settings = self.state.settings.clone();
        Self::start(&self.database_url, self._dir.clone(), move |s| {
            *s = settings;
            tweak(s);
        })
        .await
    }

    async fn start(database_url: &str, dir: Arc<tempfile::TempDir>, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = settings(database_url, dir.path());
        tweak(&mut settings);
        let state = server::prepare(settings, leptos_options(dir.path())).await.expect("database ready");
        let router = server::router::router(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move {
            server::serve::serve(listener, router, std::future::pending()).await;
        });
        TestApp { base: format!("http://{addr}"), state, database_url: database_url.to_owned(), _dir: dir }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base, Arc::new(Jar::default()), self.state.db.clone())
    }

    /// A browser on this instance holding the given cookie jar (another tab, another instance, a thief's copy).
    pub fn browser_with(&self, jar: Arc<Jar>) -> Browser {
        Browser::new(&self.base, jar, self.state.db.clone())
    }

    /// A browser already signed in as `email` (through the JavaScript path).
    pub async fn signed_in(&self, email: &str) -> Browser {
        let browser = self.browser();
        let response = browser.sign_in_js(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "sign-in of {email} should succeed");
        browser
    }

    pub async fn execute(&self, sql: &str) {
        self.state.db.execute_unprepared(sql).await.expect(sql);
    }

    /// The first column of the first row, as text.
    pub async fn text(&self, sql: &str) -> String {
        let backend = self.state.db.get_database_backend();
        let row = self.state.db.query_one_raw(sea_orm::Statement::from_string(backend, sql.to_owned())).await.expect(sql).expect("one row");
        row.try_get_by_index::<String>(0).expect("a text")
    }

    /// The first column of every row, as text.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        let backend = self.state.db.get_database_backend();
        let rows = self.state.db.query_all_raw(sea_orm::Statement::from_string(backend, sql.to_owned())).await.expect(sql);
        rows.into_iter().map(|row| row.try_get_by_index::<String>(0).expect("a text")).collect()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let backend = self.state.db.get_database_backend();
        let row = self.state.db.query_one_raw(sea_orm::Statement::from_string(backend, sql.to_owned())).await.expect(sql).expect("one row");
        row.try_get_by_index::<i64>(0).expect("a count")
    }
}

/// The tests' settings for an app on `database_url` keeping its files in `dir`.
pub fn settings(database_url: &str, dir: &std::path::Path) -> Settings {
    Settings {
        database_url: Secret::new(database_url),
        data_dir: dir.to_path_buf(),
        secure_cookies: false,
        session: Default::default(),
        sign_in_throttle: Default::default(),
        json_logs: false,
        attachments: Default::default(),
        mail: Default::default(),
        audit_retention_months: 12,
        request_retention_months: 24,
        trusted_proxies: vec![],
        export_background_rows: 5_000,
        api_calls_per_minute: app::domain::api_tokens::CALLS_PER_MINUTE,
        migrate_at_start: true,
        metrics_addr: None,
        object_store: None,
        mfa: MfaSettings {
            encryption_key: Secret::new("7465737473206f6e6c793a206e6f742061207265616c206b657920212121212e"),
            demo_key: false,
            required: true,
            demo_secret: DEFAULT_DEMO_TOTP_SECRET.to_owned(),
        },
        demo_password: Secret::new(DEFAULT_DEMO_PASSWORD),
    }
}

/// A new, empty bucket of its own on the S3-compatible server the tests run against (`moto`, started by
/// scripts/test.sh), under a prefix, as a deployment names it.
pub async fn fresh_bucket() -> ObjectStoreSettings {
    let endpoint = std::env::var("TEST_S3_ENDPOINT")
        .expect("TEST_S3_ENDPOINT must point at an S3-compatible server: run the tests with scripts/test.sh, which starts one");
    let bucket = format!("ep-test-{}", uuid::Uuid::new_v4().simple());
    let created = Client::new().put(format!("{endpoint}/{bucket}")).send().await.expect("the S3 server answers");
    assert!(created.status().is_success(), "bucket {bucket} created: {}", created.status());
    let options = [
        ("AWS_ENDPOINT", endpoint.as_str()),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
    ];
    ObjectStoreSettings { url: format!("s3://{bucket}/espace-partenaires"), options: options.map(|(name, value)| (name, Secret::new(value))).into() }
}

/// Leptos's options for an app whose site lives in `dir`.
pub fn leptos_options(dir: &std::path::Path) -> LeptosOptions {
    LeptosOptions::builder().output_name("espace-partenaires").site_root(dir.join("site").display().to_string()).build()
}

/// A new, empty database: a SQLite file in `dir`, or a PostgreSQL database of its own.
pub async fn empty_database(db: Db, dir: &std::path::Path) -> String {
    match db {
        Db::Sqlite => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
        Db::Postgres => fresh_postgres_database().await,
    }
}

async fn fresh_postgres_database() -> String {
    let admin_url = std::env::var("TEST_POSTGRES_URL")
        .expect("TEST_POSTGRES_URL must point at a PostgreSQL server: run the tests with scripts/test.sh, which starts one");
    let name = format!("ep_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(admin_url.as_str()).await.expect("connect to PostgreSQL");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    admin.close().await.ok();
    let (server, _) = admin_url.rsplit_once('/').expect("URL with a database name");
    format!("{server}/{name}")
}

pub struct Browser {
    pub client: Client,
    pub jar: Arc<Jar>,
    pub base: String,
    /// The app's database, for the one thing a test browser does that a person's does not: forget the last code an
    /// account used, as if its previous sign-in were half a minute old (tests sign the same account in many times a
    /// minute, which the replay guard rightly refuses).
    db: sea_orm::DatabaseConnection,
}

/// The code the demo accounts' app shows now (`DEMO_TOTP_SECRET`'s default).
pub fn demo_code() -> String {
    code_of(DEFAULT_DEMO_TOTP_SECRET)
}

/// The code an app holding the Base32 `key` shows now.
pub fn code_of(key: &str) -> String {
    use app::server::auth::second_factor::{code_at, decoded_key};
    let secret = decoded_key(key).expect("a Base32 key");
    code_at(&secret, u64::try_from(chrono::Utc::now().timestamp()).expect("after 1970")).expect("a code")
}

impl Browser {
    fn new(base: &str, jar: Arc<Jar>, db: sea_orm::DatabaseConnection) -> Browser {
        let client = Client::builder()
            .cookie_provider(jar.clone())
            .redirect(redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("client");
        Browser { client, jar, base: base.to_owned(), db }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The session cookie the browser holds, if any.
    pub fn session_cookie(&self) -> Option<String> {
        let url = self.base.parse().expect("url");
        let header = self.jar.cookies(&url)?;
        header.to_str().ok()?.split("; ").find_map(|c| c.strip_prefix("ep_session=").map(str::to_owned))
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).header("Accept", "text/html").send().await.expect("GET")
    }

    /// A server function called the way the hydrated page calls it.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("Accept", "application/json")
            .header("Origin", &self.base)
            .form(form)
            .send()
            .await
            .expect("server function call")
    }

    /// A form posted by a browser with JavaScript off, from `page`.
    pub async fn post_form(&self, endpoint: &str, page: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("Accept", "text/html,application/xhtml+xml")
            .header("Origin", &self.base)
            .header("Referer", self.url(page))
            .form(form)
            .send()
            .await
            .expect("form post")
    }

    /// A multipart form (with files) posted by a browser from `page`, JavaScript on or off alike.
    pub async fn post_multipart(&self, path: &str, page: &str, form: reqwest::multipart::Form) -> Response {
        self.client
            .post(self.url(path))
            .header("Accept", "text/html,application/xhtml+xml")
            .header("Origin", &self.base)
            .header("Referer", self.url(page))
            .multipart(form)
            .send()
            .await
            .expect("multipart post")
    }

    /// The password step alone, as the sign-in form sends it with JavaScript.
    pub async fn password_step_js(&self, email: &str, password: &str) -> Response {
        self.call("login", &[("email", email), ("password", password)]).await
    }

    /// The password step alone, with JavaScript off.
    pub async fn password_step_form(&self, email: &str, password: &str) -> Response {
        self.post_form("login", "/login", &[("email", email), ("password", password)]).await
    }

    /// Signs in with JavaScript through both steps: the password, then the code of the account's app (the demo
    /// secret; an account without a factor enrols with the key its enrolment page gives). The password step's
    /// answer when it refused, else the second step's (where to go).
    pub async fn sign_in_js(&self, email: &str, password: &str) -> Response {
        let first = self.password_step_js(email, password).await;
        if first.status() != StatusCode::OK {
            return first;
        }
        let next: String = first.json().await.expect("where to go next");
        let code = self.code_for(email, &next).await;
        self.call("confirm_code", &[("code", &code)]).await
    }

    /// The same with JavaScript off: each step a form post answered by a redirect.
    pub async fn sign_in_form(&self, email: &str, password: &str) -> Response {
        let first = self.password_step_form(email, password).await;
        let next = if first.status().is_redirection() { location(&first) } else { return first };
        if !next.starts_with("/login/code") && !next.starts_with("/login/enrolement") {
            return first;
        }
        let code = self.code_for(email, &next).await;
        self.post_form("confirm_code", &next, &[("code", &code)]).await
    }

    /// The code step with JavaScript off, once the password step of `email` passed: the demo app's code.
    pub async fn code_step_form(&self, email: &str) -> Response {
        let code = self.code_for(email, "/login/code").await;
        self.post_form("confirm_code", "/login/code", &[("code", &code)]).await
    }

    /// The code to type at `step` (`/login/code` or `/login/enrolement`), the replay guard forgotten first.
    async fn code_for(&self, email: &str, step: &str) -> String {
        if step.starts_with("/login/enrolement") {
            let sheet: app::dto::auth::Enrolment = self.call("enrolment_sheet", &[]).await.json().await.expect("the enrolment sheet");
            return code_of(&sheet.key);
        }
        assert!(step.starts_with("/login/code"), "the password step should lead to the code, not {step}");
        self.forget_last_code(email).await;
        demo_code()
    }

    /// Forgets the last code step the account used (see [`Browser::db`]).
    pub async fn forget_last_code(&self, email: &str) {
        let backend = self.db.get_database_backend();
        let sql = "UPDATE second_factors SET last_step = NULL WHERE account_id = (SELECT id FROM accounts WHERE email = $1)";
        let sql = if matches!(backend, sea_orm::DatabaseBackend::Sqlite) { sql.replace("$1", "?") } else { sql.to_owned() };
        self.db
            .execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, [email.to_lowercase().into()]))
            .await
            .expect("replay guard forgotten");
    }
}

/// The error a server function answered with.
pub async fn app_error(response: Response) -> AppError {
    let body = response.text().await.expect("body");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

/// Where a redirect points, as a path.
pub fn location(response: &Response) -> String {
    let location = response.headers().get("location").expect("a Location header").to_str().expect("ascii");
    match location.find("://") {
        Some(scheme_end) => {
            let rest = &location[scheme_end + 3..];
            rest.find('/').map(|i| rest[i..].to_owned()).unwrap_or_else(|| "/".to_owned())
        }
        None => location.to_owned(),
    }
}

/// Asserts the answer sends the browser to sign in first, and back to `path` afterwards.
pub fn assert_sent_to_sign_in(response: &Response, path: &str) {
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path} should send to sign in");
    assert_eq!(location(response), format!("/login?suite={path}"));
}

/// The text content of a page's `<main>`, tags stripped, for asserting what a person reads.
pub fn main_text(html: &str) -> String {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---- Reading forms as served ----

/// HTML text or attribute value as the browser reads it.
pub fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x22;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The opening tag of the first `element` (e.g. "input") whose `id` is `id`.
pub fn tag_with_id<'a>(html: &'a str, element: &str, id: &str) -> Option<(usize, &'a str)> {
    let open = format!("<{element}");
    let wanted = format!(r#"id="{id}""#);
    html.match_indices(&open).find_map(|(start, _)| {
        let end = start + html[start..].find('>')?;
        let tag = &html[start..end];
        tag.contains(&wanted).then_some((end + 1, tag))
    })
}

/// The value of the input whose id is `id`, as the person sees it.
pub fn input_value(html: &str, id: &str) -> Option<String> {
    let (_, tag) = tag_with_id(html, "input", id)?;
    let value = tag.split(r#" value=""#).nth(1)?;
    Some(decode(&value[..value.find('"')?]))
}

/// The text inside the textarea whose id is `id`, as the person sees it.
pub fn textarea(html: &str, id: &str) -> Option<String> {
    let (content_start, _) = tag_with_id(html, "textarea", id)?;
    let content = &html[content_start..content_start + html[content_start..].find("</textarea>")?];
    Some(decode(content))
}

/// A real SMTP server (Debian's aiosmtpd) on a free loopback port, keeping what it receives in a Maildir.
pub struct SmtpServer {
    pub port: u16,
    maildir: tempfile::TempDir,
    process: Option<std::process::Child>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("address").port();
        let maildir = tempfile::tempdir().expect("maildir");
        for folder in ["tmp", "new", "cur"] {
            std::fs::create_dir(maildir.path().join(folder)).expect("maildir folder");
        }
        let mut server = SmtpServer { port, maildir, process: None };
        server.restart().await;
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Starts it (again) on the same port, and waits until it accepts connections.
    pub async fn restart(&mut self) {
        let child = std::process::Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{}", self.port), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.maildir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("aiosmtpd (Debian's python3-aiosmtpd, installed by scripts/ensure-tools.sh)");
        self.process = Some(child);
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the SMTP server did not start");
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.process.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, as raw text (headers and bodies, quoted-printable left as sent).
    pub fn messages(&self) -> Vec<String> {
        let mut found = vec![];
        for folder in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.path().join(folder)) {
                for entry in entries.flatten() {
                    found.push(std::fs::read_to_string(entry.path()).expect("message"));
                }
            }
        }
        found
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
