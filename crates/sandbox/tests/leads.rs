//! The simulated lead and customer post over raw HTTP/1.1 on 127.0.0.1:0:
//! documents written with strax-leads' encoder (invalid ones by hand),
//! answers read with its decoder, arrivals counted.

mod common;

use std::sync::Arc;

use common::{get, send};
use sandbox::securitytrax::{FIRST_CUSTOMER_ID, SecurityTraxConfig, SecurityTraxService};
use sandbox::{Fault, SandboxConfig, SandboxHandle};
use strax_leads::{
    Customer, EmergencyContact, Lead, Mode, PostOutcome, Redactor, decode_response_body,
    encode_document,
};

const LEADS: &str = "/securitytrax/demo/leadpostxml.php";
const XML: (&str, &str) = ("content-type", "text/xml; charset=utf-8");

async fn start_with(service: SecurityTraxService) -> (SandboxHandle, Arc<SecurityTraxService>) {
    let service = Arc::new(service);
    let sandbox = sandbox::start(SandboxConfig::new().service(service.clone()))
        .await
        .expect("sandbox starts");
    (sandbox, service)
}

fn lead(id: &str) -> Lead {
    Lead {
        source_id: Some("77".into()),
        fname: Some("Sue".into()),
        lname: Some(format!("Lead {id}")),
        city: Some("Notus".into()),
        state: Some("ID".into()),
        phone1: Some("8013127735".into()),
        lead_company_unique_id: Some(id.into()),
        ..Lead::default()
    }
}

async fn post(sandbox: &SandboxHandle, body: &[u8]) -> common::RawResponse {
    send(sandbox.local_addr(), "POST", LEADS, &[XML], body).await
}

#[tokio::test]
async fn valid_leads_get_customer_ids_and_are_kept_and_counted() {
    let (sandbox, service) = start_with(SecurityTraxService::demo()).await;
    let document = encode_document(&[lead("A-1"), lead("A-2")], Mode::Strict).unwrap();
    let answer = post(&sandbox, &document).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(answer.text().contains("<fname>Sue</fname>"));
    let outcomes = decode_response_body(&answer.body, 2, &Redactor::none());
    let first = FIRST_CUSTOMER_ID.to_string();
    let second = (FIRST_CUSTOMER_ID + 1).to_string();
    assert_eq!(
        outcomes,
        [
            PostOutcome::Accepted {
                customer_id: Some(first.clone())
            },
            PostOutcome::Accepted {
                customer_id: Some(second)
            },
        ]
    );
    let kept = service.posted_leads();
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[0].customer_id, first);
    assert_eq!(kept[0].record, lead("A-1"));

    // The same lead again: another id, counted twice.
    post(
        &sandbox,
        &encode_document(&[lead("A-1")], Mode::Strict).unwrap(),
    )
    .await;
    let arrivals = sandbox.lead_arrivals();
    assert_eq!(arrivals.get("A-1"), Some(&2));
    assert_eq!(arrivals.get("A-2"), Some(&1));
    assert_eq!(arrivals, service.lead_arrivals());

    // Over the control endpoint too.
    let view = get(
        sandbox.local_addr(),
        "/__sandbox/services/securitytrax/lead-arrivals",
        &[],
    )
    .await;
    assert_eq!(view.status, 200);
    assert_eq!(view.json(), serde_json::json!({"A-1": 2, "A-2": 1}));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn invalid_leads_are_answered_with_error_texts_and_still_counted() {
    let (sandbox, service) = start_with(SecurityTraxService::demo()).await;
    // Formatting a strict server refuses, written by hand (the encoder would normalise it).
    let valid =
        String::from_utf8(encode_document(&[lead("B-1"), lead("B-2")], Mode::Strict).unwrap())
            .unwrap();
    let body = valid
        .replacen(
            "<phone1>8013127735</phone1>",
            "<phone1>801-312-7735</phone1>",
            1,
        )
        .replacen("<state>ID</state>", "<state>ZZ</state>", 1)
        .replacen("<lead_rep_id/>", "<lead_rep_id/><nickname>S</nickname>", 1);
    let answer = post(&sandbox, body.as_bytes()).await;
    assert_eq!(answer.status, 200);
    let outcomes = decode_response_body(&answer.body, 2, &Redactor::none());
    let PostOutcome::Rejected { errors } = &outcomes[0] else {
        panic!("{outcomes:?}");
    };
    let texts: Vec<&str> = errors.iter().map(|e| e.text.as_str()).collect();
    // Every broken rule at once, as the service answers.
    assert_eq!(
        texts,
        [
            "nickname is not a field of this record",
            "state must be a two-letter US state or territory code (such as ID)",
            "phone1 must be digits only (0-9)",
        ]
    );
    assert!(outcomes[1].is_accepted(), "{outcomes:?}");
    // Without the unknown element: the documented rules only.
    let body = body.replacen("<nickname>S</nickname>", "", 1);
    let answer = post(&sandbox, body.as_bytes()).await;
    let outcomes = decode_response_body(&answer.body, 2, &Redactor::none());
    let PostOutcome::Rejected { errors } = &outcomes[0] else {
        panic!("{outcomes:?}");
    };
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(service.posted_leads().len(), 2);
    assert_eq!(service.posted_records_rejected(), 2);
    assert_eq!(sandbox.lead_arrivals().get("B-1"), Some(&2));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn customers_are_posted_with_their_emergency_contacts() {
    let (sandbox, service) = start_with(SecurityTraxService::demo()).await;
    let customer = Customer {
        source_id: Some("77".into()),
        fname: Some("George".into()),
        lname: Some("Foreman".into()),
        city: Some("Parma".into()),
        state: Some("NC".into()),
        phone1: Some("8013127741".into()),
        ssn: Some("111223333".into()),
        partner_company_unique_id: Some("C-1".into()),
        emergency_contacts: vec![EmergencyContact {
            contact_name: Some("Pat".into()),
            phone_number: Some("3334445555".into()),
            phone_type: None,
        }],
        ..Customer::default()
    };
    let answer = post(
        &sandbox,
        &encode_document(std::slice::from_ref(&customer), Mode::Strict).unwrap(),
    )
    .await;
    let outcomes = decode_response_body(&answer.body, 1, &Redactor::none());
    assert!(outcomes[0].is_accepted(), "{outcomes:?}");
    assert_eq!(service.posted_customers()[0].record, customer);
    assert_eq!(sandbox.customer_arrivals().get("C-1"), Some(&1));
    assert!(sandbox.lead_arrivals().is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unreadable_empty_oversized_and_misdirected_posts_are_refused() {
    let service = SecurityTraxService::new(SecurityTraxConfig::demo().max_records(2));
    let (sandbox, service) = start_with(service).await;
    let three = encode_document(&[lead("C-1"), lead("C-2"), lead("C-3")], Mode::Strict).unwrap();
    for (body, expected) in [
        (&b""[..], "the body is empty"),
        (b"<leads><lead>", "not acceptable XML"),
        (b"<root><requests/></root>", "the root element is <root>"),
        (b"<leads></leads>", "holds no <lead>"),
        (&three[..], "more than this sandbox's limit of 2"),
    ] {
        let answer = post(&sandbox, body).await;
        assert_eq!(answer.status, 400, "{expected}");
        assert!(
            answer.text().contains(expected),
            "{expected}: {}",
            answer.text()
        );
    }
    assert!(service.posted_leads().is_empty() && sandbox.lead_arrivals().is_empty());
    let answer = send(sandbox.local_addr(), "GET", LEADS, &[], b"").await;
    assert_eq!(answer.status, 405);
    let answer = send(
        sandbox.local_addr(),
        "POST",
        LEADS,
        &[("content-type", "application/json")],
        b"{}",
    )
    .await;
    assert_eq!(answer.status, 400);
    let answer = send(
        sandbox.local_addr(),
        "POST",
        "/securitytrax/acme/leadpostxml.php",
        &[XML],
        &three,
    )
    .await;
    assert_eq!(answer.status, 404);
    let view = get(
        sandbox.local_addr(),
        "/__sandbox/services/securitytrax/nothing",
        &[],
    )
    .await;
    assert_eq!(view.status, 404);
    assert!(view.text().contains("lead-arrivals"), "{}", view.text());
    let view = get(
        sandbox.local_addr(),
        "/__sandbox/services/nothing/lead-arrivals",
        &[],
    )
    .await;
    assert_eq!(view.status, 404);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_post_processed_before_a_lost_answer_is_counted_once() {
    let (sandbox, service) = start_with(SecurityTraxService::demo()).await;
    sandbox.inject_fault(LEADS, Fault::CloseAfterProcessing, 1);
    let raw = common::exchange_raw(
        sandbox.local_addr(),
        &common::request(
            "POST",
            LEADS,
            &[XML],
            &encode_document(&[lead("D-1")], Mode::Strict).unwrap(),
        ),
    )
    .await;
    assert!(common::parse(&raw).is_none(), "no answer arrives");
    assert_eq!(service.posted_leads().len(), 1);
    assert_eq!(sandbox.lead_arrivals().get("D-1"), Some(&1));
    sandbox.shutdown().await;
}
