//! `crmwire strax …` end to end: the built binary against the embedded sandbox
//! (no config: the default path), against a `crmwire sandbox` child through a
//! profile, and against test-owned loopback sockets for the transport failures.

mod common;

use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::{
    DEADLINE, DEMO_PASSWORD, Finished, Loopback, SandboxChild, TempDir, crmwire, finish,
    profile_config, run, with_profile,
};

/// Stable snapshots: the sandbox's port and the crate version vary.
fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[port]");
    settings.add_filter(r"crmwire/\d+\.\d+\.\d+[^\s<]*", "crmwire/[version]");
    settings
}

/// The one stderr line that says the sandbox is used.
fn assert_sandbox_notice(out: &Finished) {
    let notices: Vec<&str> = out
        .stderr
        .lines()
        .filter(|line| line.contains("using the embedded sandbox"))
        .collect();
    assert_eq!(notices.len(), 1, "{}", out.stderr);
    assert!(
        notices[0].contains("SecurityTrax demo account"),
        "{}",
        out.stderr
    );
}

/// Runs `crmwire args… --sandbox` in a fresh, empty config home.
fn sandboxed(args: &[&str]) -> Finished {
    let mut args = args.to_vec();
    args.push("--sandbox");
    run(&args)
}

/// Runs against the sandbox and checks what every successful command shares.
fn ok(args: &[&str]) -> Finished {
    let out = sandboxed(args);
    out.assert_code(0).assert_never_shows(DEMO_PASSWORD);
    assert_sandbox_notice(&out);
    out
}

// ---- each subcommand against the embedded sandbox (text output) ----

#[test]
fn note_add_says_what_it_did() {
    let out = ok(&[
        "strax",
        "note",
        "add",
        "--customer",
        "9710",
        "--subject",
        "Yard sign",
        "--text",
        "Wants a new yard sign",
        "--type",
        "sales",
    ]);
    assert_eq!(out.stdout, "Note added to customer 9710.\n");
    let out = ok(&[
        "strax",
        "note",
        "add",
        "--customer",
        "9710",
        "--subject",
        "Callback",
        "--text",
        "Call Tuesday",
        "--type",
        "technician",
        "--ticket",
        "open",
        "--user",
        "1024",
        "--partner-id",
        "991234",
    ]);
    assert_eq!(
        out.stdout,
        "Note added to customer 9710 as an open ticket.\n"
    );
}

#[test]
fn appointment_create_shows_the_slot_and_the_status() {
    let out = ok(&[
        "strax",
        "appointment",
        "create",
        "--customer",
        "9710",
        "--start",
        "01/23/2014 7:30",
        "--end",
        "01/23/2014 9:00",
        "--service-type",
        "install",
        "--tech",
        "7",
        "--detail",
        "Panel",
        "--notes",
        "Gate code 12",
    ]);
    assert_eq!(
        out.stdout,
        "Appointment created for customer 9710: 01/23/2014 7:30 to 01/23/2014 9:00 (install).\n\
         Confirmation status: Not Confirmed.\n"
    );
}

#[test]
fn availability_answers_with_the_service_texts() {
    let out = ok(&[
        "strax",
        "availability",
        "--start",
        "2014-01-23T07:30",
        "--end",
        "01/23/2014 9:00",
        "--city",
        "Springfield",
        "--state",
        "IL",
        "--zip",
        "62701",
        "--address",
        "100 Example Lane",
        "--lat",
        "39.7990",
        "--lon",
        "-89.6440",
    ]);
    assert!(
        out.stdout
            .starts_with("The slot 01/23/2014 7:30 to 01/23/2014 9:00 is available.\nThe service answered:\n  Available: true\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn customer_get_prints_aligned_fields_and_omits_empty_ones() {
    let out = ok(&["strax", "customer", "get", "2237"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "Customer 2237:");
    assert!(
        lines.contains(&"  BusinessName:           Brightline Bakery"),
        "{}",
        out.stdout
    );
    assert!(
        lines.contains(&"  ID:                     2237"),
        "{}",
        out.stdout
    );
    // Every value starts in the same column.
    let value_column = |line: &str| {
        let after = line.find(':').unwrap() + 1;
        after + line[after..].len() - line[after..].trim_start().len()
    };
    let columns: Vec<usize> = lines[1..].iter().map(|line| value_column(line)).collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{}", out.stdout);
    // 2237 has no Address2, Phone2-4 or campaign id: they are not printed.
    for empty in [
        "Address2",
        "Phone2",
        "Phone3",
        "Phone4",
        "PartnerCompanyCampaignID",
    ] {
        assert!(!out.stdout.contains(empty), "{empty} shown: {}", out.stdout);
    }
}

#[test]
fn customer_find_by_phone_and_by_account() {
    let out = ok(&["strax", "customer", "find", "--phone", "(217) 555-0111"]);
    assert_eq!(out.stdout, "Found customer 2237 by phone number.\n");
    let out = ok(&["strax", "customer", "find", "--account", "100971"]);
    assert_eq!(out.stdout, "Found customer 9710 by account number.\n");
}

#[test]
fn confirmation_set_repeats_the_service_message() {
    let out = ok(&[
        "strax",
        "confirmation",
        "set",
        "--customer",
        "9710",
        "--number",
        "206",
    ]);
    assert_eq!(
        out.stdout,
        "Confirmation number 206 set for customer 9710.\n\
         The service said: Successfully set customer Receiver Number: 206\n"
    );
}

#[test]
fn the_hyper_backend_gives_the_same_result() {
    let out = ok(&[
        "--backend",
        "hyper",
        "strax",
        "customer",
        "find",
        "--account",
        "100223",
    ]);
    assert_eq!(out.stdout, "Found customer 2237 by account number.\n");
}

// ---- --json shapes ----

#[test]
fn json_documents_have_stable_shapes() {
    let cases: [(&str, &[&str]); 7] = [
        (
            "note_add",
            &[
                "strax",
                "note",
                "add",
                "--customer",
                "9710",
                "--subject",
                "S",
                "--text",
                "T",
                "--type",
                "lead",
                "--ticket",
                "closed",
            ],
        ),
        (
            "appointment_create",
            &[
                "strax",
                "appointment",
                "create",
                "--customer",
                "9710",
                "--start",
                "01/23/2014 7:30",
                "--end",
                "01/23/2014 9:00",
                "--service-type",
                "rip-out",
            ],
        ),
        (
            "availability",
            &[
                "strax",
                "availability",
                "--start",
                "01/23/2014 7:30",
                "--end",
                "01/23/2014 9:00",
                "--zip",
                "62701",
            ],
        ),
        ("customer_get", &["strax", "customer", "get", "9710"]),
        (
            "customer_find",
            &["strax", "customer", "find", "--phone", "2175550101"],
        ),
        (
            "confirmation_set",
            &[
                "strax",
                "confirmation",
                "set",
                "--customer",
                "9710",
                "--number",
                "206",
            ],
        ),
        (
            "invalid_input",
            &[
                "strax",
                "confirmation",
                "set",
                "--customer",
                "9x",
                "--number",
                "",
            ],
        ),
    ];
    for (name, args) in cases {
        let mut args = args.to_vec();
        args.push("--json");
        let out = sandboxed(&args);
        out.assert_never_shows(DEMO_PASSWORD);
        assert_eq!(out.stdout.lines().count(), 1, "{name}: {}", out.stdout);
        let json = out.json();
        insta::assert_json_snapshot!(format!("json_{name}"), json);
    }
}

// ---- --dry-run ----

#[test]
fn dry_run_prints_the_exact_request_with_the_password_masked() {
    let out = ok(&[
        "strax",
        "--dry-run",
        "note",
        "add",
        "--customer",
        "9710",
        "--subject",
        "Yard sign",
        "--text",
        "Wants a new yard sign & more",
        "--type",
        "sales",
    ]);
    assert!(out.stdout.contains(">********<"), "{}", out.stdout);
    assert!(
        out.stderr.contains("dry run: nothing was sent"),
        "{}",
        out.stderr
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("dry_run_note_add", out.stdout));

    let out = ok(&["strax", "customer", "get", "9710", "--dry-run", "--json"]);
    let json = out.json();
    assert_eq!(json["requests"].as_array().unwrap().len(), 1);
    snapshot_settings().bind(|| {
        insta::assert_json_snapshot!("dry_run_customer_get_json", json, {
            ".requests[].url" => insta::dynamic_redaction(|value, _| {
                let url = value.as_str().unwrap().to_owned();
                assert!(url.starts_with("http://127.0.0.1:"), "{url}");
                url.split_once("/securitytrax/").map(|(_, path)| format!("http://127.0.0.1:[port]/securitytrax/{path}")).unwrap()
            }),
            ".requests[].headers[\"user-agent\"]" => "crmwire/[version]",
        });
    });
}

#[test]
fn dry_run_with_a_profile_sends_nothing_and_never_shows_the_password() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base_url = format!("http://{}/crm", listener.local_addr().unwrap());
    let home = TempDir::new("dry-run-profile");
    let secret = "hunter2-very-secret";
    for json in [false, true] {
        let mut args = vec![
            "strax",
            "--dry-run",
            "confirmation",
            "set",
            "--customer",
            "9710",
            "--number",
            "206",
        ];
        if json {
            args.push("--json");
        }
        let out = with_profile(&home, &base_url, secret, &args);
        out.assert_code(0).assert_never_shows(secret);
        assert!(out.stdout.contains("********"), "{}", out.stdout);
        assert!(
            out.stdout
                .contains(&format!("{base_url}/demo/informationposter.php")),
            "{}",
            out.stdout
        );
        assert!(!out.stderr.contains("embedded sandbox"), "{}", out.stderr);
    }
    match listener.accept() {
        Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("a dry run connected to the service: {other:?}"),
    }
}

// ---- profiles against a `crmwire sandbox` child ----

#[test]
fn a_profile_is_used_instead_of_the_embedded_sandbox() {
    let sandbox = SandboxChild::start();
    let base_url = format!("{}/securitytrax", sandbox.base_url);
    let home = TempDir::new("profile");

    let out = with_profile(
        &home,
        &base_url,
        DEMO_PASSWORD,
        &["strax", "customer", "get", "9710"],
    );
    out.assert_code(0);
    assert!(out.stdout.starts_with("Customer 9710:\n"), "{}", out.stdout);
    assert!(out.stderr.is_empty(), "{}", out.stderr);

    let secret = "wrong-password-123";
    let out = with_profile(
        &home,
        &base_url,
        secret,
        &["strax", "customer", "get", "9710"],
    );
    out.assert_code(1).assert_never_shows(secret);
    assert!(
        out.stderr.starts_with("error: authentication failed"),
        "{}",
        out.stderr
    );

    let out = with_profile(
        &home,
        &base_url,
        DEMO_PASSWORD,
        &["--profile", "shop", "strax", "customer", "get", "9710"],
    );
    out.assert_code(2);
    assert!(
        out.stderr.contains("profile `shop` is a `neto` profile"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unset_password_variable_is_named() {
    let home = TempDir::new("unset-secret");
    let config = profile_config(&home, "https://crm.example.com");
    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .env_remove("CRMWIRE_TEST_STRAX_PASSWORD")
            .args(["strax", "customer", "get", "9710"])
            .spawn()
            .unwrap(),
    );
    out.assert_code(2);
    assert!(
        out.stderr.contains("`CRMWIRE_TEST_STRAX_PASSWORD`"),
        "{}",
        out.stderr
    );
}

// ---- errors and exit codes ----

#[test]
fn invalid_input_exits_2_with_one_line_naming_the_option_and_rule() {
    let out = sandboxed(&[
        "strax",
        "note",
        "add",
        "--customer",
        "97x0",
        "--subject",
        " ",
        "--text",
        "T",
        "--type",
        "sales",
    ]);
    out.assert_code(2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "error: invalid input, nothing was sent: --customer (SecurityTraxUniqueID) must be digits only (0-9); \
         --subject (NoteSubject) is required and must not be blank"
        ]
    );

    let out = sandboxed(&[
        "strax",
        "availability",
        "--start",
        "01/23/2014 9:00",
        "--end",
        "01/23/2014 7:30",
    ]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("--end (EndTime) must be after --start"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("one of --city, --state, --zip, --address, --lat, --lon is required"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr
            .lines()
            .filter(|line| line.starts_with("error: "))
            .count(),
        1,
        "{}",
        out.stderr
    );

    let out = sandboxed(&[
        "strax",
        "appointment",
        "create",
        "--customer",
        "9710",
        "--start",
        "next tuesday",
        "--end",
        "01/23/2014 9:00",
        "--service-type",
        "install",
    ]);
    out.assert_code(2);
    assert!(
        out.stderr.starts_with("error: invalid input, nothing was sent: --start `next tuesday` must be a local date and time written MM/DD/YYYY H:MM"),
        "{}",
        out.stderr
    );
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let out = sandboxed(&[
        "strax",
        "note",
        "add",
        "--customer",
        "1",
        "--subject",
        "s",
        "--text",
        "t",
        "--type",
        "memo",
    ]);
    out.assert_code(2);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("'--type <TYPE>'") && out.stderr.contains("sales, technician, lead"),
        "{}",
        out.stderr
    );
    let out = sandboxed(&[
        "strax",
        "customer",
        "find",
        "--phone",
        "1",
        "--account",
        "2",
    ]);
    out.assert_code(2);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn a_refused_operation_exits_1_with_the_service_message() {
    let out = sandboxed(&[
        "strax",
        "confirmation",
        "set",
        "--customer",
        "424242",
        "--number",
        "206",
        "--json",
    ]);
    out.assert_code(1);
    let error_line = out
        .stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap();
    assert!(
        error_line.contains(
            "the service refused UpdateConfirmationNumberBySecurityTraxUniqueID (SecurityTrax: "
        ) && error_line.contains("there is no customer 424242"),
        "{}",
        out.stderr
    );
    let json = out.json();
    assert_eq!(json["result"], "error");
    assert_eq!(json["kind"], "refused");
    assert_eq!(json["exit_code"], 1);
    assert_eq!(json["retry_safe"], false);
}

#[test]
fn a_request_that_could_not_be_sent_exits_3() {
    // A port nobody listens on: bind, note the port, close.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let home = TempDir::new("not-sent");
    let out = with_profile(
        &home,
        &format!("http://127.0.0.1:{port}"),
        "s3cret-not-sent",
        &[
            "strax",
            "note",
            "add",
            "--customer",
            "9710",
            "--subject",
            "S",
            "--text",
            "T",
            "--type",
            "sales",
            "--json",
        ],
    );
    out.assert_code(3).assert_never_shows("s3cret-not-sent");
    assert!(out.stderr.contains("request not sent"), "{}", out.stderr);
    assert!(
        out.stderr.contains("safe to send it again"),
        "{}",
        out.stderr
    );
    let json = out.json();
    assert_eq!(json["kind"], "not_sent");
    assert_eq!(json["fate"], "not_sent");
    assert_eq!(json["retry_safe"], true);
}

/// A server that reads one whole request, then closes without answering.
fn swallow_one_request(listener: TcpListener) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        listener.set_nonblocking(true).unwrap();
        let started = Instant::now();
        let mut stream: TcpStream = loop {
            match listener.accept() {
                Ok((stream, _)) => break stream,
                Err(_) if started.elapsed() < DEADLINE => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(err) => panic!("no request came: {err}"),
            }
        };
        stream.set_nonblocking(false).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        common::read_request(&mut stream);
        drop(stream);
        // Any further connection would be a resend: count them for a moment.
        let mut resends = 0;
        let until = Instant::now() + Duration::from_millis(500);
        while Instant::now() < until {
            if listener.accept().is_ok() {
                resends += 1;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        resends
    })
}

#[test]
fn a_lost_answer_to_a_write_exits_4_and_is_not_resent() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = swallow_one_request(listener);
    let home = TempDir::new("outcome-unknown");
    let out = with_profile(
        &home,
        &base_url,
        "s3cret-lost",
        &[
            "strax",
            "note",
            "add",
            "--customer",
            "9710",
            "--subject",
            "S",
            "--text",
            "T",
            "--type",
            "sales",
        ],
    );
    out.assert_code(4).assert_never_shows("s3cret-lost");
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let error_line = out
        .stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap();
    assert!(error_line.contains("outcome unknown"), "{}", out.stderr);
    assert!(
        error_line.contains("may have been received")
            && error_line.contains("check the CRM before sending it again"),
        "{}",
        out.stderr
    );
    assert_eq!(server.join().unwrap(), 0, "the write was resent");
}

// ---- hostile servers and hostile input ----

/// A SecurityTrax answer to one `AllAccess-GetCustomerStatusBySecurityTraxUniqueID`
/// whose customer holds `first_name` and `last_name` (XML-escaped already).
fn customer_answer(first_name: &str, last_name: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<root><responses>\
         <response type=\"GetSystemAuthentication\" success=\"true\"><data><message>Authenticated To System</message></data></response>\
         <response type=\"AllAccess-GetCustomerStatusBySecurityTraxUniqueID\" success=\"true\"><data><Customer>\
         <ID>9710</ID><FirstName>{first_name}</FirstName><LastName>{last_name}</LastName>\
         <SecurityTraxUniqueID>9710</SecurityTraxUniqueID></Customer></data></response>\
         </responses></root>"
    )
}

#[test]
fn service_text_cannot_forge_output_lines_but_json_stays_exact() {
    let server = Loopback::answering(
        200,
        &customer_answer("Avery&#13;&#10;Status: OK", "&#x202E;lliuQ"),
        2,
    );
    let home = TempDir::new("hostile-text");
    let out = with_profile(
        &home,
        &server.base_url,
        "s3cret-hostile",
        &["strax", "customer", "get", "9710"],
    );
    out.assert_code(0);
    assert!(
        out.stdout.lines().any(
            |line| line.starts_with("  FirstName:") && line.ends_with(" Avery\\r\\nStatus: OK")
        ),
        "{:?}",
        out.stdout
    );
    assert!(
        out.stdout
            .lines()
            .any(|line| line.starts_with("  LastName:") && line.ends_with(" \\u{202e}lliuQ")),
        "{:?}",
        out.stdout
    );
    assert!(
        !out.stdout.lines().any(|line| line.starts_with("Status:")),
        "{:?}",
        out.stdout
    );
    assert!(!out.stdout.contains('\u{202e}'), "{:?}", out.stdout);

    let out = with_profile(
        &home,
        &server.base_url,
        "s3cret-hostile",
        &["strax", "customer", "get", "9710", "--json"],
    );
    out.assert_code(0);
    let json = out.json();
    assert_eq!(json["fields"]["FirstName"], "Avery\r\nStatus: OK");
    assert_eq!(json["fields"]["LastName"], "\u{202e}lliuQ");
}

#[test]
fn a_password_the_service_echoes_in_its_authentication_failure_is_never_printed() {
    let secret = "s3cr3t-echoed&more";
    let answer = "<?xml version=\"1.0\"?>\n<root><responses>\
         <response type=\"GetSystemAuthentication\" success=\"false\"><data>\
         <message>Invalid password s3cr3t-echoed&amp;more for user demo</message>\
         </data></response></responses></root>";
    let server = Loopback::answering(200, answer, 4);
    let home = TempDir::new("echoed-password");
    for json in [false, true] {
        let mut args = vec!["strax", "customer", "get", "9710"];
        if json {
            args.push("--json");
        }
        let out = with_profile(&home, &server.base_url, secret, &args);
        out.assert_code(1).assert_never_shows(secret);
        assert!(
            out.stderr
                .contains("authentication failed (SecurityTrax: message: Invalid password [redacted] for user demo)"),
            "{}",
            out.stderr
        );
        if json {
            let document = out.json();
            assert_eq!(document["kind"], "authentication");
            assert!(
                document["message"].as_str().unwrap().contains("[redacted]"),
                "{document}"
            );
        }
    }
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_time_with_an_offset_or_zone_is_refused_naming_the_option() {
    for start in ["2014-01-23T07:30+01:00", "2014-01-23T07:30Z"] {
        let out = sandboxed(&[
            "strax",
            "appointment",
            "create",
            "--customer",
            "9710",
            "--start",
            start,
            "--end",
            "01/23/2014 9:00",
            "--service-type",
            "install",
        ]);
        out.assert_code(2);
        assert!(
            out.stderr.starts_with(&format!(
                "error: invalid input, nothing was sent: --start `{start}` must be the customer's local time, without a UTC offset or time zone"
            )),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn sandbox_wins_over_a_configured_profile_when_asked() {
    let home = TempDir::new("sandbox-over-profile");
    // The profile points nowhere reachable: only the sandbox can answer.
    let out = with_profile(
        &home,
        "https://crm.example.invalid",
        "unused-password",
        &["strax", "customer", "get", "9710", "--sandbox"],
    );
    out.assert_code(0).assert_never_shows(DEMO_PASSWORD);
    assert_sandbox_notice(&out);
    assert!(out.stdout.starts_with("Customer 9710:\n"), "{}", out.stdout);
}
