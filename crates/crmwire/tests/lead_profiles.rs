//! `crmwire lead post FILE --profile A --profile B …` (and `customer post`): the same file posted to
//! each named profile, each with its own delivery journal beside the input.
//! The built binary against two test-owned loopback SecurityTrax servers.

mod common;

use std::path::Path;

use common::{Finished, Loopback, TempDir, crmwire, finish};

/// Two good leads, unique ids L1 and L2.
const LEADS_CSV: &str = "\
source_id,fname,lname,city,state,phone1,lead_company_unique_id
77,Sue,Stallman,Notus,ID,8013127735,L1
77,Mike,Smith,Parma,ID,8013677735,L2
";

/// An answer accepting one lead (the posts are one lead each: `--chunk-size 1`).
const ONE_ACCEPTED: &str = r#"<?xml version="1.0"?>
<root><responses><response success="true"><data><fname>x</fname><lname>y</lname><customer_id>2001</customer_id></data></response></responses></root>"#;

/// A config with SecurityTrax profiles `east` and `west` at `east_url` and
/// `west_url`, and a Neto profile `shop`.
fn config(home: &TempDir, east_url: &str, west_url: &str) -> std::path::PathBuf {
    let strax = |name: &str, url: &str| {
        format!(
            "[profiles.{name}]\nservice = \"securitytrax\"\nbase_url = \"{url}\"\n\
             site = \"demo\"\nusername = \"demo\"\npartner_id = \"1001\"\n\
             password_env = \"CRMWIRE_TEST_STRAX_PASSWORD\"\n\n"
        )
    };
    home.file(
        "config.toml",
        &format!(
            "{}{}[profiles.shop]\nservice = \"neto\"\nbase_url = \"https://shop.example\"\n\
             username = \"shop-user\"\napi_key_env = \"CRMWIRE_TEST_SHOP_KEY\"\n",
            strax("east", east_url),
            strax("west", west_url)
        ),
    )
}

/// `crmwire lead post args…` with [`config`].
fn lead_post(home: &TempDir, east_url: &str, west_url: &str, args: &[&str]) -> Finished {
    with_config(
        home,
        east_url,
        west_url,
        &[&["lead", "post"], args].concat(),
    )
}

/// `crmwire args…` with [`config`].
fn with_config(home: &TempDir, east_url: &str, west_url: &str, args: &[&str]) -> Finished {
    let config = config(home, east_url, west_url);
    finish(
        crmwire(home)
            .env("CRMWIRE_CONFIG", &config)
            .env("CRMWIRE_TEST_STRAX_PASSWORD", "unused-password")
            .args(args)
            .spawn()
            .expect("start crmwire"),
    )
}

/// The `lead_company_unique_id`s the request bodies carry, in order.
fn posted_ids(requests: &[String]) -> Vec<String> {
    requests
        .iter()
        .flat_map(|request| {
            request
                .split("<lead_company_unique_id>")
                .skip(1)
                .map(|rest| rest[..rest.find('<').unwrap_or(rest.len())].to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn journal(input: &Path, infix: &str) -> std::path::PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(infix);
    name.push(".crmwire-journal");
    name.into()
}

#[test]
fn each_profile_gets_each_lead_once_with_its_own_journal_and_resume_sends_nothing() {
    let home = TempDir::new("lead-profiles");
    let input = home.file("leads.csv", LEADS_CSV);
    let file = input.to_str().unwrap();
    let (east, west) = (
        Loopback::answering(200, ONE_ACCEPTED, 5),
        Loopback::answering(200, ONE_ACCEPTED, 5),
    );
    let out = lead_post(
        &home,
        &east.base_url,
        &west.base_url,
        &[
            file,
            "--profile",
            "east",
            "--profile",
            "west",
            "--chunk-size",
            "1",
            "--json",
        ],
    );
    out.assert_code(0);
    assert_eq!(posted_ids(&east.requests()), ["L1", "L2"]);
    assert_eq!(posted_ids(&west.requests()), ["L1", "L2"]);
    assert!(journal(&input, ".east").is_file());
    assert!(journal(&input, ".west").is_file());
    assert!(!journal(&input, "").exists(), "no one-profile journal");

    let report = out.json();
    assert_eq!(report["operation"], "post-leads");
    assert_eq!(report["exit_code"], 0);
    let outcomes = report["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 2, "{report}");
    for (outcome, name) in outcomes.iter().zip(["east", "west"]) {
        assert_eq!(outcome["profile"], name);
        assert_eq!(outcome["service"], "securitytrax");
        assert_eq!(outcome["exit_code"], 0);
        assert_eq!(outcome["report"]["result"], "lead_post");
        assert_eq!(
            outcome["report"]["accepted"].as_array().unwrap().len(),
            2,
            "{outcome}"
        );
        assert_eq!(
            outcome["report"]["journal"],
            journal(&input, &format!(".{name}")).to_str().unwrap(),
            "{outcome}"
        );
    }

    // `lead unknown FILE --profile east` reads east's own journal; with no
    // profile it looks for the one-profile journal, which this run did not
    // keep.
    // (It reads the journals only; nothing listens at the profiles' URLs.)
    let unknown = |profile: &[&str]| {
        let nowhere = "http://127.0.0.1:1";
        let args = [&["lead", "unknown", file, "--json"], profile].concat();
        with_config(&home, nowhere, nowhere, &args)
    };
    let east_unknown = unknown(&["--profile", "east"]);
    east_unknown.assert_code(0);
    assert_eq!(
        east_unknown.json()["journal"],
        journal(&input, ".east").to_str().unwrap()
    );
    let no_profile = unknown(&[]);
    no_profile.assert_code(2);
    assert!(
        no_profile
            .stderr
            .contains(journal(&input, "").to_str().unwrap()),
        "{}",
        no_profile.stderr
    );

    // Resumed: every outcome is known in both journals, nothing goes again;
    // the text report has a heading per profile.
    let (east, west) = (
        Loopback::answering(200, ONE_ACCEPTED, 5),
        Loopback::answering(200, ONE_ACCEPTED, 5),
    );
    let out = lead_post(
        &home,
        &east.base_url,
        &west.base_url,
        &[file, "--profile", "east", "--profile", "west", "--resume"],
    );
    out.assert_code(0);
    assert!(east.requests().is_empty(), "nothing sent again to east");
    assert!(west.requests().is_empty(), "nothing sent again to west");
    let east_at = out.stdout.find("== profile east (securitytrax) ==");
    let west_at = out.stdout.find("== profile west (securitytrax) ==");
    assert!(
        matches!((east_at, west_at), (Some(e), Some(w)) if e < w),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("line 2 (L1): customer 2001"),
        "{}",
        out.stdout
    );

    // Without --resume each used journal is refused; nothing is sent.
    let (east, west) = (
        Loopback::answering(200, ONE_ACCEPTED, 5),
        Loopback::answering(200, ONE_ACCEPTED, 5),
    );
    let out = lead_post(
        &home,
        &east.base_url,
        &west.base_url,
        &[file, "--profile", "east", "--profile", "west", "--json"],
    );
    out.assert_code(2);
    assert!(east.requests().is_empty());
    assert!(west.requests().is_empty());
    let report = out.json();
    assert_eq!(report["outcomes"][1]["kind"], "journal", "{report}");
    assert!(
        report["outcomes"][1]["message"]
            .as_str()
            .unwrap()
            .contains("--resume"),
        "{report}"
    );
}

#[test]
fn a_profile_that_cannot_post_leads_is_unsupported_and_the_others_still_post() {
    let home = TempDir::new("lead-profiles-neto");
    let input = home.file("leads.csv", LEADS_CSV);
    let file = input.to_str().unwrap();
    let east = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = lead_post(
        &home,
        &east.base_url,
        "http://127.0.0.1:1",
        &[
            file,
            "--profile",
            "shop",
            "--profile",
            "east",
            "--chunk-size",
            "1",
            "--json",
        ],
    );
    out.assert_code(1);
    assert_eq!(posted_ids(&east.requests()), ["L1", "L2"]);
    let report = out.json();
    assert_eq!(report["exit_code"], 1);
    let shop = &report["outcomes"][0];
    assert_eq!(
        (
            &shop["profile"],
            &shop["service"],
            &shop["kind"],
            &shop["exit_code"]
        ),
        (
            &serde_json::json!("shop"),
            &serde_json::json!("neto"),
            &serde_json::json!("unsupported"),
            &serde_json::json!(1)
        )
    );
    assert!(shop.get("report").is_none(), "{report}");
    assert_eq!(report["outcomes"][1]["exit_code"], 0);
    assert!(
        !journal(&input, ".shop").exists(),
        "nothing journaled for shop"
    );

    // In text, under its own heading.
    let east = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = lead_post(
        &home,
        &east.base_url,
        "http://127.0.0.1:1",
        &[file, "--profile", "east", "--profile", "shop", "--resume"],
    );
    out.assert_code(1);
    assert!(east.requests().is_empty());
    assert!(
        out.stdout
            .contains("== profile shop (neto) ==\nunsupported: neto cannot post leads"),
        "{}",
        out.stdout
    );
}

#[test]
fn one_journal_or_the_sandbox_or_a_profile_twice_is_refused_with_several_profiles() {
    let home = TempDir::new("lead-profiles-usage");
    let input = home.file("leads.csv", LEADS_CSV);
    let file = input.to_str().unwrap();
    let (east, west) = (
        Loopback::answering(200, ONE_ACCEPTED, 5),
        Loopback::answering(200, ONE_ACCEPTED, 5),
    );
    let named = home.path().join("one.journal");
    let cases: [(&[&str], &str); 3] = [
        (&["--journal", named.to_str().unwrap()], "drop --journal"),
        (&["--sandbox"], "at most one --profile"),
        (&["--profile", "east"], "`east` is named twice"),
    ];
    for (extra, says) in cases {
        let mut args = vec![file, "--profile", "east", "--profile", "west"];
        args.extend_from_slice(extra);
        let out = lead_post(&home, &east.base_url, &west.base_url, &args);
        out.assert_code(2);
        assert!(out.stderr.contains(says), "{extra:?}: {}", out.stderr);
    }
    assert!(east.requests().is_empty());
    assert!(west.requests().is_empty());
    assert!(!named.exists());
    assert!(!journal(&input, ".east").exists());
}

#[test]
fn a_dry_run_to_several_profiles_checks_once_and_says_what_each_would_get() {
    let home = TempDir::new("lead-profiles-dry");
    let input = home.file("leads.csv", LEADS_CSV);
    let file = input.to_str().unwrap();
    let east = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = lead_post(
        &home,
        &east.base_url,
        "http://127.0.0.1:1",
        &[
            file,
            "--profile",
            "east",
            "--profile",
            "shop",
            "--dry-run",
            "--json",
        ],
    );
    out.assert_code(1);
    assert!(east.requests().is_empty());
    assert!(!journal(&input, ".east").exists());
    let report = out.json();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["outcomes"][0]["exit_code"], 0);
    assert_eq!(report["outcomes"][0]["report"]["would_send"], 2, "{report}");
    assert_eq!(report["outcomes"][1]["kind"], "unsupported");
    assert!(out.stderr.contains("nothing was sent"), "{}", out.stderr);

    let east = Loopback::answering(200, ONE_ACCEPTED, 5);
    let out = lead_post(
        &home,
        &east.base_url,
        "http://127.0.0.1:1",
        &[file, "--profile", "east", "--profile", "west", "--dry-run"],
    );
    out.assert_code(0);
    assert_eq!(
        out.stdout.matches("# post 1:").count(),
        1,
        "the documents are printed once: {}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("== profile west (securitytrax) ==\nwould be sent the checked records above"),
        "{}",
        out.stdout
    );
    assert!(east.requests().is_empty());
}

#[test]
fn customers_post_to_each_profile_with_their_own_journals() {
    let home = TempDir::new("customer-profiles");
    let input = home.file(
        "customers.jsonl",
        "{\"source_id\":\"77\",\"fname\":\"Sue\",\"lname\":\"S\",\"city\":\"Notus\",\"state\":\"ID\",\"phone1\":\"8013127735\",\"ssn\":\"123456789\",\"partner_company_unique_id\":\"C1\"}\n",
    );
    let file = input.to_str().unwrap();
    let (east, west) = (
        Loopback::answering(200, ONE_ACCEPTED, 5),
        Loopback::answering(200, ONE_ACCEPTED, 5),
    );
    let out = with_config(
        &home,
        &east.base_url,
        &west.base_url,
        &[
            "customer",
            "post",
            file,
            "--profile",
            "east",
            "--profile",
            "shop",
            "--profile",
            "west",
            "--json",
        ],
    );
    out.assert_code(1);
    assert!(
        !out.stdout.contains("123456789") && !out.stderr.contains("123456789"),
        "the ssn never shows"
    );
    for server in [east, west] {
        let requests = server.requests();
        assert_eq!(requests.len(), 1, "one post each");
        assert!(requests[0].contains("<customers>"), "{}", requests[0]);
    }
    let report = out.json();
    assert_eq!(report["operation"], "post-customers", "{report}");
    assert_eq!(report["outcomes"][0]["report"]["result"], "customer_post");
    assert_eq!(report["outcomes"][1]["kind"], "unsupported");
    assert!(
        report["outcomes"][1]["message"]
            .as_str()
            .unwrap()
            .contains("cannot post customers"),
        "{report}"
    );
    assert_eq!(report["outcomes"][2]["report"]["result"], "customer_post");
    assert!(journal(&input, ".east").is_file());
    assert!(journal(&input, ".west").is_file());
}
