//! `crmwire lead post`, `crmwire customer post` and `crmwire lead unknown` end
//! to end: the built binary against test-owned loopback servers (a canned
//! answer, a closed port), with its delivery journal in a temp directory.

mod common;

use std::net::TcpListener;

use common::{Finished, Loopback, TempDir, crmwire, finish, run, with_profile};

/// Three good leads around a bad one (no `fname`), unique ids A1..A4.
const LEADS_CSV: &str = "\
source_id,fname,lname,city,state,phone1,lead_purchase_price,lead_company_unique_id
77,Sue,Stallman,Notus,id,(801) 312-7735,27.5,A1
77,,Smith,Parma,ID,8013677735,,A2
77,Mike,Smith,Parma,ID,8013677735,25,A3
77,Ann,Lee,Boise,ID,2085550101,,A4
";

/// An answer to three leads that only answers two: the first accepted, the
/// second refused with a text that tries to reverse the line (a bidi override).
const TWO_ANSWERS: &str = r#"<?xml version="1.0"?>
<root><responses>
<response success="true"><data><fname>Sue</fname><lname>Stallman</lname><customer_id>1003</customer_id></data></response>
<response success="false"><data><error>Invalid phone1 &#x202e;gnp.exe</error><error>Duplicate lead</error></data></response>
</responses></root>"#;

/// An answer accepting one lead.
const ONE_ACCEPTED: &str = r#"<?xml version="1.0"?>
<root><responses><response success="true"><data><fname>x</fname><lname>y</lname><customer_id>2001</customer_id></data></response></responses></root>"#;

fn lead_post(home: &TempDir, base_url: &str, args: &[&str]) -> Finished {
    let mut all = vec!["lead", "post"];
    all.extend_from_slice(args);
    with_profile(home, base_url, "unused-password", &all)
}

/// The `lead_company_unique_id`s in the request bodies `requests` carry, in order.
fn posted_ids(requests: &[String]) -> Vec<String> {
    let mut ids = Vec::new();
    for request in requests {
        let mut rest = request.as_str();
        while let Some(start) = rest.find("<lead_company_unique_id>") {
            let after = &rest[start + "<lead_company_unique_id>".len()..];
            let end = after.find('<').unwrap_or(after.len());
            ids.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    ids
}

#[test]
fn a_post_reports_every_lead_once_and_resume_sends_nothing_known_or_unknown() {
    let home = TempDir::new("leads-post");
    let input = home.file("leads.csv", LEADS_CSV);
    let input = input.to_str().unwrap();
    let server = Loopback::answering(200, TWO_ANSWERS, 5);
    let out = lead_post(&home, &server.base_url, &[input, "--json"]);
    out.assert_code(4);
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one post of three leads");
    assert!(
        requests[0].starts_with("POST /demo/leadpostxml.php "),
        "{}",
        requests[0]
    );
    assert_eq!(posted_ids(&requests), ["A1", "A3", "A4"]);
    assert!(requests[0].contains("<phone1>8013127735</phone1>"));

    let report = out.json();
    assert_eq!(report["result"], "lead_post");
    assert_eq!(
        report["accepted"],
        serde_json::json!([{"line": 2, "unique_id": "A1", "customer_id": "1003"}])
    );
    let before = &report["rejected_before_sending"];
    assert_eq!(before.as_array().unwrap().len(), 1);
    assert_eq!(
        (&before[0]["line"], &before[0]["field"], &before[0]["rule"]),
        (
            &serde_json::json!(3),
            &serde_json::json!("fname"),
            &serde_json::json!("required")
        )
    );
    assert_eq!(
        report["rejected_by_service"],
        serde_json::json!([{"line": 4, "unique_id": "A3", "texts": ["Invalid phone1 \u{202e}gnp.exe", "Duplicate lead"]}])
    );
    let unknown = report["outcome_unknown"].as_array().unwrap();
    assert_eq!(unknown.len(), 1);
    assert_eq!(
        (&unknown[0]["line"], &unknown[0]["unique_id"]),
        (&serde_json::json!(5), &serde_json::json!("A4"))
    );
    assert_eq!(report["stopped"], serde_json::Value::Null);

    // `lead unknown` lists it, in text, exit 4.
    let home_unknown = TempDir::new("leads-unknown");
    let listed = finish(
        crmwire(&home_unknown)
            .args(["lead", "unknown", input])
            .spawn()
            .unwrap(),
    );
    listed.assert_code(4);
    assert!(listed.stdout.contains("line 5 (A4)"), "{}", listed.stdout);
    let listed = run(&[
        "strax",
        "lead",
        "unknown",
        "--journal",
        &format!("{input}.crmwire-journal"),
        "--json",
    ]);
    listed.assert_code(4);
    assert_eq!(listed.json()["outcome_unknown"][0]["line"], 5);

    // Resumed: nothing is sent again (A1, A3 known; A4 unknown), the report
    // still has all of them; text output escapes the service's text.
    let server = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = lead_post(&home, &server.base_url, &[input, "--resume"]);
    out.assert_code(4);
    assert!(server.requests().is_empty(), "nothing sent on resume");
    assert!(
        out.stdout.contains("line 2 (A1): customer 1003"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Invalid phone1 \\u{202e}gnp.exe; Duplicate lead"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains('\u{202e}'), "{}", out.stdout);

    // Without --resume the used journal is refused before anything is sent.
    let server = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = lead_post(&home, &server.base_url, &[input]);
    out.assert_code(2);
    assert!(out.stderr.contains("add --resume"), "{}", out.stderr);
    assert!(server.requests().is_empty());

    // The unknown one goes again only when asked, and only it.
    let server = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = lead_post(
        &home,
        &server.base_url,
        &[input, "--resume", "--resend-unknown", "--json"],
    );
    out.assert_code(2); // the bad record is still bad; nothing is unknown any more
    assert_eq!(posted_ids(&server.requests()), ["A4"]);
    let report = out.json();
    assert_eq!(report["accepted"].as_array().unwrap().len(), 2);
    assert_eq!(report["outcome_unknown"], serde_json::json!([]));
}

#[test]
fn a_changed_input_file_is_refused_under_the_same_journal() {
    let home = TempDir::new("leads-changed");
    let input = home.file("leads.csv", LEADS_CSV);
    let input_text = input.to_str().unwrap();
    let server = Loopback::answering(200, TWO_ANSWERS, 5);
    lead_post(&home, &server.base_url, &[input_text]).assert_code(4);
    drop(server);
    std::fs::write(&input, LEADS_CSV.replace("Ann", "Anne")).unwrap();
    let server = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = lead_post(&home, &server.base_url, &[input_text, "--resume"]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("the input file changed"),
        "{}",
        out.stderr
    );
    assert!(server.requests().is_empty());
}

#[test]
fn a_post_that_is_not_sent_stops_the_run_and_resume_sends_each_lead_once() {
    let home = TempDir::new("leads-not-sent");
    let input = home.file(
        "leads.jsonl",
        concat!(
            "{\"source_id\":\"77\",\"fname\":\"Sue\",\"lname\":\"S\",\"city\":\"Notus\",\"state\":\"ID\",\"phone1\":8013127735,\"lead_company_unique_id\":\"J1\"}\n",
            "{\"source_id\":\"77\",\"fname\":\"Ann\",\"lname\":\"L\",\"city\":\"Boise\",\"state\":\"ID\",\"phone1\":\"2085550101\",\"lead_company_unique_id\":\"J2\"}\n",
        ),
    );
    let input = input.to_str().unwrap();
    // A port nobody listens on: connection refused, nothing sent.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let out = lead_post(&home, &closed, &[input, "--chunk-size", "1", "--json"]);
    out.assert_code(3);
    let report = out.json();
    assert_eq!(report["stopped"]["kind"], "not_sent");
    assert_eq!(report["stopped"]["outcome_unknown"], false);
    assert_eq!(report["this_run"]["sent"], 0);

    let server = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = lead_post(
        &home,
        &server.base_url,
        &[input, "--chunk-size", "1", "--resume", "--json"],
    );
    out.assert_code(0);
    assert_eq!(posted_ids(&server.requests()), ["J1", "J2"]);
    assert_eq!(out.json()["accepted"].as_array().unwrap().len(), 2);
}

#[test]
fn a_server_error_leaves_its_chunk_unknown_and_stops() {
    let home = TempDir::new("leads-5xx");
    let input = home.file("leads.csv", LEADS_CSV);
    let input = input.to_str().unwrap();
    let server = Loopback::answering(503, "busy", 5);
    let out = lead_post(
        &home,
        &server.base_url,
        &[input, "--chunk-size", "1", "--json"],
    );
    out.assert_code(4);
    assert_eq!(
        posted_ids(&server.requests()),
        ["A1"],
        "the run stops at the first failed post"
    );
    let report = out.json();
    assert_eq!(report["stopped"]["outcome_unknown"], true);
    assert_eq!(report["outcome_unknown"][0]["unique_id"], "A1");
}

#[test]
fn a_dry_run_prints_each_document_and_sends_nothing() {
    let home = TempDir::new("leads-dry-run");
    let input = home.file("leads.csv", LEADS_CSV);
    let input = input.to_str().unwrap();
    let out = finish(
        crmwire(&home)
            .args([
                "strax",
                "lead",
                "post",
                input,
                "--dry-run",
                "--chunk-size",
                "2",
            ])
            .spawn()
            .unwrap(),
    );
    out.assert_code(2);
    assert_eq!(
        out.stdout
            .matches("<?xml version=\"1.0\" standalone=\"yes\"?>")
            .count(),
        2
    );
    assert!(
        out.stdout.contains("# post 1: lines 2-4, 2 lead(s)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("<lead_purchase_price>27.50</lead_purchase_price>")
    );
    assert!(
        out.stdout
            .contains("line 3 (A2): field `fname` is required"),
        "{}",
        out.stdout
    );
    assert!(
        !home.path().join("leads.csv.crmwire-journal").exists(),
        "no journal"
    );

    let out = run(&["lead", "post", input, "--dry-run", "--json", "--strict"]);
    out.assert_code(2);
    let report = out.json();
    assert_eq!(report["result"], "dry_run");
    // Strict: the formatted phone of A1 is refused too.
    assert_eq!(report["would_send"], 2);
    assert_eq!(
        report["rejected_before_sending"].as_array().unwrap().len(),
        2
    );
}

#[test]
fn customers_post_with_their_emergency_contacts() {
    let home = TempDir::new("customers");
    let input = home.file(
        "customers.jsonl",
        "{\"source_id\":\"77\",\"fname\":\"Sue\",\"lname\":\"S\",\"city\":\"Notus\",\"state\":\"ID\",\"phone1\":\"8013127735\",\"ssn\":\"123456789\",\"EmergencyContacts\":[{\"ContactName\":\"Al\",\"PhoneNumber\":\"2085550101\",\"PhoneType\":\"cell\"}]}\n",
    );
    let input = input.to_str().unwrap();
    let out = run(&["customer", "post", input, "--dry-run"]);
    out.assert_code(0);
    assert!(out.stdout.contains("<customers>"), "{}", out.stdout);
    assert!(
        out.stdout.contains("<ContactName>Al</ContactName>"),
        "{}",
        out.stdout
    );
    let server = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = with_profile(
        &home,
        &server.base_url,
        "pw",
        &["strax", "customer", "post", input, "--json"],
    );
    out.assert_code(0);
    assert_eq!(out.json()["result"], "customer_post");
    assert!(server.requests()[0].contains("<customers>"));
    assert!(!out.stderr.contains("123456789") && !out.stdout.contains("123456789"));
    // A lead journal is not a customer journal.
    let out = with_profile(
        &home,
        NEVER_REACHED,
        "pw",
        &["lead", "post", input, "--resume"],
    );
    out.assert_code(2);
    assert!(
        out.stderr.contains("is for `customer post`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_customer_repeating_an_earlier_partner_id_is_not_sent() {
    let home = TempDir::new("customers-repeated");
    let customer = |name: &str| {
        format!(
            "{{\"source_id\":\"77\",\"fname\":\"{name}\",\"lname\":\"S\",\"city\":\"Notus\",\"state\":\"ID\",\"phone1\":\"8013127735\",\"partner_company_unique_id\":\"P1\"}}\n"
        )
    };
    let input = home.file(
        "customers.jsonl",
        &format!("{}{}", customer("Sue"), customer("Sal")),
    );
    let input = input.to_str().unwrap();
    let server = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = with_profile(
        &home,
        &server.base_url,
        "pw",
        &["customer", "post", input, "--json"],
    );
    out.assert_code(2);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].contains("<fname>Sue</fname>"),
        "{}",
        requests[0]
    );
    assert!(!requests[0].contains("Sal"), "{}", requests[0]);
    let report = out.json();
    assert_eq!(
        report["accepted"],
        serde_json::json!([{"line": 1, "unique_id": "P1", "customer_id": "2001"}])
    );
    let before = &report["rejected_before_sending"][0];
    assert_eq!(
        (&before["line"], &before["field"], &before["message"]),
        (
            &serde_json::json!(2),
            &serde_json::json!("partner_company_unique_id"),
            &serde_json::json!("field `partner_company_unique_id` repeats line 1")
        ),
        "{report}"
    );
}

/// A base URL the refused commands never reach.
const NEVER_REACHED: &str = "http://127.0.0.1:9";

#[test]
fn a_file_without_a_known_extension_or_with_an_unknown_column_is_refused() {
    let home = TempDir::new("leads-format");
    let input = home.file("leads.txt", LEADS_CSV);
    let out = run(&["lead", "post", input.to_str().unwrap(), "--dry-run"]);
    out.assert_code(2);
    assert!(out.stderr.contains("--format"), "{}", out.stderr);
    let out = run(&[
        "lead",
        "post",
        input.to_str().unwrap(),
        "--dry-run",
        "--format",
        "csv",
    ]);
    out.assert_code(2); // A2 is invalid; the rest reads
    let input = home.file("other.csv", "fname,nickname\nSue,S\n");
    let out = run(&["lead", "post", input.to_str().unwrap(), "--dry-run"]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("`nickname` is not a field name"),
        "{}",
        out.stderr
    );
}

#[test]
fn no_journal_is_for_benchmarks_and_leaves_no_file() {
    let home = TempDir::new("leads-no-journal");
    let input = home.file(
        "one.csv",
        "source_id,fname,lname,city,state,phone1,lead_company_unique_id\n77,Sue,S,Notus,ID,8013127735,N1\n",
    );
    let input = input.to_str().unwrap();
    let server = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = lead_post(
        &home,
        &server.base_url,
        &[input, "--no-journal", "--posts-per-second", "100", "--json"],
    );
    out.assert_code(0);
    assert_eq!(out.json()["journal"], ":memory:");
    assert!(out.stderr.contains("cannot be resumed"), "{}", out.stderr);
    assert_eq!(posted_ids(&server.requests()), ["N1"]);
    assert!(!home.path().join("one.csv.crmwire-journal").exists());
    assert!(!std::path::Path::new(":memory:").exists());
    lead_post(&home, NEVER_REACHED, &[input, "--no-journal", "--resume"]).assert_code(2);
}

#[test]
fn leads_post_to_the_embedded_sandbox_and_get_customer_ids() {
    let home = TempDir::new("leads-sandbox");
    let input = home.file("leads.csv", LEADS_CSV);
    let input = input.to_str().unwrap();
    let out = run(&["lead", "post", input, "--sandbox", "--json"]);
    out.assert_code(2); // A2 is invalid; the three others are accepted
    let report = out.json();
    let accepted: Vec<(&str, &str)> = report["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["unique_id"].as_str().unwrap(),
                entry["customer_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        accepted,
        [("A1", "100001"), ("A3", "100002"), ("A4", "100003")]
    );
    assert!(
        out.stderr.contains("using the embedded sandbox"),
        "{}",
        out.stderr
    );
}
