//! The service-neutral API over two services: one note sent to a Peoplevine
//! CRM and a Neto store through the same code, each CRM asked first what it
//! supports, and what it lacks answered as "unsupported" before anything is
//! sent.
//!
//! `cargo run -p crmwire-examples --example neutral`
//!
//! It runs against crmwire's embedded sandbox; with real services, build
//! each `Crm` from your own endpoints and credentials (or from crmwire's
//! profiles file) and drop the sandbox.

use facade::neutral::{
    AddCustomerNote, Capabilities, Crm, CrmSet, CustomerNotes, CustomerRef, FollowUpLogging,
    ListNotes, LogFollowUp, NoteKind, NoteListing, Operation,
};
use facade::transport::{Backend, TransportConfig};
use facade::{Error, Fate, neto, peoplevine};

/// Your code, written once against the neutral traits: it works with any CRM.
async fn record_visit<C>(crm: &C, customer: &str) -> Result<Option<String>, Error>
where
    C: CustomerNotes + Capabilities,
{
    let note = AddCustomerNote::new(
        CustomerRef::new(customer),
        "Visit",
        "Came by the shop",
        NoteKind::Sales,
    );
    Ok(crm.add_note(note).await?.note_id)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Stands in for the real services: replace these URLs with theirs.
    let sandbox = sandbox::start(sandbox::SandboxConfig::with_all_services()).await?;
    let peoplevine_url = sandbox.service_url("peoplevine").expect("mounted");
    let neto_store_url = format!("{}/demo", sandbox.service_url("neto").expect("mounted"));

    // Many CRMs side by side, each with its own credentials and its own pace
    // at its vendor's limit, so one's limit never slows another.
    let crms = CrmSet::builder()
        .add(
            "club",
            Crm::peoplevine_over_http(
                peoplevine::Endpoint::new(&peoplevine_url)?,
                peoplevine::Grant::Password {
                    username: "demo@peoplevine.example".into(),
                    password: "demo-password".into(),
                },
                Backend::Reqwest,
                TransportConfig::default(),
            )?,
        )
        .add(
            "shop",
            Crm::neto_over_http(
                neto::Codec::new(
                    neto::Endpoint::under(&neto_store_url)?,
                    neto::Credentials::api_key("demo-api", "demo-neto-key"),
                    neto::WireFormat::Json,
                ),
                Backend::Reqwest,
                TransportConfig::default(),
            )?,
        )
        .build()?;

    for (name, crm) in crms.iter() {
        // Each service's own id for the customer.
        let customer = if crm.as_neto().is_some() {
            "jo.citizen"
        } else {
            "501"
        };
        let id = record_visit(crm, customer).await?;
        println!("{name} ({:?}): note {id:?} added", crm.service());

        let notes = crm
            .list_notes(ListNotes::new(CustomerRef::new(customer)))
            .await?;
        assert_eq!(notes.len(), 1);

        // Ask before trying: a follow-up is a Neto customer log, but
        // Peoplevine has no such thing.
        let follow_up = LogFollowUp::new(CustomerRef::new(customer), "Call back about the quote");
        if crm.supports(Operation::LogFollowUp) {
            let logged = crm.log_follow_up(follow_up).await?;
            println!("{name}: follow-up {:?} logged", logged.id);
        } else {
            // Trying anyway is a typed error naming the service and the
            // operation; nothing was sent.
            let error = crm.log_follow_up(follow_up).await.expect_err("unsupported");
            assert!(matches!(error, Error::Unsupported(_)));
            assert_eq!(error.fate(), Fate::Rejected);
            println!("{name}: {error}");
        }
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
