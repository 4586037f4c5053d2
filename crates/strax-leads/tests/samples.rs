//! The vendor's published samples (fixtures/strax-leads/samples/): the
//! encoder writes the two-lead request byte for byte modulo whitespace
//! between tags, and the documented answer decodes.

use std::path::PathBuf;

use strax_leads::server::decode_posted;
use strax_leads::{Lead, Mode, PostOutcome, Redactor, decode_response_body, encode_document};

fn sample(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/strax-leads/samples")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// `xml` without the whitespace between a `>` and the next `<` (text inside
/// elements is kept).
fn without_whitespace_between_tags(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut pending = String::new();
    let mut after_tag = false;
    for c in xml.chars() {
        if after_tag && c.is_whitespace() {
            pending.push(c);
            continue;
        }
        if c != '<' {
            out.push_str(&pending);
        }
        pending.clear();
        out.push(c);
        after_tag = c == '>';
    }
    out
}

fn vendor_leads() -> Vec<Lead> {
    decode_posted::<Lead>(sample("leads_request.xml").as_bytes())
        .expect("the vendor's sample is a lead document")
        .into_iter()
        .map(|lead| lead.expect("the vendor's sample leads are valid"))
        .collect()
}

#[test]
fn the_vendor_sample_is_written_byte_for_byte_modulo_whitespace() {
    let leads = vendor_leads();
    assert_eq!(leads.len(), 2);
    let encoded = String::from_utf8(encode_document(&leads, Mode::Strict).unwrap()).unwrap();
    assert_eq!(
        without_whitespace_between_tags(&encoded),
        without_whitespace_between_tags(sample("leads_request.xml").trim_end())
    );
}

#[test]
fn the_vendor_sample_leads_are_read_with_their_types() {
    let leads = vendor_leads();
    assert_eq!(
        leads[0]
            .lead_purchase_price
            .map(|p| p.to_string())
            .as_deref(),
        Some("27.50")
    );
    assert_eq!(leads[0].lead_type_id, None);
    assert_eq!(leads[1].lead_type_id, Some(strax_leads::LeadType::Pending));
    assert_eq!(
        leads[1].lead_home_ownership,
        Some(strax_leads::HomeOwnership::Rent)
    );
    assert_eq!(
        leads[1].lead_company_unique_id.as_deref(),
        Some("0000122322")
    );
    assert_eq!(leads[0].campaign_id, None);
}

#[test]
fn the_vendor_sample_answer_accepts_the_lead() {
    let outcomes = decode_response_body(
        sample("leads_response.xml").as_bytes(),
        1,
        &Redactor::none(),
    );
    assert_eq!(
        outcomes,
        [PostOutcome::Accepted {
            customer_id: Some("1003".into())
        }]
    );
    // The same answer to two leads leaves the second unknown, never failed.
    let outcomes = decode_response_body(
        sample("leads_response.xml").as_bytes(),
        2,
        &Redactor::none(),
    );
    assert!(outcomes[0].is_accepted() && outcomes[1].is_unknown());
}

#[test]
fn whitespace_comparison_keeps_text_inside_elements() {
    assert_eq!(
        without_whitespace_between_tags("<a>\n\t<b> x y </b>\n</a>"),
        "<a><b> x y </b></a>"
    );
    assert_ne!(
        without_whitespace_between_tags("<b>x y</b>"),
        without_whitespace_between_tags("<b>xy</b>")
    );
}
