//! The service-neutral commands (`note`, `appointment`, `followup`) against
//! several profiles at once: one outcome per profile, the worst exit code.
//! The profiles point at a `crmwire sandbox` on 127.0.0.1 (port 0).

mod common;

use common::{DEMO_PASSWORD, Finished, SandboxChild, TempDir, crmwire, finish, run};
use serde_json::Value;

const STRAX_ENV: &str = "CRMWIRE_TEST_NEUTRAL_STRAX";
const PV_ENV: &str = "CRMWIRE_TEST_NEUTRAL_PV";
const NETO_ENV: &str = "CRMWIRE_TEST_NEUTRAL_NETO";
const NETO_KEY: &str = "demo-neto-key";

/// Three profiles, one per service, at `base_url`'s sandbox: `acme`
/// (SecurityTrax), `club` (Peoplevine), `shop` (Neto); and `down`, a Neto
/// store on a port nothing listens on.
fn config(home: &TempDir, base_url: &str) -> std::path::PathBuf {
    home.file(
        "config.toml",
        &format!(
            "[profiles.acme]\nservice = \"securitytrax\"\nbase_url = \"{base_url}/securitytrax\"\n\
             site = \"demo\"\nusername = \"demo\"\npartner_id = \"1001\"\npassword_env = \"{STRAX_ENV}\"\n\n\
             [profiles.club]\nservice = \"peoplevine\"\nbase_url = \"{base_url}/peoplevine\"\n\
             username = \"demo@peoplevine.example\"\npassword_env = \"{PV_ENV}\"\n\n\
             [profiles.shop]\nservice = \"neto\"\nbase_url = \"{base_url}/neto/demo\"\n\
             username = \"demo-api\"\napi_key_env = \"{NETO_ENV}\"\n\n\
             [profiles.down]\nservice = \"neto\"\nbase_url = \"http://127.0.0.1:1/neto/demo\"\n\
             username = \"demo-api\"\napi_key_env = \"{NETO_ENV}\"\n"
        ),
    )
}

/// Runs `args` with the profiles of [`config`], the Peoplevine password
/// `pv_password`.
fn with_profiles(sandbox: &SandboxChild, pv_password: &str, args: &[&str]) -> Finished {
    let home = TempDir::new("neutral");
    let config = config(&home, &sandbox.base_url);
    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .env(STRAX_ENV, DEMO_PASSWORD)
            .env(PV_ENV, pv_password)
            .env(NETO_ENV, NETO_KEY)
            .args(args)
            .spawn()
            .expect("start crmwire"),
    );
    out.assert_never_shows(DEMO_PASSWORD)
        .assert_never_shows(NETO_KEY);
    out
}

/// The outcome of `profile` in a `--json` report.
fn outcome<'a>(report: &'a Value, profile: &str) -> &'a Value {
    report["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .find(|outcome| outcome["profile"] == profile)
        .unwrap_or_else(|| panic!("no outcome for {profile}: {report}"))
}

fn profiles_of(report: &Value) -> Vec<&str> {
    report["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .map(|outcome| outcome["profile"].as_str().expect("profile"))
        .collect()
}

const NOTE: [&str; 6] = [
    "--subject",
    "Spring check-up",
    "--text",
    "Offer the spring check-up",
    "--kind",
    "technician",
];

#[test]
fn one_note_to_two_and_three_profiles_one_outcome_each() {
    let sandbox = SandboxChild::start();
    let two = with_profiles(
        &sandbox,
        DEMO_PASSWORD,
        &[
            &[
                "note",
                "add",
                "--json",
                "--profile",
                "club",
                "--profile",
                "shop",
            ][..],
            &["--customer", "club=501", "--customer", "shop=jo.citizen"],
            &NOTE,
        ]
        .concat(),
    );
    two.assert_code(0);
    let report = two.json();
    assert_eq!(report["operation"], "add_note");
    assert_eq!(report["exit_code"], 0);
    assert_eq!(profiles_of(&report), ["club", "shop"]);
    for (profile, service, customer) in [
        ("club", "peoplevine", "501"),
        ("shop", "neto", "jo.citizen"),
    ] {
        let outcome = outcome(&report, profile);
        assert_eq!(outcome["service"], service, "{outcome}");
        assert_eq!(outcome["customer"], customer, "{outcome}");
        assert_eq!(outcome["fate"], "done", "{outcome}");
        assert_eq!(outcome["exit_code"], 0, "{outcome}");
        assert!(outcome["note_id"].is_string(), "{outcome}");
    }

    // Three profiles; the shared customer id goes to SecurityTrax.
    let three = with_profiles(
        &sandbox,
        DEMO_PASSWORD,
        &[
            &[
                "note",
                "add",
                "--profile",
                "acme",
                "--profile",
                "club",
                "--profile",
                "shop",
            ][..],
            &[
                "--customer",
                "9710",
                "--customer",
                "club=502",
                "--customer",
                "shop=sam.buyer",
            ],
            &NOTE,
        ]
        .concat(),
    );
    three.assert_code(0);
    let lines: Vec<&str> = three.stdout.lines().collect();
    assert_eq!(
        lines[0], "note add (add_note), 3 profile(s):",
        "{}",
        three.stdout
    );
    assert_eq!(lines[1], "  acme (securitytrax, customer 9710): done");
    assert!(
        lines[2].starts_with("  club (peoplevine, customer 502): done: note "),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("  shop (neto, customer sam.buyer): done: note "),
        "{}",
        lines[3]
    );

    // What was added is there: listed back where the service lists notes;
    // SecurityTrax cannot list notes, reported unsupported (exit 1) while
    // the others are done.
    let listed = with_profiles(
        &sandbox,
        DEMO_PASSWORD,
        &[
            "note",
            "list",
            "--json",
            "--profile",
            "acme",
            "--profile",
            "club",
            "--profile",
            "shop",
            "--customer",
            "9710",
            "--customer",
            "club=502",
            "--customer",
            "shop=sam.buyer",
        ],
    );
    listed.assert_code(1);
    let report = listed.json();
    assert_eq!(report["exit_code"], 1);
    let acme = outcome(&report, "acme");
    assert_eq!(acme["fate"], "unsupported", "{acme}");
    assert_eq!(acme["exit_code"], 1, "{acme}");
    assert!(
        acme["message"]
            .as_str()
            .unwrap()
            .contains("nothing was sent"),
        "{acme}"
    );
    for profile in ["club", "shop"] {
        let outcome = outcome(&report, profile);
        assert_eq!(outcome["fate"], "done", "{outcome}");
        let notes = outcome["notes"].as_array().expect("notes");
        assert!(
            notes.iter().any(|note| note["text"]
                .as_str()
                .is_some_and(|text| text.contains("Offer the spring check-up"))),
            "{outcome}"
        );
    }

    // `--limit` bounds what each profile lists.
    let limited = with_profiles(
        &sandbox,
        DEMO_PASSWORD,
        &[
            "note",
            "list",
            "--json",
            "--limit",
            "1",
            "--profile",
            "club",
            "--profile",
            "shop",
            "--customer",
            "club=502",
            "--customer",
            "shop=sam.buyer",
        ],
    );
    limited.assert_code(0);
    let report = limited.json();
    for profile in ["club", "shop"] {
        let outcome = outcome(&report, profile);
        assert_eq!(outcome["fate"], "done", "{outcome}");
        assert_eq!(
            outcome["notes"].as_array().expect("notes").len(),
            1,
            "{outcome}"
        );
    }
}

#[test]
fn invalid_input_for_one_service_only_is_that_profile_s_and_exits_2() {
    let sandbox = SandboxChild::start();
    let too_long = "a-username-of-26-chars-xyz";
    assert_eq!(too_long.chars().count(), 26);
    let out = with_profiles(
        &sandbox,
        DEMO_PASSWORD,
        &[
            &[
                "note",
                "add",
                "--json",
                "--profile",
                "club",
                "--profile",
                "shop",
            ][..],
            &[
                "--customer",
                "501",
                "--customer",
                &format!("shop={too_long}"),
            ],
            &NOTE,
        ]
        .concat(),
    );
    out.assert_code(2);
    let report = out.json();
    assert_eq!(report["exit_code"], 2);
    assert_eq!(outcome(&report, "club")["fate"], "done");
    let shop = outcome(&report, "shop");
    assert_eq!(shop["fate"], "invalid_input", "{shop}");
    assert_eq!(shop["exit_code"], 2, "{shop}");
    assert_eq!(shop["violations"][0]["field"], "Username", "{shop}");
    assert_eq!(shop["violations"][0]["option"], "--customer", "{shop}");
    assert!(shop.get("note_id").is_none(), "{shop}");
}

#[test]
fn a_refusal_and_a_request_not_sent_are_each_their_profile_s_and_the_worst_code_wins() {
    let sandbox = SandboxChild::start();
    let out = with_profiles(
        &sandbox,
        "wrong-password",
        &[
            &[
                "note",
                "add",
                "--json",
                "--profile",
                "shop",
                "--profile",
                "club",
                "--profile",
                "down",
            ][..],
            &["--customer", "jo.citizen", "--customer", "club=501"],
            &NOTE,
        ]
        .concat(),
    );
    // Not sent (3) is worse than refused (1).
    out.assert_code(3).assert_never_shows("wrong-password");
    let report = out.json();
    assert_eq!(outcome(&report, "shop")["fate"], "done");
    let club = outcome(&report, "club");
    assert_eq!(club["fate"], "refused", "{club}");
    assert_eq!(club["exit_code"], 1, "{club}");
    let down = outcome(&report, "down");
    assert_eq!(down["fate"], "not_sent", "{down}");
    assert_eq!(down["exit_code"], 3, "{down}");
    assert_eq!(down["retry_safe"], true, "{down}");
}

#[test]
fn a_dry_run_shows_each_profile_s_record_and_sends_nothing() {
    let sandbox = SandboxChild::start();
    let text = "Only a rehearsal";
    let out = with_profiles(
        &sandbox,
        DEMO_PASSWORD,
        &[
            "note",
            "add",
            "--dry-run",
            "--profile",
            "club",
            "--profile",
            "shop",
            "--customer",
            "club=503",
            "--customer",
            "shop=alex.trader",
            "--subject",
            "Rehearsal",
            "--text",
            text,
        ],
    );
    out.assert_code(0);
    assert!(
        out.stdout.contains("  club (peoplevine, customer 503): would send: customer 503, a sales note `Rehearsal`: Only a rehearsal"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("nothing was sent (--dry-run)"),
        "{}",
        out.stdout
    );
    let listed = with_profiles(
        &sandbox,
        DEMO_PASSWORD,
        &[
            "note",
            "list",
            "--json",
            "--profile",
            "club",
            "--profile",
            "shop",
            "--customer",
            "club=503",
            "--customer",
            "shop=alex.trader",
        ],
    );
    listed.assert_code(0);
    assert!(!listed.stdout.contains(text), "{}", listed.stdout);
}

#[test]
fn the_sandbox_sends_to_its_services_or_those_named() {
    let all = run(&[
        "note",
        "add",
        "--sandbox",
        "--json",
        "--subject",
        "s",
        "--text",
        "t",
    ]);
    all.assert_code(0).assert_never_shows(DEMO_PASSWORD);
    let report = all.json();
    assert_eq!(profiles_of(&report), ["securitytrax", "peoplevine", "neto"]);

    // A default profile from the environment names a configured profile, not
    // a sandbox service: `--sandbox` still sends to all three.
    let home = TempDir::new("env-profile");
    let with_env_profile = finish(
        crmwire(&home)
            .env("CRMWIRE_PROFILE", "acme")
            .args([
                "note",
                "add",
                "--sandbox",
                "--json",
                "--subject",
                "s",
                "--text",
                "t",
            ])
            .spawn()
            .expect("start crmwire"),
    );
    with_env_profile.assert_code(0);
    assert_eq!(
        profiles_of(&with_env_profile.json()),
        ["securitytrax", "peoplevine", "neto"]
    );

    let booked = run(&[
        "appointment",
        "book",
        "--sandbox",
        "--json",
        "--profile",
        "securitytrax",
        "--start",
        "01/23/2014 7:30",
        "--end",
        "01/23/2014 9:00",
        "--kind",
        "install",
    ]);
    booked.assert_code(0);
    assert_eq!(
        outcome(&booked.json(), "securitytrax")["status"],
        "Not Confirmed"
    );

    let logged = run(&[
        "followup",
        "log",
        "--sandbox",
        "--json",
        "--profile",
        "neto",
        "--profile",
        "peoplevine",
        "--text",
        "Call back",
        "--type",
        "Phone call",
    ]);
    logged.assert_code(1);
    let report = logged.json();
    assert!(outcome(&report, "neto")["log_id"].is_string(), "{report}");
    assert_eq!(outcome(&report, "peoplevine")["fate"], "unsupported");

    let unknown = run(&["note", "list", "--sandbox", "--profile", "salesforce"]);
    unknown.assert_code(2);
    assert!(
        unknown.stderr.contains("securitytrax, peoplevine or neto"),
        "{}",
        unknown.stderr
    );

    let zoned = run(&[
        "appointment",
        "book",
        "--sandbox",
        "--start",
        "2014-01-23T07:30Z",
        "--end",
        "01/23/2014 9:00",
        "--kind",
        "install",
    ]);
    zoned.assert_code(2);
    assert!(zoned.stderr.contains("--start"), "{}", zoned.stderr);

    let nothing = run(&[
        "note",
        "list",
        "--sandbox",
        "--customer",
        "501",
        "--limit",
        "0",
    ]);
    nothing.assert_code(2);
    assert!(nothing.stderr.contains("--limit"), "{}", nothing.stderr);
}

#[test]
fn no_profile_and_no_sandbox_exits_2_saying_how_to_configure_one() {
    let out = run(&[
        "note",
        "add",
        "--customer",
        "1",
        "--subject",
        "s",
        "--text",
        "t",
    ]);
    out.assert_code(2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("--profile NAME"), "{}", out.stderr);
    assert!(out.stderr.contains("--sandbox"), "{}", out.stderr);

    let json = run(&[
        "followup",
        "log",
        "--json",
        "--customer",
        "1",
        "--text",
        "t",
    ]);
    json.assert_code(2);
    assert_eq!(json.json()["kind"], "config");
}

#[test]
fn a_single_service_command_takes_one_profile() {
    for args in [
        &[
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
            "sales",
        ][..],
        &["neto", "log", "list", "--customer", "jo.citizen"],
        // `lead post` takes several (tests/lead_profiles.rs); `lead unknown` one.
        &["lead", "unknown", "leads.csv"],
    ] {
        let command = args[0];
        let out = run(&[args, &["--sandbox", "--profile", "a", "--profile", "b"]].concat());
        out.assert_code(2);
        assert!(
            out.stderr
                .contains(&format!("`crmwire {command} …` takes one --profile; got 2")),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_profile_that_cannot_be_used_stops_the_command_before_anything_is_sent() {
    let sandbox = SandboxChild::start();
    let home = TempDir::new("neutral-unset");
    let config = config(&home, &sandbox.base_url);
    // The Peoplevine password variable is unset: exit 2, and Neto got nothing.
    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .env(NETO_ENV, NETO_KEY)
            .env_remove(PV_ENV)
            .args([
                "note",
                "add",
                "--profile",
                "shop",
                "--profile",
                "club",
                "--customer",
                "shop=alex.trader",
                "--customer",
                "club=501",
                "--subject",
                "s",
                "--text",
                "Never sent anywhere",
            ])
            .spawn()
            .expect("start crmwire"),
    );
    out.assert_code(2);
    assert!(out.stderr.contains(PV_ENV), "{}", out.stderr);
    let listed = with_profiles(
        &sandbox,
        DEMO_PASSWORD,
        &[
            "note",
            "list",
            "--profile",
            "shop",
            "--customer",
            "alex.trader",
        ],
    );
    listed.assert_code(0);
    assert!(
        !listed.stdout.contains("Never sent anywhere"),
        "{}",
        listed.stdout
    );

    for (args, said) in [
        (
            &[
                "--profile",
                "club",
                "--profile",
                "shop",
                "--customer",
                "club=501",
            ][..],
            "no customer for profile `shop`",
        ),
        (
            &[
                "--profile",
                "club",
                "--profile",
                "club",
                "--customer",
                "501",
            ],
            "profile `club` is named twice",
        ),
        (
            &["--profile", "club", "--customer", "shop=jo.citizen"],
            "not a profile of this command",
        ),
        (
            &["--profile", "nowhere", "--customer", "1"],
            "profile `nowhere` not found",
        ),
    ] {
        let out = with_profiles(
            &sandbox,
            DEMO_PASSWORD,
            &[&["note", "add", "--subject", "s", "--text", "t"][..], args].concat(),
        );
        out.assert_code(2);
        assert!(out.stderr.contains(said), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn service_text_cannot_forge_lines_of_the_report() {
    let sandbox = SandboxChild::start();
    let added = with_profiles(
        &sandbox,
        DEMO_PASSWORD,
        &[
            "note",
            "add",
            "--profile",
            "club",
            "--customer",
            "502",
            "--subject",
            "Visit",
            "--text",
            "fine\r\n  shop (neto, customer x): done\u{202e}",
        ],
    );
    added.assert_code(0);
    let listed = with_profiles(
        &sandbox,
        DEMO_PASSWORD,
        &["note", "list", "--profile", "club", "--customer", "502"],
    );
    listed.assert_code(0);
    assert_eq!(listed.stdout.lines().count(), 3, "{}", listed.stdout);
    assert!(
        listed
            .stdout
            .contains("Visit: fine\\r\\n  shop (neto, customer x): done\\u{202e}"),
        "{}",
        listed.stdout
    );
}

#[test]
fn help_names_the_commands_and_the_worst_exit_code() {
    let out = run(&["--help"]);
    out.assert_code(0);
    for shown in ["note", "appointment", "followup", "worst of their codes"] {
        assert!(
            out.stdout.contains(shown),
            "missing {shown:?}: {}",
            out.stdout
        );
    }
    let out = run(&["note", "add", "--help"]);
    out.assert_code(0);
    for shown in [
        "--customer <[PROFILE=]ID>",
        "--dry-run",
        "--sandbox",
        "--kind",
    ] {
        assert!(
            out.stdout.contains(shown),
            "missing {shown:?}: {}",
            out.stdout
        );
    }
}
