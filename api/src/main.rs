//! The `marquee` command: serve (default), migrate, seed, create-admin, export-schema.

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use marquee::config::{Overrides, Settings};
use marquee::startup::{Application, shutdown_signal, start_services};
use marquee::{graphql, telemetry};
use marquee_domain::accounts::{EmailAddress, Password};
use marquee_domain::clock::{Clock, SystemClock};
use marquee_domain::payments::FakeGateway;

#[derive(Parser)]
#[command(
    name = "marquee",
    version,
    about = "Cinema and live-event ticketing over GraphQL"
)]
struct Cli {
    /// Settings file [default: marquee.toml, if present].
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Listen address, e.g. 0.0.0.0:8080 (MARQUEE_BIND).
    #[arg(long, global = true)]
    bind: Option<SocketAddr>,
    /// Data folder for the embedded database and keys (MARQUEE_DATA_DIR).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo catalog into an empty database.
    Seed {
        /// Then add this many back-catalogue films without showtimes (for measuring
        /// discovery on a large catalogue).
        #[arg(long, default_value_t = 0)]
        archive_titles: usize,
        /// Then add an organisation with a chain of theatres, a past schedule and this
        /// many bookings of it (with seats, tickets, payments, cancellations and refunds),
        /// written in bulk with their sales rollups (for measuring analytics at volume).
        #[arg(long, default_value_t = 0)]
        bookings: usize,
    },
    /// Create an admin account, or promote an existing one; the password is read from
    /// standard input.
    CreateAdmin {
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
        /// Display name for a new account.
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Rebuild the search index from the database (with the server stopped: a running
    /// server holds the index and rebuilds it itself when it is lost).
    Reindex,
    /// Write the GraphQL schema (SDL) to a file, or `-` for standard output.
    ExportSchema {
        #[arg(long, default_value = "schema.graphql")]
        out: String,
    },
}

// Every request and every subscription message allocates many small, short-lived values
// across threads; mimalloc serves those with less contention than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::ExportSchema { out }) = &cli.command {
        let sdl = graphql::sdl();
        if out == "-" {
            print!("{sdl}");
        } else {
            std::fs::write(out, sdl).with_context(|| format!("cannot write {out}"))?;
            eprintln!("wrote {out}");
        }
        return Ok(());
    }
    let overrides = Overrides {
        bind: cli.bind,
        data_dir: cli.data_dir.clone(),
    };
    let settings = Settings::load(cli.config.as_deref(), &overrides)?;
    let otlp = settings
        .otlp_endpoint
        .as_deref()
        .map(|endpoint| telemetry::Otlp {
            endpoint,
            service_name: &settings.otlp_service_name,
        });
    let telemetry = telemetry::init(settings.log_format, &settings.log_filter, otlp)?;
    let outcome = run(cli.command.unwrap_or(Command::Serve), settings).await;
    // After the server has finished its requests: their spans are the last to leave.
    telemetry.shutdown().await;
    outcome
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            start_services(
                &settings,
                Arc::new(SystemClock),
                None,
                Arc::new(FakeGateway::default()),
                None,
            )
            .await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed {
            archive_titles,
            bookings,
        } => {
            let services = start_services(
                &settings,
                Arc::new(SystemClock),
                None,
                Arc::new(FakeGateway::default()),
                None,
            )
            .await?;
            let started = std::time::Instant::now();
            match marquee_domain::demo::seed_if_empty(&services.db, &SystemClock).await? {
                Some(r) => println!("seeded in {:.1}s: {r:?}", started.elapsed().as_secs_f64()),
                None => println!("the database already has a catalog; nothing seeded"),
            }
            if archive_titles > 0 {
                let started = std::time::Instant::now();
                let n = marquee_domain::demo::add_archive(
                    &services.db,
                    SystemClock.now(),
                    archive_titles,
                )
                .await?;
                println!(
                    "added {n} back-catalogue films in {:.1}s",
                    started.elapsed().as_secs_f64()
                );
            }
            if bookings > 0 {
                let started = std::time::Instant::now();
                let r = marquee_domain::analytics::seed::bookings(
                    &services.db,
                    SystemClock.now(),
                    bookings,
                )
                .await?;
                println!(
                    "seeded {} bookings ({} confirmed, {} cancelled) over {} showtimes of \
                     organisation {} in {:.1}s",
                    r.bookings,
                    r.confirmed,
                    r.cancelled,
                    r.showtimes,
                    r.organisation.map(|o| o.to_string()).unwrap_or_default(),
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(())
        }
        Command::Reindex => {
            let services = start_services(
                &settings,
                Arc::new(SystemClock),
                None,
                Arc::new(FakeGateway::default()),
                Some(settings.data_dir.join("search")),
            )
            .await?;
            let started = std::time::Instant::now();
            let docs = services.discovery.rebuild().await?;
            println!(
                "indexed {docs} documents in {:.1}s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::CreateAdmin { email, name } => create_admin(settings, &email, &name).await,
        Command::ExportSchema { .. } => Ok(()),
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    let addr = app.addr();
    // A closed stdout (a supervisor that stopped reading) must not stop the server.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "Marquee is listening on http://{addr}");
    let _ = writeln!(out, "  Web app: http://{addr}/");
    let _ = writeln!(
        out,
        "  GraphQL: http://{addr}/graphql  GraphiQL: http://{addr}/graphiql"
    );
    let _ = writeln!(
        out,
        "  Subscriptions (graphql-transport-ws): ws://{addr}/graphql/ws"
    );
    let _ = writeln!(
        out,
        "  Health: http://{addr}/healthz  Readiness: http://{addr}/readyz  Metrics: http://{addr}/metrics"
    );
    let _ = out.flush();
    app.run_until_stopped(shutdown_signal()).await?;
    Ok(())
}

async fn create_admin(settings: Settings, email: &str, name: &str) -> anyhow::Result<()> {
    let email = EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    if std::io::stdin().is_terminal() {
        eprint!("Password for {email} (leave empty to keep an existing account's): ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim_end_matches(['\r', '\n']);
    let password = if line.is_empty() {
        None
    } else {
        Some(Password::parse(line).map_err(|e| anyhow::anyhow!("{e}"))?)
    };
    let services = start_services(
        &settings,
        Arc::new(SystemClock),
        None,
        Arc::new(FakeGateway::default()),
        None,
    )
    .await?;
    let (user, created) = services
        .accounts
        .ensure_admin(email, name, password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "{} admin {} ({})",
        if created { "created" } else { "promoted" },
        user.email,
        user.id
    );
    Ok(())
}
