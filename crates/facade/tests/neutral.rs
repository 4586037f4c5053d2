//! The service-neutral API end to end against the in-process sandbox: every
//! service × every operation agrees with what the backend says it supports,
//! and a set of CRMs paces each entry on its own.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use facade::neutral::{
    AddCustomerNote, AppointmentBooking, AppointmentKind, BookAppointment, Capabilities, Crm,
    CrmSet, CustomerNotes, CustomerRef, FollowUpLogging, LeadPosting, ListNotes, LogFollowUp,
    NewLead, NoteKind, NoteListing, Operation, Pacing, vendor_pace,
};
use facade::transport::{Backend, HttpTransport, PaceConfig, TransportConfig};
use facade::{Fate, Service, Unsupported, leads, neto, peoplevine, securitytrax};
use jiff::civil::date;
use sandbox::{SandboxConfig, SandboxHandle};

type T = Pacing<HttpTransport>;

fn http() -> HttpTransport {
    let config = TransportConfig::default()
        .with_connect_timeout(Duration::from_secs(2))
        .with_total_timeout(Duration::from_secs(5));
    HttpTransport::new(Backend::Reqwest, config).expect("the backend is compiled in")
}

fn securitytrax_crm(sandbox: &SandboxHandle) -> Crm<T> {
    use sandbox::securitytrax::{DEMO_PARTNER_ID, DEMO_PASSWORD, DEMO_SITE, DEMO_USERNAME};
    let base = sandbox.service_url("securitytrax").expect("mounted");
    let xml = securitytrax::Client::new(
        securitytrax::Endpoint::new(&base, DEMO_SITE).unwrap(),
        securitytrax::Credentials::new(DEMO_USERNAME, DEMO_PASSWORD, DEMO_PARTNER_ID),
        Pacing::for_service(http(), Service::SecurityTrax),
    );
    let leads = leads::LeadClient::new(
        leads::Endpoint::new(&base, DEMO_SITE).unwrap(),
        Pacing::for_service(http(), Service::SecurityTrax),
    );
    Crm::securitytrax(xml, leads)
}

fn peoplevine_crm(sandbox: &SandboxHandle) -> Crm<T> {
    use sandbox::peoplevine::{DEMO_PASSWORD, DEMO_USERNAME};
    let base = sandbox.service_url("peoplevine").expect("mounted");
    Crm::peoplevine(peoplevine::Client::new(
        peoplevine::Endpoint::new(&base).unwrap(),
        peoplevine::Grant::Password {
            username: DEMO_USERNAME.into(),
            password: DEMO_PASSWORD.into(),
        },
        Pacing::for_service(http(), Service::Peoplevine),
    ))
}

fn neto_codec(sandbox: &SandboxHandle) -> neto::Codec {
    use sandbox::neto::{DEMO_API_KEY, DEMO_API_USERNAME, DEMO_STORE};
    let base = format!("{}/{DEMO_STORE}", sandbox.service_url("neto").unwrap());
    neto::Codec::new(
        neto::Endpoint::under(&base).unwrap(),
        neto::Credentials::api_key(DEMO_API_USERNAME, DEMO_API_KEY.to_owned()),
        neto::WireFormat::Json,
    )
}

fn neto_crm(sandbox: &SandboxHandle, pace: Option<PaceConfig>) -> Crm<T> {
    Crm::neto(neto::Client::new(
        neto_codec(sandbox),
        Pacing::new(http(), pace),
    ))
}

/// A customer each service knows in its demo data.
fn customer(service: Service) -> CustomerRef {
    CustomerRef::new(match service {
        Service::SecurityTrax => "9710",
        Service::Peoplevine => "501",
        _ => "jo.citizen",
    })
}

fn lead() -> NewLead {
    NewLead {
        first_name: "Sue".into(),
        last_name: "Doe".into(),
        phone: "8013127735".into(),
        city: "Notus".into(),
        state: "ID".into(),
        external_id: Some("N-1".into()),
        ..NewLead::default()
    }
}

/// Runs `operation` on `crm`: `Ok(())` when the service did it, or the error.
async fn run(crm: &Crm<T>, operation: Operation) -> Result<(), facade::Error> {
    let who = customer(crm.service());
    match operation {
        Operation::AddNote => crm
            .add_note(AddCustomerNote::new(
                who,
                "Visit",
                "Asked for a quote",
                NoteKind::Sales,
            ))
            .await
            .map(drop),
        Operation::ListNotes => crm.list_notes(ListNotes::new(who)).await.map(drop),
        Operation::PostLeads => {
            let posted = crm.post_leads(vec![lead()]).await?;
            posted
                .outcomes
                .into_iter()
                .collect::<Result<Vec<_>, _>>()
                .map(drop)
        }
        Operation::BookAppointment => {
            let start = date(2030, 3, 2).at(9, 0, 0, 0);
            let end = date(2030, 3, 2).at(11, 0, 0, 0);
            crm.book_appointment(BookAppointment::new(
                who,
                start,
                end,
                AppointmentKind::Service,
            ))
            .await
            .map(drop)
        }
        Operation::LogFollowUp => crm
            .log_follow_up(LogFollowUp::new(who, "Call back about the quote").method("Phone call"))
            .await
            .map(drop),
        other => panic!("an operation this test does not know: {other}"),
    }
}

#[tokio::test]
async fn every_service_does_what_it_says_it_supports_and_refuses_the_rest_unsent() {
    let sandbox = sandbox::start(SandboxConfig::with_all_services())
        .await
        .unwrap();
    let crms = [
        securitytrax_crm(&sandbox),
        peoplevine_crm(&sandbox),
        neto_crm(&sandbox, vendor_pace(Service::Neto)),
    ];
    let mut supported = Vec::new();
    for crm in &crms {
        for operation in Operation::ALL {
            let before = sandbox.requests_received("/");
            let outcome = tokio::time::timeout(Duration::from_secs(10), run(crm, operation))
                .await
                .expect("bounded in time");
            let sent = sandbox.requests_received("/") - before;
            if crm.supports(operation) {
                outcome.unwrap_or_else(|error| panic!("{} {operation}: {error}", crm.service()));
                assert!(sent >= 1, "{} {operation} was sent", crm.service());
                supported.push((crm.service(), operation));
            } else {
                let error = outcome.expect_err("unsupported");
                assert_eq!(
                    error.unsupported(),
                    Some(Unsupported::new(crm.service(), operation))
                );
                assert_eq!(error.fate(), Fate::Rejected);
                assert_eq!(error.kind(), "unsupported");
                assert_eq!(sent, 0, "nothing sent for {} {operation}", crm.service());
                assert!(error.to_string().contains(&crm.service().to_string()));
                assert!(error.to_string().contains(operation.as_str()));
            }
        }
    }
    // What each service has, as the module documents it.
    use Operation::*;
    use Service::*;
    assert_eq!(
        supported,
        [
            (SecurityTrax, AddNote),
            (SecurityTrax, PostLeads),
            (SecurityTrax, BookAppointment),
            (Peoplevine, AddNote),
            (Peoplevine, ListNotes),
            (Neto, AddNote),
            (Neto, ListNotes),
            (Neto, LogFollowUp),
        ]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_note_added_through_each_service_is_listed_back() {
    let sandbox = sandbox::start(SandboxConfig::with_all_services())
        .await
        .unwrap();
    for crm in [peoplevine_crm(&sandbox), neto_crm(&sandbox, None)] {
        let who = customer(crm.service());
        let added = crm
            .add_note(AddCustomerNote::new(
                who.clone(),
                "Visit",
                "Wants a quote",
                NoteKind::Sales,
            ))
            .await
            .unwrap();
        let id = added.note_id.expect("both services return the new id");
        let notes = crm.list_notes(ListNotes::new(who)).await.unwrap();
        let listed = notes
            .iter()
            .find(|note| note.id.as_deref() == Some(id.as_str()))
            .unwrap_or_else(|| panic!("{}: the new note is listed", crm.service()));
        match crm.service() {
            Service::Peoplevine => {
                assert_eq!(listed.subject.as_deref(), Some("Visit"));
                assert_eq!(listed.text.as_deref(), Some("Wants a quote"));
                assert_eq!(listed.kind, Some(NoteKind::Sales));
            }
            _ => {
                assert_eq!(listed.subject, None);
                assert_eq!(listed.text.as_deref(), Some("Visit\nWants a quote"));
                assert_eq!(listed.kind, None);
            }
        }
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_listing_returns_at_most_its_limit_and_asks_no_more_pages_after_it() {
    let sandbox = sandbox::start(SandboxConfig::with_all_services())
        .await
        .unwrap();
    for crm in [peoplevine_crm(&sandbox), neto_crm(&sandbox, None)] {
        let who = customer(crm.service());
        for n in 0..3 {
            crm.add_note(AddCustomerNote::new(
                who.clone(),
                format!("Visit {n}"),
                "Wants a quote",
                NoteKind::Sales,
            ))
            .await
            .unwrap();
        }
        let all = crm.list_notes(ListNotes::new(who.clone())).await.unwrap();
        assert!(all.len() >= 3, "{}: {} notes", crm.service(), all.len());
        let two = crm
            .list_notes(ListNotes::new(who.clone()).with_limit(2))
            .await
            .unwrap();
        assert_eq!(two, all[..2], "{}: the first two, in order", crm.service());
    }
    // A limit already reached asks Peoplevine for no page at all.
    let crm = peoplevine_crm(&sandbox);
    let before = sandbox.requests_received("/peoplevine");
    let none = crm
        .list_notes(ListNotes::new(customer(Service::Peoplevine)).with_limit(0))
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(sandbox.requests_received("/peoplevine"), before);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_slow_entry_of_a_set_never_slows_another() {
    let sandbox = sandbox::start(SandboxConfig::with_all_services())
        .await
        .unwrap();
    // A scaled-down window: one request per 30 s (the first goes at once).
    let crawl = PaceConfig::new(NonZeroU32::MIN, Duration::from_secs(30));
    let set = CrmSet::builder()
        .add("slow", neto_crm(&sandbox, Some(crawl)))
        .add("fast", neto_crm(&sandbox, vendor_pace(Service::Neto)))
        .build()
        .unwrap();
    assert_eq!(set.names().collect::<Vec<_>>(), ["slow", "fast"]);
    let slow = set.get("slow").unwrap();
    let fast = set.get("fast").unwrap();
    let who = || customer(Service::Neto);
    slow.list_notes(ListNotes::new(who())).await.unwrap();
    // The slow entry's next call now waits for its pace...
    let waiting = slow.list_notes(ListNotes::new(who()));
    let started = Instant::now();
    let fast_calls = async {
        for _ in 0..3 {
            fast.list_notes(ListNotes::new(who())).await.unwrap();
        }
        started.elapsed()
    };
    tokio::select! {
        _ = waiting => panic!("the slow entry waits 30 s for its pace"),
        elapsed = fast_calls => {
            // ...while the other entry does three calls at its own pace
            // (122.4 ms apart).
            assert!(elapsed < Duration::from_secs(3), "the fast entry took {elapsed:?}");
        }
    }
    sandbox.shutdown().await;
}

#[test]
fn a_set_refuses_a_name_given_twice_or_empty() {
    let crm = || {
        Crm::<T>::neto(neto::Client::new(
            neto::Codec::new(
                neto::Endpoint::under("http://127.0.0.1:9/demo").unwrap(),
                neto::Credentials::api_key("u", "k".to_owned()),
                neto::WireFormat::Json,
            ),
            Pacing::new(http(), None),
        ))
    };
    let twice = CrmSet::builder().add("a", crm()).add("a", crm()).build();
    assert_eq!(twice.unwrap_err().fate(), Fate::Rejected);
    let empty = CrmSet::builder().add(" ", crm()).build();
    assert!(empty.unwrap_err().to_string().contains("empty name"));
    let set = CrmSet::builder()
        .add("a", crm())
        .add("b", crm())
        .build()
        .unwrap();
    assert_eq!(set.len(), 2);
    assert!(set.get("c").is_none());
}
