//! SecurityTrax lead posting with `strax-leads` and a plain blocking HTTP
//! client (ureq): the crate checks and encodes the records and reads one
//! outcome per record from the answer; your client carries the request. No
//! async runtime.
//!
//! `cargo run -p crmwire-examples --example strax_leads`
//!
//! It runs against crmwire's embedded sandbox; with a real company, use
//! `Endpoint::securitytrax("your-site")` and drop the sandbox.

use bytes::Bytes;
use strax_leads::{
    Endpoint, Lead, Mode, PostOutcome, PostRecord, Redactor, decode_response, encode_request,
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
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .build()
        .into();

    // Records from (documented field name, text) pairs, as a CSV row gives them.
    let leads = [
        Lead::from_fields(
            0,
            [
                ("source_id", "77"),
                ("fname", "Sue"),
                ("lname", "Stallman"),
                ("city", "Notus"),
                ("state", "id"),
                ("phone1", "(801) 312-7735"),
                ("lead_company_unique_id", "A-1001"),
            ],
        )?,
        Lead::from_fields(
            1,
            [
                ("source_id", "77"),
                ("fname", "Mike"),
                ("lname", "Smith"),
                ("city", "Parma"),
                ("state", "ID"),
                ("phone1", "8013677735"),
                ("lead_company_unique_id", "A-1002"),
            ],
        )?,
    ];
    // Normalise: "id" becomes "ID", "(801) 312-7735" becomes "8013127735".
    let request = encode_request(&endpoint, &leads, Mode::Normalise)?;
    let answer = send(&agent, request)?;

    // Exactly one outcome per record, in order. An unknown outcome means the
    // record may exist: never post it again blindly.
    for (lead, outcome) in
        leads
            .iter()
            .zip(decode_response(&answer, leads.len(), &Redactor::none()))
    {
        // Name a record by your own id for it, never by personal data.
        let name = lead.lead_company_unique_id.as_deref().unwrap_or("a lead");
        match outcome {
            PostOutcome::Accepted { customer_id } => {
                println!("{name}: accepted as customer {customer_id:?}")
            }
            PostOutcome::Rejected { errors } => {
                return Err(format!("{name}: rejected: {errors:?}").into());
            }
            unknown => return Err(format!("{name}: outcome unknown: {unknown:?}").into()),
        }
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
