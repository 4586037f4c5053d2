//! `call-path-bench`: client CPU per request and sandbox throughput beside
//! bare baselines, in one run, on loopback. See the crate README.

use std::process::ExitCode;
use std::time::Duration;

use bytes::Bytes;
use call_path_bench::bench::{self, BenchConfig, Pinning};
use call_path_bench::child::{self, ServerKind};
use call_path_bench::cpu;
use call_path_bench::{ClientKind, Operation};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Measures crmwire's call path beside bare baselines on loopback: client CPU
/// per request (facade + transport against bare hyper-util and reqwest
/// clients posting the same bytes) and the sandbox's throughput (against a
/// minimal hyper server answering the same bytes), and prints a Markdown table.
#[derive(Debug, Parser)]
#[command(name = "call-path-bench", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    bench: BenchArgs,
}

#[derive(Debug, Args)]
struct BenchArgs {
    /// Runs, each with fresh server processes; ratios are reported as
    /// min/median/max over them.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=100))]
    runs: u16,
    /// Measured requests per cell (one client or server at one load level).
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    requests: u32,
    /// Unmeasured warm-up requests before each cell (at least one per request in flight).
    #[arg(long, default_value_t = 500)]
    warmup: u32,
    /// Requests in flight, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 16, 64],
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    in_flight: Vec<u16>,
    /// The SecurityTrax operation every request carries.
    #[arg(long, value_enum, default_value_t = Operation::Note)]
    operation: Operation,
    /// The clients measured against the sandbox, comma-separated (e.g. one,
    /// under a profiler).
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = ClientKind::ALL)]
    clients: Vec<ClientKind>,
    /// Skip the sandbox-against-minimal-server part.
    #[arg(long)]
    no_servers: bool,
    /// Each cell's requests are sent in this many slices, taken in turn with
    /// the slices of the cells it is compared with (A B, B A, A B, …), so a
    /// slow or quick spell of the machine falls on both sides of a ratio; 1
    /// measures the cells one after the other.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u16).range(1..=1000))]
    slices: u16,
    /// Let the scheduler place the client and the servers (by default the
    /// client is pinned to the first CPU this process may use and every
    /// server to the second, when there are two).
    #[arg(long)]
    no_pin: bool,
    /// A cell stops starting requests after this many seconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    cell_seconds: u64,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs one server for the benchmark (used by the benchmark itself, as a
    /// child process; see the crate docs for its line protocol).
    #[command(hide = true)]
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Which server.
    #[arg(value_enum)]
    server: ServerName,
    /// The minimal server's route.
    #[arg(long, required_if_eq("server", "minimal"))]
    route: Option<String>,
    /// The minimal server's answer, in hexadecimal.
    #[arg(long, required_if_eq("server", "minimal"))]
    body_hex: Option<String>,
    /// The minimal server's answer's Content-Type.
    #[arg(long)]
    content_type: Option<String>,
    /// Run on this CPU alone.
    #[arg(long)]
    cpu: Option<usize>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ServerName {
    Sandbox,
    Minimal,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Serve(args)) => serve(args),
        None => bench(&cli.bench),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("call-path-bench: {error}");
            ExitCode::from(2)
        }
    }
}

fn serve(args: ServeArgs) -> Result<ExitCode, String> {
    if let Some(cpu) = args.cpu {
        cpu::pin_to(cpu)?;
    }
    let kind = match args.server {
        ServerName::Sandbox => ServerKind::Sandbox,
        ServerName::Minimal => ServerKind::Minimal {
            route: args.route.unwrap_or_default(),
            content_type: args.content_type,
            body: Bytes::from(child::from_hex(&args.body_hex.unwrap_or_default())?),
        },
    };
    child::serve(&kind)?;
    Ok(ExitCode::SUCCESS)
}

fn bench(args: &BenchArgs) -> Result<ExitCode, String> {
    let pinning = if args.no_pin {
        None
    } else {
        match cpu::allowed_cpus()?[..] {
            [client, server, ..] => {
                cpu::pin_to(client)?;
                Some(Pinning { client, server })
            }
            _ => {
                eprintln!("call-path-bench: one CPU only: client and servers share it, not pinned");
                None
            }
        }
    };
    let config = BenchConfig {
        runs: usize::from(args.runs),
        requests: args.requests as usize,
        warmup: args.warmup as usize,
        in_flight: args.in_flight.iter().map(|&n| usize::from(n)).collect(),
        operation: args.operation,
        cell_deadline: Duration::from_secs(args.cell_seconds),
        slices: usize::from(args.slices),
        clients: args.clients.clone(),
        servers: !args.no_servers,
        server_exe: std::env::current_exe()
            .map_err(|error| format!("finding this program: {error}"))?,
        pinning,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("runtime: {error}"))?;
    let report = runtime.block_on(bench::run(config, |cell| {
        eprintln!("{}", bench::describe(cell));
    }))?;
    println!("{}", report.render());
    Ok(if report.failures() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
