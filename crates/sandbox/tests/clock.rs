//! The injectable clock: a test moves time forward and services see it at once.

mod common;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use common::get;
use sandbox::{Clock, ManualClock, RateWindow, SandboxConfig, Service};

/// Two requests per minute, then 429 with `Retry-After`, on the sandbox's clock.
struct RateLimited {
    window: RateWindow,
}

impl Service for RateLimited {
    fn name(&self) -> &'static str {
        "limited"
    }

    fn handle(&self, _path: &str, request: http::Request<Bytes>) -> http::Response<Bytes> {
        let now = Clock::of(&request).now();
        match self.window.admit(now) {
            Ok(()) => http::Response::new(Bytes::from_static(b"admitted")),
            Err(wait) => http::Response::builder()
                .status(429)
                .header("retry-after", wait.as_secs().to_string())
                .body(Bytes::from_static(b"rate limited"))
                .unwrap(),
        }
    }
}

#[tokio::test]
async fn a_rate_window_opens_when_the_test_moves_the_clock_not_before() {
    let manual = ManualClock::new();
    let service = Arc::new(RateLimited {
        window: RateWindow::new(2, Duration::from_secs(60)),
    });
    let sandbox = sandbox::start(SandboxConfig::new().service(service).clock(manual.clone()))
        .await
        .unwrap();
    assert!(sandbox.clock().is_manual());
    let addr = sandbox.local_addr();
    assert_eq!(get(addr, "/limited/x", &[]).await.status, 200);
    assert_eq!(get(addr, "/limited/x", &[]).await.status, 200);
    let refused = get(addr, "/limited/x", &[]).await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.header("retry-after"), Some("60"));

    // Real time passing changes nothing: the sandbox reads the manual clock.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        get(addr, "/limited/x", &[]).await.header("retry-after"),
        Some("60")
    );

    manual.advance(Duration::from_secs(45));
    let later = get(addr, "/limited/x", &[]).await;
    assert_eq!(later.status, 429);
    assert_eq!(later.header("retry-after"), Some("15"));

    manual.advance(Duration::from_secs(15));
    assert_eq!(get(addr, "/limited/x", &[]).await.status, 200);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn without_a_clock_the_sandbox_reads_the_real_one() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    assert!(!sandbox.clock().is_manual());
    sandbox.shutdown().await;
}
