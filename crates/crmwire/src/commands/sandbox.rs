//! `crmwire sandbox`: the embedded sandbox in the foreground until Ctrl-C.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{CommandError, sandbox_config};
use crate::cli::SandboxArgs;
use crate::output::{Output, Report};

/// Where the running sandbox answers.
#[derive(Debug, Serialize)]
struct Listening {
    base_url: String,
    health_url: String,
    echo_url: String,
    services: BTreeMap<&'static str, String>,
}

impl Report for Listening {
    fn human(&self) -> String {
        let mut text = format!(
            "sandbox listening on {}\n  health: {}\n  echo:   {}\n",
            self.base_url, self.health_url, self.echo_url
        );
        if self.services.is_empty() {
            text.push_str("  services: none mounted yet\n");
        }
        for (name, url) in &self.services {
            text.push_str(&format!("  {name}: {url}\n"));
        }
        text.push_str("press Ctrl-C to stop");
        text
    }
}

/// Serves until Ctrl-C, then shuts down gracefully.
pub(super) async fn run(output: &Output, args: &SandboxArgs) -> Result<(), CommandError> {
    let handle = ::sandbox::start(sandbox_config().addr(args.addr)).await?;
    if !args.addr.ip().is_loopback() {
        output.notice(
            "the sandbox listens on a non-loopback address: anyone who can reach it can use it",
        );
    }
    let base_url = handle.base_url();
    let services = handle
        .service_names()
        .into_iter()
        .filter_map(|name| handle.service_url(name).map(|url| (name, url)))
        .collect();
    output.finish(&Listening {
        health_url: format!("{base_url}/__sandbox/health"),
        echo_url: format!("{base_url}/__sandbox/echo"),
        base_url,
        services,
    });
    let signal = tokio::signal::ctrl_c().await;
    tracing::info!("stopping the sandbox");
    handle.shutdown().await;
    signal.map_err(CommandError::Signal)
}
