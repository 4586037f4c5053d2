//! Neto by Maropost customer logs with crmwire's typed async client
//! (`facade`), paced under the store's rate limit.
//!
//! `cargo run -p crmwire-examples --example facade_neto`
//!
//! It runs against crmwire's embedded sandbox; with a real store, use
//! `Endpoint::for_store("www.your-store.com.au")` and your API user and key.

use facade::neto::{Client, Codec, Credentials, Endpoint, LogStatus, NewCustomerLog, WireFormat};
use facade::transport::{Backend, TransportConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Stands in for the real store: replace this with `Endpoint::for_store(..)`.
    let sandbox = sandbox::start(sandbox::SandboxConfig::with_all_services()).await?;
    let endpoint = Endpoint::under(&format!(
        "{}/demo",
        sandbox.service_url("neto").expect("mounted")
    ))?;

    let codec = Codec::new(
        endpoint,
        Credentials::api_key("demo-api", "demo-neto-key"),
        WireFormat::Json,
    );
    let client = Client::over_http(codec, Backend::Reqwest, TransportConfig::default())?;

    let added = client
        .add_logs(vec![NewCustomerLog {
            username: Some("jo.citizen".into()),
            status: Some(LogStatus::RequireRecontact),
            notes: Some("Wants a quote".into()),
            ..NewCustomerLog::default()
        }])
        .await?;
    println!("log {:?} added", added.output.log_ids);

    let answer = client.logs_of("jo.citizen").await?;
    let logs = &answer.output.customers[0].logs;
    assert_eq!(logs.len(), 1);
    println!("jo.citizen has {} log(s)", logs.len());

    sandbox.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_against_the_sandbox() {
        super::main().expect("the example runs");
    }
}
