//! The `server` binary: `server` serves, `server migrate` migrates, `server seed demo` loads the demo data,
//! `server seed volume --requests N` fills the database for load tests, `server files check|sweep` compares the stored
//! files with the rows, `server api-token create …` prints a new API token once.

use app::server::settings::{DEFAULT_DEMO_PASSWORD, Settings};
use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use server::seed::DEMO_ACCOUNTS;
use server::seed::volume::{VolumeOptions, volume};
use std::net::SocketAddr;
use std::process::ExitCode;

/// Rendering a page allocates many small, short-lived values: glibc's allocator took a fifth of the sign-in
/// page's time under load, mimalloc much less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "server", about = "Espace Partenaires")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the application (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load data into the database.
    Seed {
        #[command(subcommand)]
        what: SeedKind,
    },
    /// Print the code the demo accounts' authenticator app shows now (from `DEMO_TOTP_SECRET`), for a demo without
    /// a phone.
    DemoCode,
    /// The caisse's API tokens, for deployments.
    ApiToken {
        #[command(subcommand)]
        what: ApiTokenCommand,
    },
    /// The stored files against the database's rows.
    Files {
        #[command(subcommand)]
        what: FilesCommand,
    },
}

#[derive(Subcommand)]
enum FilesCommand {
    /// Count the stored files, those no row names and the rows naming a missing file; exit 1 if any is found.
    Check,
    /// Delete the stored files no row names, written more than a day ago (as the housekeeping does), or all of them
    /// with `--all` (only while no instance serves: a file may be on its way to its row).
    Sweep {
        #[arg(long)]
        all: bool,
    },
}

#[derive(Subcommand)]
enum ApiTokenCommand {
    /// Create a token and print it, once, alone on stdout (audited).
    Create {
        /// The caisse's code (e.g. 091).
        #[arg(long)]
        caisse: String,
        /// What the token is for (the tool that uses it).
        #[arg(long)]
        name: String,
        /// Comma-separated: requests:read, requests:write, notes:read, appointments:read, structures:read.
        #[arg(long)]
        scopes: String,
        /// Days until it expires (1 to 365).
        #[arg(long, default_value = "30")]
        days: String,
        /// Client addresses or networks allowed to use it, comma-separated (any when absent).
        #[arg(long, default_value = "")]
        allowed_addresses: String,
    },
}

#[derive(Subcommand)]
enum SeedKind {
    /// The demo caisses, structures, conventions, accounts and requests (idempotent).
    Demo,
    /// Test caisses and structures (reused when already there), then N more requests over the last two years.
    Volume {
        /// How many requests to add.
        #[arg(long)]
        requests: u64,
        /// How many test caisses (codes V01, V02…).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
        caisses: u32,
        /// How many partner structures, spread over the caisses, each with one trained partner agent.
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
        structures: u32,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(err) => {
            // Before logging is set up (its format is one of the settings): one line for whoever started the server.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "server: configuration refused: {err}");
            return ExitCode::from(2);
        }
    };
    if let Some(Command::DemoCode) = cli.command {
        // Only the code on stdout, for scripts (no log line before it).
        return print_demo_code(&settings);
    }
    // A new API token is the only line on stdout, for scripts: no log there (the log goes to stdout).
    let quiet = matches!(cli.command, Some(Command::ApiToken { .. }));
    if !quiet {
        server::telemetry::init(settings.json_logs);
    }
    server::telemetry::log_panics();
    if settings.mfa.demo_key && !quiet {
        tracing::warn!(
            "MFA_ENCRYPTION_KEY is unset: the second factor's secrets are sealed with the published DEMO key (allowed on loopback only). Set MFA_ENCRYPTION_KEY before holding real accounts."
        );
    }
    if !settings.mfa.required && !quiet {
        tracing::warn!("MFA_REQUIRED=false: SIGN-IN ASKS FOR THE PASSWORD ONLY. Demo on loopback only; never with real data.");
    }
    match run(cli, settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if quiet => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "server: {err}");
            ExitCode::FAILURE
        }
        Err(err) => {
            tracing::error!(error = %err, "stopped");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, mut settings: Settings) -> Result<(), Box<dyn std::error::Error>> {
    // `MIGRATE_AT_START=false` spares serving only: `migrate` and the seeders always bring the schema up to date.
    settings.migrate_at_start |= !matches!(cli.command, None | Some(Command::Serve));
    let conf = get_configuration(None)?;
    let leptos_options = conf.leptos_options;
    let addr = leptos_options.site_addr;
    let state = server::prepare(settings, leptos_options).await?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            tracing::info!("database migrated");
            Ok(())
        }
        Command::Seed { what: SeedKind::Demo } => {
            let added = server::seed_demo(&state, state.settings.demo_password.expose()).await?;
            tracing::info!(rows = added, "demo data loaded");
            print_demo_logins(addr, &state.settings);
            Ok(())
        }
        Command::Seed { what: SeedKind::Volume { requests, caisses, structures } } => {
            let password = state.settings.demo_password.expose().to_owned();
            let options = VolumeOptions { requests, caisses, structures, password, mfa: state.settings.mfa.clone() };
            let report = volume(&state.db, options, chrono::Utc::now()).await?;
            tracing::info!(
                caisses_added = report.caisses_added,
                structures_added = report.structures_added,
                accounts_added = report.accounts_added,
                requests = report.requests,
                "volume data generated"
            );
            use std::io::Write;
            let _ = writeln!(std::io::stdout(), "{}", report.summary());
            Ok(())
        }
        Command::Files { what: FilesCommand::Check } => {
            let check = app::server::file_sweep::check(&state).await?;
            use std::io::Write;
            let _ = writeln!(std::io::stdout(), "stored={} unreferenced={} missing={}", check.stored, check.unreferenced, check.missing);
            if check.unreferenced + check.missing > 0 { Err("stored files and rows disagree".into()) } else { Ok(()) }
        }
        Command::Files { what: FilesCommand::Sweep { all } } => {
            use app::server::file_sweep::{EVER, UNREFERENCED_FOR};
            let before = if all { EVER } else { chrono::Utc::now() - UNREFERENCED_FOR };
            let swept = app::server::file_sweep::sweep(&state, before).await?;
            use std::io::Write;
            let _ = writeln!(std::io::stdout(), "swept={swept}");
            Ok(())
        }
        Command::ApiToken { what: ApiTokenCommand::Create { caisse, name, scopes, days, allowed_addresses } } => {
            let token =
                app::server::api_tokens::create_from_command_line(&state.db, &caisse, &name, &scopes, &days, &allowed_addresses, chrono::Utc::now())
                    .await
                    .map_err(|err| err.sentence())?;
            use std::io::Write;
            let _ = writeln!(std::io::stdout(), "{token}");
            Ok(())
        }
        Command::Serve => serve(state, addr).await,
        Command::DemoCode => Ok(()),
    }
}

fn print_demo_code(settings: &Settings) -> ExitCode {
    let code = app::server::auth::second_factor::decoded_key(&settings.mfa.demo_secret)
        .and_then(|secret| app::server::auth::second_factor::code_at(&secret, u64::try_from(chrono::Utc::now().timestamp()).ok()?).ok());
    use std::io::Write;
    match code {
        Some(code) => {
            let _ = writeln!(std::io::stdout(), "{code}");
            ExitCode::SUCCESS
        }
        None => ExitCode::FAILURE,
    }
}

fn print_demo_logins(addr: SocketAddr, settings: &Settings) {
    let password = settings.demo_password.expose();
    let password_note = if password == DEFAULT_DEMO_PASSWORD { DEFAULT_DEMO_PASSWORD } else { "la valeur de DEMO_PASSWORD" };
    let mut text = format!("\nEspace Partenaires : http://{addr}/\nComptes de démonstration (mot de passe : {password_note}) :\n");
    for (email, what) in DEMO_ACCOUNTS {
        text.push_str(&format!("  {email:<38} {what}\n"));
    }
    let secret = &settings.mfa.demo_secret;
    text.push_str(&format!(
        "Double authentification : ajoutez la clé {} dans une application d'authentification,\n  \
         ou affichez le code du moment avec « server demo-code ».\n",
        app::domain::second_factor::key_in_groups(secret)
    ));
    // The one place the binary writes to stdout: what the person running the demo needs to read.
    use std::io::Write;
    let _ = std::io::stdout().write_all(text.as_bytes());
}

async fn serve(state: app::server::state::AppState, addr: SocketAddr) -> Result<(), Box<dyn std::error::Error>> {
    let housekeeping = server::housekeeping::start(state.clone());
    let transport = app::server::mail::Transport::from_settings(&state.settings.mail, &state.settings.data_dir)?;
    let (stop_mail, mail_stop) = tokio::sync::watch::channel(false);
    let mut mail_worker = tokio::spawn(app::server::mail::run_worker(
        state.db.clone(),
        transport,
        state.settings.mail.from.clone(),
        std::time::Duration::from_secs(5),
        mail_stop,
    ));
    let mut webhook_worker = tokio::spawn(app::server::webhooks::run_worker(state.clone(), std::time::Duration::from_secs(5), stop_mail.subscribe()));
    // The metrics on their own address, for the monitoring only; stopped with the rest.
    let metrics = match state.settings.metrics_addr {
        Some(metrics_addr) => {
            let listener = tokio::net::TcpListener::bind(metrics_addr).await?;
            tracing::info!("metrics on http://{metrics_addr}/metrics");
            let router = server::metrics::router(state.clone());
            Some(tokio::spawn(server::serve::serve(listener, router, std::future::pending())))
        }
        None => None,
    };
    let app = server::router::router(state);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{addr}");
    server::serve::serve(listener, app, shutdown_signal()).await;
    if let Some(metrics) = metrics {
        metrics.abort();
    }
    housekeeping.abort();
    // The e-mails being sent go out (or are left for another instance), within a bound.
    let _ = stop_mail.send(true);
    if tokio::time::timeout(MAIL_GRACE, &mut mail_worker).await.is_err() {
        tracing::warn!("e-mails still being sent after the shutdown grace period: left to the next start");
        mail_worker.abort();
    }
    // The webhooks being sent go out too, within the same bound.
    if tokio::time::timeout(MAIL_GRACE, &mut webhook_worker).await.is_err() {
        tracing::warn!("webhooks still being sent after the shutdown grace period: left to the next start");
        webhook_worker.abort();
    }
    tracing::info!("stopped cleanly");
    Ok(())
}

/// How long a stop waits for the e-mails being sent.
const MAIL_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested: finishing in-flight requests");
}
