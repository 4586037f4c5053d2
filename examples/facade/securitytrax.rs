//! SecurityTrax with crmwire's typed async client (`facade`): the XML API
//! (a note, a customer look-up, a batch) and the lead post.
//!
//! `cargo run -p crmwire-examples --example facade_securitytrax`
//!
//! It runs against crmwire's embedded sandbox; with a real company, the
//! base URL is "https://secure.securitytrax.com", the site and credentials
//! are yours, and the sandbox goes.

use facade::leads::{Lead, LeadClient, PostRecord};
use facade::securitytrax::{
    Client, CreateCustomerNote, Credentials, Endpoint, GetCustomerStatus, NoteType,
};
use facade::transport::{Backend, TransportConfig};
use facade::{Error, Fate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Stands in for the real service: replace `base_url` with yours.
    let sandbox = sandbox::start(sandbox::SandboxConfig::with_all_services()).await?;
    let base_url = sandbox.service_url("securitytrax").expect("mounted");

    // Retries are decided by transport's one policy, from what each request
    // is (a read, an idempotent write, a write never resent blindly).
    let client = Client::over_http(
        Endpoint::new(&base_url, "demo")?,
        Credentials::new("demo", "demo-password", "1001"),
        Backend::Reqwest,
        TransportConfig::default(),
    )?;

    client
        .add_customer_note(CreateCustomerNote::new(
            "9710",
            "Callback",
            "Wants a quote",
            NoteType::Sales,
        ))
        .await?;
    let customer = client.customer_status("9710").await?;
    println!("note added to customer 9710 ({:?})", customer.last_name);

    // A batch: each operation's result read with its own type through the
    // slot `push` gave (reads and writes are split into two documents by the
    // client; each operation can fail alone).
    let mut batch = client.batch();
    let visit = batch.push(CreateCustomerNote::new(
        "2237",
        "Visit",
        "Sign installed",
        NoteType::Technician,
    ));
    let status = batch.push(GetCustomerStatus {
        security_trax_unique_id: "2237".into(),
    });
    let results = batch.send().await?;
    results.get(&visit)?;
    println!("customer 2237: {:?}", results.get(&status)?.business_name);

    // An error says what is known about the request: fix the input, send
    // again, or check the CRM first.
    match client.customer_status("not digits").await {
        Err(error @ Error::InvalidInput(_)) => {
            assert_eq!(error.fate(), Fate::Rejected);
            println!("nothing sent: {error}");
        }
        other => return Err(format!("expected invalid input, got {other:?}").into()),
    }

    // Leads, posted in chunks, one outcome per lead.
    let leads = LeadClient::over_http(
        facade::leads::Endpoint::new(&base_url, "demo")?,
        Backend::Reqwest,
        TransportConfig::default(),
    )?;
    let lead = Lead::from_fields(
        0,
        [
            ("source_id", "77"),
            ("fname", "Sue"),
            ("lname", "Stallman"),
            ("city", "Notus"),
            ("state", "ID"),
            ("phone1", "8013127735"),
            ("lead_company_unique_id", "A-1001"),
        ],
    )?;
    let report = leads.post(&[lead]).await;
    match &report.outcomes()[0] {
        Ok(accepted) => println!(
            "lead A-1001 accepted as customer {:?}",
            accepted.customer_id
        ),
        Err(error) => return Err(format!("lead A-1001 ({:?}): {error}", error.fate()).into()),
    }

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
