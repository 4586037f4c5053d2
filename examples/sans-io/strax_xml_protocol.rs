//! The SecurityTrax XML API with `strax-xml-protocol` and a plain blocking
//! HTTP client (ureq): the crate builds the request and reads the answer, your
//! client carries it. No async runtime.
//!
//! `cargo run -p crmwire-examples --example strax_xml_protocol`
//!
//! It runs against crmwire's embedded sandbox; with a real company, use
//! `Endpoint::securitytrax("your-site")` (or `Endpoint::new(your_base_url,
//! site)`) and your own credentials, and drop the sandbox.

use bytes::Bytes;
use strax_xml_protocol::{
    Batch, CreateCustomerNote, Credentials, Endpoint, GetCustomerStatus, NoteType, OperationSuccess,
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
    // Stands in for the real service: replace this URL with your base URL.
    let sandbox = crmwire_examples::BlockingSandbox::start();
    let endpoint = Endpoint::new(&sandbox.service_url("securitytrax"), "demo")?;
    let credentials = Credentials::new("demo", "demo-password", "1001");

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .build()
        .into();

    // A write: a note on customer 9710 (writes go to the poster script).
    let note = CreateCustomerNote::new("9710", "Callback", "Wants a quote", NoteType::Sales);
    let batch = Batch::new(credentials.clone(), [note.into()]);
    let answer = send(&agent, batch.encode(&endpoint)?)?;
    let outcomes = batch.decode_response(&answer)?;
    assert_eq!(outcomes, [Ok(OperationSuccess::NoteCreated)]);
    println!("note added to customer 9710");

    // A read: the customer's record (reads go to the requester script).
    let read = GetCustomerStatus {
        security_trax_unique_id: "9710".into(),
    };
    let batch = Batch::new(credentials, [read.into()]);
    let answer = send(&agent, batch.encode(&endpoint)?)?;
    match batch.decode_response(&answer)?.remove(0) {
        Ok(OperationSuccess::CustomerStatus(customer)) => {
            println!("customer 9710: last name {:?}", customer.last_name);
        }
        Ok(other) => return Err(format!("unexpected answer: {other:?}").into()),
        // A failed outcome says whether the service refused or the outcome is unknown.
        Err(failure) => return Err(failure.into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_against_the_sandbox() {
        super::main().expect("the example runs");
    }
}
