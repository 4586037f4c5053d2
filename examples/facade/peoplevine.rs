//! Peoplevine customer notes with crmwire's typed async client (`facade`):
//! tokens obtained and renewed by themselves, lists read page after page.
//!
//! `cargo run -p crmwire-examples --example facade_peoplevine`
//!
//! It runs against crmwire's embedded sandbox; with a real account, use
//! `Endpoint::default()` (`https://api.peoplevine.com`) and your own grant.

use facade::peoplevine::{Client, Endpoint, Grant, List, NewNote, PageRequest};
use facade::transport::{Backend, TransportConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Stands in for the real service: replace the URL with Peoplevine's.
    let sandbox = sandbox::start(sandbox::SandboxConfig::with_all_services()).await?;
    let endpoint = Endpoint::new(&sandbox.service_url("peoplevine").expect("mounted"))?;

    // Paced under Peoplevine's rate limit; clones share one token.
    let client = Client::over_http(
        endpoint,
        Grant::Password {
            username: "demo@peoplevine.example".into(),
            password: "demo-password".into(),
        },
        Backend::Reqwest,
        TransportConfig::default(),
    )?;

    for subject in ["Callback", "Quote sent"] {
        let note = NewNote {
            subject: Some(subject.into()),
            details: Some("From the crmwire example".into()),
            ..NewNote::default()
        };
        let created = client.create_note(501, &note).await?;
        println!("note {:?} added to customer 501", created.id);
    }

    // Every page of the customer's notes, one request after another.
    let notes = client
        .pages(List::Customer(501), PageRequest::new(1, 50)?)
        .collect_notes()
        .await?;
    assert_eq!(notes.len(), 2);
    println!("customer 501 has {} notes", notes.len());

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
