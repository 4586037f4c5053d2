//! Neto by Maropost customer logs with `neto-api` and a plain blocking HTTP
//! client (ureq): the crate encodes each action (XML or JSON, your choice)
//! and decodes the answer; your client carries it. No async runtime.
//!
//! `cargo run -p crmwire-examples --example neto_api`
//!
//! It runs against crmwire's embedded sandbox; with a real store, use
//! `Endpoint::for_store("www.your-store.com.au")` and your API user and key,
//! and drop the sandbox.

use bytes::Bytes;
use neto_api::{
    AddCustomerLog, Codec, Credentials, Endpoint, GetCustomer, LogStatus, NewCustomerLog,
    WireFormat,
};

/// Sends `request` with ureq and hands back the whole answer, whatever its
/// status: the protocol crate decides what a status means.
fn send(
    agent: &ureq::Agent,
    request: http::Request<Bytes>,
) -> Result<http::Response<Bytes>, ureq::Error> {
    let response = agent.run(request.map(|body| body.to_vec()))?;
    let (parts, mut body) = response.into_parts();
    Ok(http::Response::from_parts(
        parts,
        Bytes::from(body.read_to_vec()?),
    ))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Stands in for the real store: replace this with `Endpoint::for_store(..)`.
    let sandbox = crmwire_examples::BlockingSandbox::start();
    let endpoint = Endpoint::under(&format!("{}/demo", sandbox.service_url("neto")))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .build()
        .into();

    // The key is a secret: `Debug` hides it and every message loses it.
    let codec = Codec::new(
        endpoint,
        Credentials::api_key("demo-api", "demo-neto-key"),
        WireFormat::Json,
    );

    // Every field rule is checked before anything is built.
    let add = AddCustomerLog::new(vec![NewCustomerLog {
        username: Some("jo.citizen".into()),
        status: Some(LogStatus::RequireRecontact),
        notes: Some("Wants a quote".into()),
        ..NewCustomerLog::default()
    }]);
    let answer = codec.decode(&add, &send(&agent, codec.encode(&add)?)?)?;
    // `Ack=Warning` is not a failure: the result comes with its warnings.
    println!(
        "log {:?} added ({} warning(s))",
        answer.output.log_ids,
        answer.warnings.len()
    );

    // The same store in XML: only the codec's format changes.
    let codec = codec.with_format(WireFormat::Xml);
    let read = GetCustomer::logs_of("jo.citizen");
    let answer = codec.decode(&read, &send(&agent, codec.encode(&read)?)?)?;
    let logs = &answer.output.customers[0].logs;
    assert_eq!(logs.len(), 1);
    println!(
        "jo.citizen has {} log(s), the first {:?}",
        logs.len(),
        logs[0].status
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_against_the_sandbox() {
        super::main().expect("the example runs");
    }
}
