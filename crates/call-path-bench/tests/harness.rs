//! The harness's pieces work and count correctly. Nothing here is timed: a
//! few requests against in-process servers, and one tiny run of the whole
//! benchmark through child processes, each bounded by a timeout.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use call_path_bench::bench::{self, BenchConfig, Subject};
use call_path_bench::{
    ClientKind, Driver, LoadSpec, MinimalServer, Operation, capture_template, run_load,
    start_sandbox,
};
use http::{HeaderValue, Method, header};

const LOCALHOST: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::LOCALHOST), 0);

async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(120), test)
        .await
        .expect("the test finishes within 2 minutes")
}

fn spec(requests: usize, in_flight: usize) -> LoadSpec {
    LoadSpec {
        requests,
        in_flight,
        deadline: Duration::from_secs(30),
        request_timeout: Duration::from_secs(10),
    }
}

#[tokio::test]
async fn the_template_is_the_facade_request_and_the_bare_clients_send_it_byte_for_byte() {
    bounded(async {
        for operation in [Operation::Note, Operation::Status] {
            let template = capture_template(operation).await.unwrap();
            assert_eq!(template.method, Method::POST);
            let (script, request_type) = match operation {
                Operation::Note => (
                    "/securitytrax/demo/informationposter.php",
                    "CreateCustomerNoteBySecurityTraxUniqueID",
                ),
                Operation::Status => (
                    "/securitytrax/demo/informationrequester.php",
                    "GetCustomerStatusBySecurityTraxUniqueID",
                ),
            };
            assert_eq!(template.path, script);
            let document = std::str::from_utf8(&template.body).unwrap();
            assert!(document.contains(request_type), "{document}");
            assert!(document.contains("GetSystemAuthentication"));
            assert!(template.headers.contains_key(header::CONTENT_TYPE));
            assert!(template.headers.contains_key(header::USER_AGENT));
            assert!(!template.headers.contains_key(header::HOST));

            let recorder = MinimalServer::start(
                LOCALHOST,
                Some(template.path.clone()),
                None,
                Bytes::from_static(b"<root/>"),
                10,
            )
            .await
            .unwrap();
            for kind in [ClientKind::BareHyper, ClientKind::BareReqwest] {
                let driver = Driver::new(kind, recorder.local_addr(), operation, &template);
                let outcome = run_load(Arc::new(driver.unwrap()), &spec(5, 2)).await;
                assert_eq!((outcome.completed, outcome.failed), (5, 0), "{kind:?}");
            }
            assert_eq!(recorder.answered(), 10);
            let recorded = recorder.recorded();
            assert_eq!(recorded.len(), 10);
            for (index, request) in recorded.iter().enumerate() {
                assert_eq!(request.method, template.method);
                assert_eq!(request.path, template.path);
                assert_eq!(request.body, template.body);
                let mut headers = request.headers.clone();
                headers.remove(header::HOST);
                assert_eq!(
                    headers.get(header::CONTENT_LENGTH),
                    Some(&HeaderValue::from(template.body.len()))
                );
                headers.remove(header::CONTENT_LENGTH);
                if index >= 5 {
                    // reqwest adds `accept: */*`, as it does for the reqwest backend.
                    assert_eq!(
                        headers.remove(header::ACCEPT),
                        Some(HeaderValue::from_static("*/*"))
                    );
                }
                assert_eq!(headers, template.headers, "request {index}");
            }
            recorder.shutdown().await;
        }
    })
    .await;
}

#[tokio::test]
async fn every_client_completes_against_the_sandbox_and_is_counted_exactly() {
    bounded(async {
        let template = capture_template(Operation::Note).await.unwrap();
        let sandbox = start_sandbox(LOCALHOST).await.unwrap();
        for kind in ClientKind::ALL {
            let driver = Driver::new(kind, sandbox.local_addr(), Operation::Note, &template);
            let outcome = run_load(Arc::new(driver.unwrap()), &spec(7, 3)).await;
            assert_eq!(
                (outcome.completed, outcome.failed, outcome.first_error),
                (7, 0, None),
                "{kind:?}"
            );
        }
        // Nothing retried, nothing lost: one request per completed call.
        assert_eq!(sandbox.requests_received(&template.path), 28);

        let status = capture_template(Operation::Status).await.unwrap();
        for kind in ClientKind::ALL {
            let driver = Driver::new(kind, sandbox.local_addr(), Operation::Status, &status);
            let outcome = run_load(Arc::new(driver.unwrap()), &spec(3, 1)).await;
            assert_eq!((outcome.completed, outcome.failed), (3, 0), "{kind:?}");
        }
        assert_eq!(sandbox.requests_received(&status.path), 12);
        sandbox.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn failures_are_counted_and_the_deadline_stops_a_load() {
    bounded(async {
        let template = capture_template(Operation::Note).await.unwrap();
        // Another route: every request is answered 404.
        let elsewhere = MinimalServer::start(
            LOCALHOST,
            Some("/elsewhere".to_owned()),
            None,
            Bytes::from_static(b"<root/>"),
            0,
        )
        .await
        .unwrap();
        for kind in [ClientKind::BareHyper, ClientKind::BareReqwest] {
            let driver = Driver::new(kind, elsewhere.local_addr(), Operation::Note, &template);
            let outcome = run_load(Arc::new(driver.unwrap()), &spec(4, 2)).await;
            assert_eq!((outcome.completed, outcome.failed), (0, 4), "{kind:?}");
            assert!(outcome.first_error.unwrap().contains("404"));
        }
        // The right route, but not a SecurityTrax answer: the facade fails to decode.
        let wrong_answer = MinimalServer::start(
            LOCALHOST,
            Some(template.path.clone()),
            None,
            Bytes::from_static(b"<root/>"),
            0,
        )
        .await
        .unwrap();
        let driver = Driver::new(
            ClientKind::FacadeHyper,
            wrong_answer.local_addr(),
            Operation::Note,
            &template,
        );
        let outcome = run_load(Arc::new(driver.unwrap()), &spec(3, 1)).await;
        assert_eq!((outcome.completed, outcome.failed), (0, 3));

        // Far more requests than the deadline lets start.
        let driver = Driver::new(
            ClientKind::BareHyper,
            wrong_answer.local_addr(),
            Operation::Note,
            &template,
        );
        let mut endless = spec(100_000_000, 4);
        endless.deadline = Duration::from_millis(200);
        let outcome = run_load(Arc::new(driver.unwrap()), &endless).await;
        assert!(outcome.completed > 0);
        assert!(outcome.completed < 100_000_000);
        assert_eq!(outcome.failed, 0);
        assert_eq!(wrong_answer.answered(), 3 + outcome.completed);
        elsewhere.shutdown().await;
        wrong_answer.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_tiny_run_of_the_whole_benchmark_measures_every_cell() {
    bounded(async {
        let config = BenchConfig {
            runs: 2,
            requests: 6,
            warmup: 2,
            in_flight: vec![1, 4],
            operation: Operation::Note,
            cell_deadline: Duration::from_secs(30),
            slices: 4,
            clients: ClientKind::ALL.to_vec(),
            servers: true,
            server_exe: PathBuf::from(env!("CARGO_BIN_EXE_call-path-bench")),
            // The servers pinned (the `serve --cpu` path); this test's own
            // thread is left as it is.
            pinning: call_path_bench::cpu::allowed_cpus()
                .unwrap()
                .last()
                .map(|&cpu| bench::Pinning {
                    client: cpu,
                    server: cpu,
                }),
        };
        let mut seen = 0;
        let report = bench::run(config, |_cell| seen += 1).await.unwrap();
        // 4 clients and 2 servers at 2 load levels, twice.
        assert_eq!(report.cells.len(), 24);
        assert_eq!(seen, 24);
        assert_eq!(report.failures(), 0);
        for cell in &report.cells {
            assert_eq!(cell.outcome.completed, 6, "{:?}", cell.subject);
            // 6 requests in 4 slices: 2, 2, 1, 1.
            let slices: Vec<usize> = cell.slices.iter().map(|s| s.completed).collect();
            assert_eq!(slices, [2, 2, 1, 1], "{:?}", cell.subject);
            assert!(cell.client_cpu > Duration::ZERO, "{:?}", cell.subject);
            assert!(cell.server_cpu > Duration::ZERO, "{:?}", cell.subject);
        }
        for subject in [
            Subject::Client(ClientKind::FacadeHyper),
            Subject::Client(ClientKind::BareReqwest),
            Subject::Sandbox,
            Subject::MinimalServer,
        ] {
            assert_eq!(
                report
                    .cells
                    .iter()
                    .filter(|cell| cell.subject == subject)
                    .count(),
                4
            );
        }
        assert!(report.answer_bytes > 0);
        let ratio = report
            .ratio(
                Some(4),
                Subject::Client(ClientKind::FacadeHyper),
                Subject::Client(ClientKind::BareHyper),
                bench::Cell::client_us_per_request,
            )
            .unwrap();
        assert_eq!(ratio.count, 2);

        let table = report.render();
        assert!(table.contains("| 1 | "), "{table}");
        assert!(table.contains("| 4 | "), "{table}");
        assert!(table.contains("| all | "), "{table}");
        assert!(table.contains("failed requests: none"), "{table}");
        assert!(table.contains("in 4 slices each"), "{table}");
        assert!(table.contains("servers to CPU"), "{table}");
    })
    .await;
}
