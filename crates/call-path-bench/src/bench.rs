//! The benchmark: runs, cells, ratios and the table.
//!
//! Each run starts fresh server processes and measures, for each number of
//! requests in flight, every client against the sandbox (client CPU per
//! request), then the sandbox and the minimal server under the same load
//! generator (requests per second and server CPU per request). The cells
//! compared at one level are measured interleaved, slice by slice in turn.
//! Ratios are taken within a run and level, and reported as min/median/max
//! over the runs.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as LegacyClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::child::{ServerKind, ServerProcess};
use crate::cpu::process_cpu_time;
use crate::driver::{ClientKind, Driver};
use crate::load::{LoadOutcome, LoadSpec, run_load};
use crate::stats::Spread;
use crate::template::{Operation, RequestTemplate, capture_template};

/// The target for the client: facade + transport CPU per request at most
/// this multiple of the bare client's.
pub const CLIENT_TARGET: f64 = 1.5;
/// The target for the sandbox: at least this fraction of the minimal
/// server's requests per second.
pub const SANDBOX_TARGET: f64 = 0.7;

/// What to run.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    /// Runs (each with fresh server processes).
    pub runs: usize,
    /// Measured requests per cell.
    pub requests: usize,
    /// Unmeasured requests before each cell (connections, caches).
    pub warmup: usize,
    /// The numbers of requests in flight to measure at.
    pub in_flight: Vec<usize>,
    /// The operation every request carries.
    pub operation: Operation,
    /// No cell sends requests for longer than this (it then counts what
    /// completed).
    pub cell_deadline: Duration,
    /// Each cell's requests are sent in this many slices, interleaved with
    /// the slices of the cells it is compared with (1: one after the other).
    pub slices: usize,
    /// The clients measured against the sandbox (none: skip that part).
    pub clients: Vec<ClientKind>,
    /// Whether to measure the sandbox against the minimal server.
    pub servers: bool,
    /// The binary that runs `serve` (this crate's).
    pub server_exe: PathBuf,
    /// The CPUs the two sides run on, when pinned (the caller pins the
    /// client process before its runtime starts; `run` starts the servers
    /// on theirs).
    pub pinning: Option<Pinning>,
}

/// The CPU of each side, when the client and the servers are pinned to one
/// CPU each: then neither ever waits for the other's CPU, and the scheduler
/// cannot put both on one CPU in one cell and on two in the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pinning {
    /// The client process's CPU.
    pub client: usize,
    /// Every server process's CPU.
    pub server: usize,
}

/// What a cell measured the load of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A client against the sandbox: its CPU per request is the figure.
    Client(ClientKind),
    /// The sandbox under the bare hyper-util load generator.
    Sandbox,
    /// The minimal hyper server under the same load generator.
    MinimalServer,
}

/// One measured load.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The run (from 1).
    pub run: usize,
    /// Requests in flight.
    pub in_flight: usize,
    /// What was measured.
    pub subject: Subject,
    /// Counts and wall-clock time, over every slice.
    pub outcome: LoadOutcome,
    /// CPU time of this (the client) process during the load.
    pub client_cpu: Duration,
    /// CPU time of the server process during the load.
    pub server_cpu: Duration,
    /// Each slice's own figures, in the order measured.
    pub slices: Vec<Slice>,
}

/// What one slice of a cell measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    /// Requests that succeeded.
    pub completed: usize,
    /// Wall-clock time of the slice.
    pub elapsed: Duration,
    /// CPU time of this (the client) process during the slice.
    pub client_cpu: Duration,
    /// CPU time of the server process during the slice.
    pub server_cpu: Duration,
}

impl Slice {
    fn client_us_per_request(&self) -> f64 {
        per_request_us(self.client_cpu, self.completed)
    }

    fn server_us_per_request(&self) -> f64 {
        per_request_us(self.server_cpu, self.completed)
    }

    fn requests_per_second(&self) -> f64 {
        count_f64(self.completed) / self.elapsed.as_secs_f64()
    }
}

impl Cell {
    /// Client CPU per completed request, in microseconds: the median over
    /// the cell's slices that completed a request.
    pub fn client_us_per_request(&self) -> f64 {
        self.figure(
            Slice::client_us_per_request,
            per_request_us(self.client_cpu, self.outcome.completed),
        )
    }

    /// Server CPU per completed request, in microseconds: the median over
    /// the cell's slices.
    pub fn server_us_per_request(&self) -> f64 {
        self.figure(
            Slice::server_us_per_request,
            per_request_us(self.server_cpu, self.outcome.completed),
        )
    }

    /// Completed requests per second of wall-clock time: the median over
    /// the cell's slices.
    pub fn requests_per_second(&self) -> f64 {
        self.figure(
            Slice::requests_per_second,
            count_f64(self.outcome.completed) / self.outcome.elapsed.as_secs_f64(),
        )
    }

    /// The median of `of` over the slices that completed a request, so that
    /// one slice disturbed by something else on the machine (a spike that
    /// lands on one side of a pair only) does not decide the cell; `whole`,
    /// the figure over the whole cell, when no slice completed any.
    fn figure(&self, of: fn(&Slice) -> f64, whole: f64) -> f64 {
        Spread::of(
            self.slices
                .iter()
                .filter(|slice| slice.completed > 0)
                .map(of),
        )
        .map_or(whole, |spread| spread.median)
    }
}

fn per_request_us(cpu: Duration, completed: usize) -> f64 {
    cpu.as_secs_f64() * 1e6 / count_f64(completed)
}

#[expect(
    clippy::cast_precision_loss,
    reason = "request counts are far below 2^52"
)]
fn count_f64(count: usize) -> f64 {
    count as f64
}

/// Everything measured, and what it was measured on.
#[derive(Debug, Clone)]
pub struct Report {
    /// The configuration.
    pub config: BenchConfig,
    /// The request every client sent.
    pub template: RequestTemplate,
    /// The sandbox's answer (the minimal server answers the same bytes).
    pub answer_bytes: usize,
    /// Every cell, in the order measured.
    pub cells: Vec<Cell>,
}

/// Runs the benchmark on the current (single-threaded) tokio runtime;
/// `progress` sees each cell once all its slices are measured.
///
/// # Errors
/// When a server cannot start or answer, or a client cannot be built.
/// Failed requests are not errors: they are counted in the cells.
pub async fn run(config: BenchConfig, mut progress: impl FnMut(&Cell)) -> Result<Report, String> {
    let template = capture_template(config.operation).await?;
    let server_cpu = config.pinning.map(|pinning| pinning.server);
    let mut answer = None;
    let mut cells = Vec::new();
    for run in 1..=config.runs {
        // Odd runs start each round of slices with the facade (and the
        // sandbox), even runs with the baselines.
        let reversed = run % 2 == 0;
        let sandbox = ServerProcess::spawn(&config.server_exe, &ServerKind::Sandbox, server_cpu)?;
        let (content_type, body) = match &answer {
            Some(answer) => Clone::clone(answer),
            None => {
                let fetched = fetch_answer(sandbox.local_addr(), &template).await?;
                answer = Some(fetched.clone());
                fetched
            }
        };
        let mut clients = config.clients.clone();
        if reversed {
            clients.reverse();
        }
        // Each client is built once per run and serves every level, as a
        // client in use lives long: a client that stays slow (or quick) for
        // its whole life then shows as a run, not as one cell.
        let mut drivers = Vec::with_capacity(clients.len());
        for &kind in &clients {
            let driver = Driver::new(kind, sandbox.local_addr(), config.operation, &template)?;
            drivers.push((kind, Arc::new(driver)));
        }
        let mut servers = [sandbox];
        for &in_flight in &config.in_flight {
            let contenders = drivers
                .iter()
                .map(|(kind, driver)| Contender::new(Subject::Client(*kind), Arc::clone(driver), 0))
                .collect();
            for cell in measure_level(&config, run, in_flight, contenders, &mut servers).await? {
                progress(&cell);
                cells.push(cell);
            }
        }
        // The clients' connections close before the server is asked to stop.
        drop(drivers);
        drop(servers);
        if !config.servers {
            continue;
        }

        let mut servers = [
            ServerProcess::spawn(&config.server_exe, &ServerKind::Sandbox, server_cpu)?,
            ServerProcess::spawn(
                &config.server_exe,
                &ServerKind::Minimal {
                    route: template.path.clone(),
                    content_type,
                    body,
                },
                server_cpu,
            )?,
        ];
        let mut subjects = [(Subject::Sandbox, 0), (Subject::MinimalServer, 1)];
        if reversed {
            subjects.reverse();
        }
        let mut drivers = Vec::with_capacity(subjects.len());
        for &(subject, server) in &subjects {
            let driver = Driver::new(
                ClientKind::BareHyper,
                servers[server].local_addr(),
                config.operation,
                &template,
            )?;
            drivers.push((subject, Arc::new(driver), server));
        }
        for &in_flight in &config.in_flight {
            let contenders = drivers
                .iter()
                .map(|(subject, driver, server)| {
                    Contender::new(*subject, Arc::clone(driver), *server)
                })
                .collect();
            for cell in measure_level(&config, run, in_flight, contenders, &mut servers).await? {
                progress(&cell);
                cells.push(cell);
            }
        }
    }
    let answer_bytes = answer.map_or(0, |(_, body)| body.len());
    Ok(Report {
        config,
        template,
        answer_bytes,
        cells,
    })
}

/// One of the subjects compared at a load level: its load generator, the
/// server it loads, and what its slices have measured so far.
struct Contender {
    subject: Subject,
    driver: Arc<Driver>,
    server: usize,
    outcome: LoadOutcome,
    client_cpu: Duration,
    server_cpu: Duration,
    slices: Vec<Slice>,
}

impl Contender {
    fn new(subject: Subject, driver: Arc<Driver>, server: usize) -> Self {
        Self {
            subject,
            driver,
            server,
            outcome: LoadOutcome {
                completed: 0,
                failed: 0,
                first_error: None,
                elapsed: Duration::ZERO,
            },
            client_cpu: Duration::ZERO,
            server_cpu: Duration::ZERO,
            slices: Vec::new(),
        }
    }

    fn add(&mut self, slice: LoadOutcome, client_cpu: Duration, server_cpu: Duration) {
        self.slices.push(Slice {
            completed: slice.completed,
            elapsed: slice.elapsed,
            client_cpu,
            server_cpu,
        });
        self.outcome.completed += slice.completed;
        self.outcome.failed += slice.failed;
        if self.outcome.first_error.is_none() {
            self.outcome.first_error = slice.first_error;
        }
        self.outcome.elapsed += slice.elapsed;
        self.client_cpu += client_cpu;
        self.server_cpu += server_cpu;
    }
}

/// Measures the subjects compared at one load level, interleaved: each
/// warms up, then the cell's requests are sent in `config.slices` slices
/// taken in turn (A B, B A, A B, …), so that a slow or quick spell of the
/// machine falls on every side of a ratio alike. Each cell keeps its
/// slices' figures (its own are their medians) and sums their counts.
async fn measure_level(
    config: &BenchConfig,
    run: usize,
    in_flight: usize,
    mut contenders: Vec<Contender>,
    servers: &mut [ServerProcess],
) -> Result<Vec<Cell>, String> {
    let slices = config.slices.clamp(1, config.requests.max(1));
    for contender in &contenders {
        let warmup = LoadSpec {
            requests: config.warmup.max(in_flight),
            in_flight,
            deadline: config.cell_deadline,
            request_timeout: REQUEST_TIMEOUT,
        };
        let warm = run_load(Arc::clone(&contender.driver), &warmup).await;
        if warm.completed == 0 {
            return Err(format!(
                "{:?} at {in_flight} in flight: no warm-up request succeeded ({})",
                contender.subject,
                warm.first_error.unwrap_or_default()
            ));
        }
    }
    let mut order: Vec<usize> = (0..contenders.len()).collect();
    for slice in 0..slices {
        let spec = LoadSpec {
            requests: share(config.requests, slices, slice),
            in_flight,
            deadline: config.cell_deadline / u32::try_from(slices).unwrap_or(u32::MAX),
            request_timeout: REQUEST_TIMEOUT,
        };
        for &index in &order {
            let contender = &mut contenders[index];
            let server = &mut servers[contender.server];
            let server_before = server.cpu_time()?;
            let client_before = process_cpu_time();
            let outcome = run_load(Arc::clone(&contender.driver), &spec).await;
            let client_cpu = process_cpu_time().saturating_sub(client_before);
            let server_cpu = server.cpu_time()?.saturating_sub(server_before);
            contender.add(outcome, client_cpu, server_cpu);
        }
        order.reverse();
    }
    let cells = contenders
        .into_iter()
        .map(|contender| Cell {
            run,
            in_flight,
            subject: contender.subject,
            outcome: contender.outcome,
            client_cpu: contender.client_cpu,
            server_cpu: contender.server_cpu,
            slices: contender.slices,
        })
        .collect();
    Ok(cells)
}

/// Each request is abandoned (and counted failed) after this long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Slice `index`'s part of `total` requests cut into `slices` (the first
/// slices take one more when it does not divide evenly).
fn share(total: usize, slices: usize, index: usize) -> usize {
    total / slices + usize::from(index < total % slices)
}

/// The sandbox's answer to the template: its `Content-Type` and body, which
/// the minimal server then answers.
async fn fetch_answer(
    addr: SocketAddr,
    template: &RequestTemplate,
) -> Result<(Option<String>, Bytes), String> {
    let client: LegacyClient<HttpConnector, Full<Bytes>> =
        LegacyClient::builder(TokioExecutor::new()).build_http();
    let mut builder = Request::builder()
        .method(template.method.clone())
        .uri(format!("http://{addr}{}", template.path));
    for (name, value) in &template.headers {
        builder = builder.header(name, value);
    }
    let request = builder
        .body(Full::new(template.body.clone()))
        .map_err(|error| error.to_string())?;
    let response = tokio::time::timeout(Duration::from_secs(10), client.request(request))
        .await
        .map_err(|_elapsed| "the sandbox did not answer within 10 s".to_owned())?
        .map_err(|error| format!("asking the sandbox: {error}"))?;
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|error| error.to_string())?
        .to_bytes();
    if status != StatusCode::OK {
        return Err(format!("the sandbox answered the template with {status}"));
    }
    Ok((content_type, body))
}

impl Report {
    fn cell(&self, run: usize, in_flight: usize, subject: Subject) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.run == run && c.in_flight == in_flight && c.subject == subject)
    }

    /// `figure(cell)` of `subject` over the runs, at `in_flight` (or at every
    /// level when `None`).
    fn spread(
        &self,
        in_flight: Option<usize>,
        subject: Subject,
        figure: impl Fn(&Cell) -> f64,
    ) -> Option<Spread> {
        Spread::of(
            self.cells
                .iter()
                .filter(|c| c.subject == subject && in_flight.is_none_or(|n| c.in_flight == n))
                .map(figure),
        )
    }

    /// `figure(a) / figure(b)` for each run (at `in_flight`, or at every
    /// level when `None`), cells of the same run and level paired.
    pub fn ratio(
        &self,
        in_flight: Option<usize>,
        a: Subject,
        b: Subject,
        figure: impl Fn(&Cell) -> f64,
    ) -> Option<Spread> {
        let levels: Vec<usize> = match in_flight {
            Some(n) => vec![n],
            None => self.config.in_flight.clone(),
        };
        let mut ratios = Vec::new();
        for run in 1..=self.config.runs {
            for &n in &levels {
                if let (Some(x), Some(y)) = (self.cell(run, n, a), self.cell(run, n, b)) {
                    ratios.push(figure(x) / figure(y));
                }
            }
        }
        Spread::of(ratios)
    }

    /// Requests that failed, over every cell.
    pub fn failures(&self) -> usize {
        self.cells.iter().map(|c| c.outcome.failed).sum()
    }

    /// The table (Markdown), the targets and any failure.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_header(&mut out);
        self.render_clients(&mut out);
        self.render_servers(&mut out);
        self.render_targets(&mut out);
        out
    }

    fn render_header(&self, out: &mut String) {
        let c = &self.config;
        let levels: Vec<String> = c.in_flight.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "Operation `{}` ({}): {}-byte document posted to {}, {}-byte answer.",
            c.operation.name(),
            c.operation.facade_method(),
            self.template.body.len(),
            self.template.path,
            self.answer_bytes,
        );
        let _ = writeln!(
            out,
            "{} runs; per cell {} requests (+{} warm-up, at most {} s) at {} in flight. \
             Cells compared are measured interleaved, in {} slices each. \
             Client: this process, one current-thread tokio runtime; \
             servers: child processes, one current-thread runtime each{}. \
             Figures: median (min–max) over the runs.",
            c.runs,
            c.requests,
            c.warmup,
            c.cell_deadline.as_secs(),
            levels.join("/"),
            c.slices,
            c.pinning.map_or_else(
                || "; not pinned to CPUs".to_owned(),
                |p| format!(
                    "; client pinned to CPU {}, servers to CPU {}",
                    p.client, p.server
                )
            ),
        );
    }

    fn render_clients(&self, out: &mut String) {
        let us = Cell::client_us_per_request;
        let cpu = |n, kind| {
            self.spread(n, Subject::Client(kind), us)
                .map_or_else(|| "–".to_owned(), |s| format!("{s:.1}"))
        };
        let ratio = |n, a, b| {
            self.ratio(n, Subject::Client(a), Subject::Client(b), us)
                .map_or_else(|| "–".to_owned(), |s| format!("{s:.2}×"))
        };
        let _ = writeln!(
            out,
            "\n### Client CPU per request (µs; client process only, against the sandbox)\n"
        );
        let _ = writeln!(
            out,
            "| in flight | facade+hyper | bare hyper-util | ratio | facade+reqwest | bare reqwest | ratio | facade+reqwest / bare hyper-util |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
        let rows = self
            .config
            .in_flight
            .iter()
            .map(|&n| (n.to_string(), Some(n)))
            .chain(std::iter::once(("all".to_owned(), None)));
        for (label, n) in rows {
            let _ = writeln!(
                out,
                "| {label} | {} | {} | **{}** | {} | {} | **{}** | {} |",
                cpu(n, ClientKind::FacadeHyper),
                cpu(n, ClientKind::BareHyper),
                ratio(n, ClientKind::FacadeHyper, ClientKind::BareHyper),
                cpu(n, ClientKind::FacadeReqwest),
                cpu(n, ClientKind::BareReqwest),
                ratio(n, ClientKind::FacadeReqwest, ClientKind::BareReqwest),
                ratio(n, ClientKind::FacadeReqwest, ClientKind::BareHyper),
            );
        }
    }

    fn render_servers(&self, out: &mut String) {
        let rps = Cell::requests_per_second;
        let us = Cell::server_us_per_request;
        let show = |spread: Option<Spread>, precision: usize, suffix: &str| {
            spread.map_or_else(|| "–".to_owned(), |s| format!("{s:.precision$}{suffix}"))
        };
        let _ = writeln!(
            out,
            "\n### Sandbox against a minimal hyper server (same route, same answer bytes; load: bare hyper-util in this process)\n"
        );
        let _ = writeln!(
            out,
            "| in flight | sandbox req/s | minimal req/s | ratio | sandbox CPU µs/req | minimal CPU µs/req | ratio |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|");
        let rows = self
            .config
            .in_flight
            .iter()
            .map(|&n| (n.to_string(), Some(n)))
            .chain(std::iter::once(("all".to_owned(), None)));
        for (label, n) in rows {
            let _ = writeln!(
                out,
                "| {label} | {} | {} | **{}** | {} | {} | **{}** |",
                show(self.spread(n, Subject::Sandbox, rps), 0, ""),
                show(self.spread(n, Subject::MinimalServer, rps), 0, ""),
                show(
                    self.ratio(n, Subject::Sandbox, Subject::MinimalServer, rps),
                    2,
                    "×"
                ),
                show(self.spread(n, Subject::Sandbox, us), 1, ""),
                show(self.spread(n, Subject::MinimalServer, us), 1, ""),
                show(
                    self.ratio(n, Subject::Sandbox, Subject::MinimalServer, us),
                    2,
                    "×"
                ),
            );
        }
    }

    fn render_targets(&self, out: &mut String) {
        let us = Cell::client_us_per_request;
        let verdict = |spread: Option<Spread>, met: fn(f64) -> bool| match spread {
            None => "not measured".to_owned(),
            Some(s) if met(s.min) && met(s.max) => format!("{s:.2}× over {}: met", s.count),
            Some(s) if met(s.median) => {
                format!("{s:.2}× over {}: met at the median only", s.count)
            }
            Some(s) => format!("{s:.2}× over {}: NOT met", s.count),
        };
        let client_met: fn(f64) -> bool = |r| r <= CLIENT_TARGET;
        let server_met: fn(f64) -> bool = |r| r >= SANDBOX_TARGET;
        let _ = writeln!(out, "\n### Targets (every run and load level)\n");
        let _ = writeln!(
            out,
            "- client ≤ {CLIENT_TARGET}× the bare client's CPU per request: facade+hyper / bare hyper-util {}; facade+reqwest / bare reqwest {}",
            verdict(
                self.ratio(
                    None,
                    Subject::Client(ClientKind::FacadeHyper),
                    Subject::Client(ClientKind::BareHyper),
                    us
                ),
                client_met
            ),
            verdict(
                self.ratio(
                    None,
                    Subject::Client(ClientKind::FacadeReqwest),
                    Subject::Client(ClientKind::BareReqwest),
                    us
                ),
                client_met
            ),
        );
        let _ = writeln!(
            out,
            "- sandbox ≥ {SANDBOX_TARGET}× the minimal server's requests/s: {}",
            verdict(
                self.ratio(
                    None,
                    Subject::Sandbox,
                    Subject::MinimalServer,
                    Cell::requests_per_second
                ),
                server_met
            ),
        );
        let failures = self.failures();
        if failures == 0 {
            let _ = writeln!(out, "- failed requests: none");
        } else {
            let first = self
                .cells
                .iter()
                .find_map(|c| c.outcome.first_error.as_deref())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- failed requests: {failures} (first: {first}); figures count completed requests only"
            );
        }
        let short: Vec<String> = self
            .cells
            .iter()
            .filter(|c| c.outcome.completed + c.outcome.failed < self.config.requests)
            .map(|c| format!("{:?} at {} in flight", c.subject, c.in_flight))
            .collect();
        if !short.is_empty() {
            let _ = writeln!(
                out,
                "- cut short by the {} s deadline: {}",
                self.config.cell_deadline.as_secs(),
                short.join(", ")
            );
        }
    }
}

/// One line per cell, for progress output.
pub fn describe(cell: &Cell) -> String {
    let subject = match cell.subject {
        Subject::Client(kind) => kind.label().to_owned(),
        Subject::Sandbox => "sandbox".to_owned(),
        Subject::MinimalServer => "minimal server".to_owned(),
    };
    // Each slice's own figure for the side this cell measures, in order: a
    // cell slow from its first slice differs from one that turned slow.
    let slices: Vec<String> = cell
        .slices
        .iter()
        .map(|slice| match cell.subject {
            Subject::Client(_) => format!("{:.1}", slice.client_us_per_request()),
            Subject::Sandbox | Subject::MinimalServer => {
                format!("{:.1}", slice.server_us_per_request())
            }
        })
        .collect();
    format!(
        "run {} | {:>2} in flight | {:<15} | {:>6} ok {:>3} failed | {:>8.0} req/s | client {:>6.1} µs/req | server {:>6.1} µs/req | slices {}",
        cell.run,
        cell.in_flight,
        subject,
        cell.outcome.completed,
        cell.outcome.failed,
        cell.requests_per_second(),
        cell.client_us_per_request(),
        cell.server_us_per_request(),
        slices.join(" "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(completed: usize, client_ms: u64) -> Slice {
        Slice {
            completed,
            elapsed: Duration::from_millis(100),
            client_cpu: Duration::from_millis(client_ms),
            server_cpu: Duration::from_millis(client_ms / 2),
        }
    }

    fn cell(slices: Vec<Slice>) -> Cell {
        let completed = slices.iter().map(|s| s.completed).sum();
        Cell {
            run: 1,
            in_flight: 1,
            subject: Subject::Sandbox,
            outcome: LoadOutcome {
                completed,
                failed: 0,
                first_error: None,
                elapsed: slices.iter().map(|s| s.elapsed).sum(),
            },
            client_cpu: slices.iter().map(|s| s.client_cpu).sum(),
            server_cpu: slices.iter().map(|s| s.server_cpu).sum(),
            slices,
        }
    }

    #[test]
    fn a_cell_is_the_median_of_its_slices_so_one_spike_does_not_decide_it() {
        // 1,000 requests per slice at 10 ms (10 µs each); one slice at 40 ms.
        let spiked = cell(vec![
            slice(1000, 10),
            slice(1000, 40),
            slice(1000, 10),
            slice(1000, 12),
            slice(1000, 10),
        ]);
        assert!((spiked.client_us_per_request() - 10.0).abs() < 1e-9);
        assert!((spiked.server_us_per_request() - 5.0).abs() < 1e-9);
        assert!((spiked.requests_per_second() - 10_000.0).abs() < 1e-6);
        // The sums still hold every request.
        assert_eq!(spiked.outcome.completed, 5000);
        // A slice that completed nothing is left out; with none, the whole cell.
        let with_empty = cell(vec![slice(0, 5), slice(1000, 20), slice(1000, 20)]);
        assert!((with_empty.client_us_per_request() - 20.0).abs() < 1e-9);
        let none = cell(vec![slice(0, 5)]);
        assert!(none.client_us_per_request().is_infinite());
    }

    #[test]
    fn slices_share_every_request_and_differ_by_one_at_most() {
        for total in [1, 5, 6, 7, 50_000] {
            for slices in 1..=8 {
                let parts: Vec<usize> = (0..slices).map(|i| share(total, slices, i)).collect();
                assert_eq!(parts.iter().sum::<usize>(), total, "{total} in {slices}");
                let (min, max) = (parts.iter().min().unwrap(), parts.iter().max().unwrap());
                assert!(max - min <= 1, "{total} in {slices}: {parts:?}");
            }
        }
        assert_eq!(
            (0..4).map(|i| share(6, 4, i)).collect::<Vec<_>>(),
            [2, 2, 1, 1]
        );
    }
}
