//! Helpers shared by crmwire's examples; only [`BlockingSandbox`], which
//! stands in for a real service so that every example runs anywhere.
//!
//! The examples themselves are under `sans-io/` and `facade/`, and a user's
//! own integration test is `tests/my_integration.rs`; see the README.

use sandbox::{SandboxConfig, SandboxHandle};

/// crmwire's embedded sandbox (every simulated service, with its demo data)
/// on `127.0.0.1:0`, served by a runtime of its own, so that blocking code
/// without tokio can talk to it. Shut down when dropped.
///
/// In your own code there is no sandbox: use your service's base URL where
/// the examples use [`BlockingSandbox::service_url`].
pub struct BlockingSandbox {
    runtime: tokio::runtime::Runtime,
    handle: Option<SandboxHandle>,
}

impl BlockingSandbox {
    /// Starts the sandbox with every simulated service.
    ///
    /// # Panics
    /// When no runtime can be built or no loopback port bound: an example
    /// cannot run without them.
    #[must_use]
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime for the sandbox");
        let handle = runtime
            .block_on(sandbox::start(SandboxConfig::with_all_services()))
            .expect("the sandbox starts on 127.0.0.1:0");
        Self {
            runtime,
            handle: Some(handle),
        }
    }

    /// The base URL of the simulated service `name` (`securitytrax`,
    /// `peoplevine`, `neto`), e.g. `http://127.0.0.1:PORT/securitytrax`.
    ///
    /// # Panics
    /// When no service of that name is mounted.
    #[must_use]
    pub fn service_url(&self, name: &str) -> String {
        self.handle()
            .service_url(name)
            .unwrap_or_else(|| panic!("the sandbox mounts no service `{name}`"))
    }

    /// The running sandbox: its request log, fault injection, state views.
    #[must_use]
    pub fn handle(&self) -> &SandboxHandle {
        self.handle.as_ref().expect("present until dropped")
    }
}

impl Drop for BlockingSandbox {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            self.runtime.block_on(handle.shutdown());
        }
    }
}
