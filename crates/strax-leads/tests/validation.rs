//! Validation and normalisation: every documented rule, both modes, and the
//! shape of the errors.

use strax_leads::{
    Amount, Customer, EmergencyContact, HomeOwnership, Lead, LeadType, Mode, PostRecord, Rule,
    Violations, encode_document, normalise_all,
};

fn valid_lead() -> Lead {
    Lead {
        source_id: Some("77".into()),
        fname: Some("Sue".into()),
        lname: Some("Stallman".into()),
        city: Some("Notus".into()),
        state: Some("ID".into()),
        phone1: Some("8013127735".into()),
        ..Lead::default()
    }
}

fn rules(errors: &Violations) -> Vec<(String, &'static str)> {
    errors
        .iter()
        .map(|v| (v.field.to_string(), v.rule.code()))
        .collect()
}

#[test]
fn required_fields_are_named_with_the_lead_and_its_label() {
    let lead = Lead {
        lead_company_unique_id: Some("L-77".into()),
        fname: Some("  ".into()),
        ..Lead::default()
    };
    let errors = lead.normalised(4, Mode::Normalise).unwrap_err();
    assert_eq!(
        rules(&errors),
        [
            ("source_id".into(), "required"),
            ("fname".into(), "required"),
            ("lname".into(), "required"),
            ("city".into(), "required"),
            ("state".into(), "required"),
            ("phone1".into(), "required"),
        ]
    );
    let first = errors.iter().next().unwrap();
    assert_eq!(
        first.to_string(),
        "lead 4 (L-77): field `source_id` is required and must not be blank"
    );
    assert_eq!(errors.record_indexes(), [4]);
}

#[test]
fn phones_and_zips_are_normalised_or_refused_in_strict_mode() {
    let lead = Lead {
        phone1: Some("+1 (801) 312-7735".into()),
        phone2: Some("801.367.8735".into()),
        phone3: Some(" ".into()),
        zip: Some("83660-1234".into()),
        state: Some(" id ".into()),
        ..valid_lead()
    };
    let normal = lead.normalised(0, Mode::Normalise).unwrap();
    assert_eq!(normal.phone1.as_deref(), Some("8013127735"));
    assert_eq!(normal.phone2.as_deref(), Some("8013678735"));
    assert_eq!(normal.phone3, None);
    assert_eq!(normal.zip.as_deref(), Some("836601234"));
    assert_eq!(normal.state.as_deref(), Some("ID"));
    assert_eq!(normal.normalised(0, Mode::Normalise).unwrap(), normal);

    let errors = lead.normalised(0, Mode::Strict).unwrap_err();
    assert_eq!(
        rules(&errors),
        [
            ("zip".into(), "digits"),
            ("phone1".into(), "digits"),
            ("phone2".into(), "digits"),
            ("phone3".into(), "digits"),
        ]
    );
    // The state is upper-cased in strict mode too.
    let lower = Lead {
        state: Some("nv".into()),
        ..valid_lead()
    };
    assert_eq!(
        lower.normalised(0, Mode::Strict).unwrap().state.as_deref(),
        Some("NV")
    );
}

#[test]
fn letters_in_a_phone_and_unknown_states_are_refused_in_both_modes() {
    for mode in [Mode::Normalise, Mode::Strict] {
        let lead = Lead {
            phone1: Some("801-CALL-NOW".into()),
            phone4: Some("+44 20 7946 0000".into()),
            state: Some("ZZ".into()),
            ..valid_lead()
        };
        let errors = lead.normalised(0, mode).unwrap_err();
        assert_eq!(
            rules(&errors),
            [
                ("state".into(), "format"),
                ("phone1".into(), "digits"),
                ("phone4".into(), "digits")
            ],
            "{mode:?}"
        );
    }
    for territory in ["PR", "GU", "VI", "AS", "MP", "DC", "UM"] {
        let lead = Lead {
            state: Some(territory.into()),
            ..valid_lead()
        };
        assert!(lead.normalised(0, Mode::Strict).is_ok(), "{territory}");
    }
}

#[test]
fn contact_time_is_at_most_fifty_characters() {
    let fifty = "é".repeat(50);
    let lead = Lead {
        contact_time: Some(fifty.clone()),
        ..valid_lead()
    };
    assert!(lead.normalised(0, Mode::Strict).is_ok());
    let lead = Lead {
        contact_time: Some(format!("{fifty}x")),
        ..valid_lead()
    };
    let errors = lead.normalised(0, Mode::Strict).unwrap_err();
    assert_eq!(errors.iter().next().unwrap().rule, Rule::MaxChars(50));
}

#[test]
fn typed_fields_refuse_what_they_cannot_hold() {
    let errors = Lead::from_fields(
        2,
        [
            ("lead_company_unique_id", "X-1"),
            ("lead_home_ownership", "owner"),
            ("lead_type_id", "1"),
            ("lead_purchase_price", "$27.50"),
            ("lead_rep_id", "5"),
        ],
    )
    .unwrap_err();
    assert_eq!(
        rules(&errors),
        [
            ("lead_home_ownership".into(), "one_of"),
            ("lead_type_id".into(), "one_of"),
            ("lead_purchase_price".into(), "format"),
        ]
    );
    assert!(errors.to_string().contains(
        "lead 2 (X-1): field `lead_home_ownership` must be one of own, rent, lease, other"
    ));
    for price in ["27.505", "-1.00", "27,50", "1e2"] {
        assert!(
            Lead::from_fields(0, [("lead_purchase_price", price)]).is_err(),
            "{price}"
        );
    }
    let lead = Lead::from_fields(
        0,
        [
            ("lead_home_ownership", " Lease "),
            ("lead_type_id", "queue"),
            ("lead_purchase_price", "27.5"),
        ],
    )
    .unwrap();
    assert_eq!(lead.lead_home_ownership, Some(HomeOwnership::Lease));
    assert_eq!(lead.lead_type_id, Some(LeadType::Queue));
    assert_eq!(
        lead.lead_purchase_price,
        Some(Amount::from_hundredths(2750))
    );
}

#[test]
fn unknown_and_duplicate_names_are_violations() {
    let errors = Lead::from_fields(
        0,
        [
            ("fname", "Sue"),
            ("Fname", "x"),
            ("fname", "Again"),
            ("ssn", "1"),
        ],
    )
    .unwrap_err();
    assert_eq!(
        rules(&errors),
        [
            ("Fname".into(), "unknown_field"),
            ("fname".into(), "duplicate"),
            ("ssn".into(), "unknown_field")
        ]
    );
    // Leads have no emergency contacts.
    let errors = Lead::from_fields(0, [("EmergencyContacts/1/ContactName", "x")]).unwrap_err();
    assert_eq!(errors.iter().next().unwrap().rule, Rule::UnknownField);
}

#[test]
fn characters_xml_forbids_are_refused_never_written() {
    let lead = Lead {
        lead_comments: Some("ring\u{7}bell".into()),
        ..valid_lead()
    };
    let errors = encode_document(&[lead], Mode::Normalise).unwrap_err();
    assert_eq!(
        errors.iter().next().unwrap().rule,
        Rule::ForbiddenCharacter { code_point: 7 }
    );
    assert_eq!(errors.iter().next().unwrap().field, "lead_comments");
}

#[test]
fn an_empty_post_is_refused_and_errors_of_every_lead_are_listed() {
    let errors = encode_document::<Lead>(&[], Mode::Normalise).unwrap_err();
    assert_eq!(errors.iter().next().unwrap().field, "leads");
    let bad = Lead {
        phone1: Some("x".into()),
        ..valid_lead()
    };
    let errors = encode_document(&[valid_lead(), bad.clone(), bad], Mode::Normalise).unwrap_err();
    assert_eq!(errors.record_indexes(), [1, 2]);
}

fn valid_customer() -> Customer {
    Customer {
        source_id: Some("77".into()),
        fname: Some("George".into()),
        lname: Some("Foreman".into()),
        city: Some("Parma".into()),
        state: Some("NC".into()),
        phone1: Some("8013127741".into()),
        ..Customer::default()
    }
}

#[test]
fn customers_check_their_own_fields_and_their_emergency_contacts() {
    let customer = Customer::from_fields(
        1,
        [
            ("partner_company_unique_id", "C-9"),
            ("ssn", "111-22-3333"),
            ("birthdate", "1970-02-30"),
            ("service_maintenance", "yes"),
            ("mrr", "39.999"),
            ("EmergencyContacts/1/ContactName", "Pat"),
            ("EmergencyContacts/1/PhoneNumber", "(333) 444-5555"),
            ("EmergencyContacts/2/PhoneType", "Cell"),
            ("EmergencyContacts/2/Fax", "1"),
        ],
    )
    .unwrap_err();
    assert_eq!(
        rules(&customer),
        [
            ("birthdate".into(), "format"),
            ("service_maintenance".into(), "one_of"),
            ("mrr".into(), "format"),
            ("EmergencyContacts/2/Fax".into(), "unknown_field"),
        ]
    );
    let given = Customer::from_fields(
        1,
        [
            ("partner_company_unique_id", "C-9"),
            ("ssn", "111-22-3333"),
            ("birthdate", "1970-01-31"),
            ("EmergencyContacts/1/ContactName", "Pat"),
            ("EmergencyContacts/1/PhoneNumber", "(333) 444-5555"),
            ("EmergencyContacts/2/PhoneType", "Cell"),
        ],
    )
    .unwrap();
    let customer = Customer {
        ssn: given.ssn,
        birthdate: given.birthdate,
        partner_company_unique_id: given.partner_company_unique_id,
        emergency_contacts: given.emergency_contacts,
        ..valid_customer()
    };
    let errors = customer.normalised(1, Mode::Normalise).unwrap_err();
    assert_eq!(
        errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "customer 1 (C-9): field `EmergencyContacts/2/ContactName` is required and must not be blank",
            "customer 1 (C-9): field `EmergencyContacts/2/PhoneNumber` is required and must not be blank",
        ]
    );
    let mut fixed = customer.clone();
    fixed.emergency_contacts.truncate(1);
    let normal = fixed.normalised(1, Mode::Normalise).unwrap();
    assert_eq!(normal.ssn.as_deref(), Some("111223333"));
    assert_eq!(
        normal.emergency_contacts[0].phone_number.as_deref(),
        Some("3334445555")
    );
    assert!(fixed.normalised(1, Mode::Strict).is_err());
}

#[test]
fn debug_masks_personal_and_secret_fields() {
    let customer = Customer {
        ssn: Some("111223333".into()),
        beacon_score: Some("750".into()),
        credit_tracking_number: Some("CT-42".into()),
        birthdate: Some(jiff::civil::date(1970, 1, 31)),
        emergency_contacts: vec![EmergencyContact {
            contact_name: Some("Pat Doe".into()),
            phone_number: Some("3334445555".into()),
            phone_type: Some("Cell".into()),
        }],
        ..valid_customer()
    };
    let debug = format!("{customer:?}");
    for shown in [
        "111223333",
        "750",
        "CT-42",
        "1970",
        "George",
        "8013127741",
        "Pat Doe",
        "3334445555",
    ] {
        assert!(!debug.contains(shown), "{shown} in {debug}");
    }
    assert!(debug.contains("ssn: Some([redacted])") && debug.contains("fname: Some([personal])"));
    assert!(
        debug.contains("city: Some(\"Parma\")") && debug.contains("phone_type: Some(\"Cell\")")
    );
}

#[test]
fn checked_construction_reports_every_rule_at_once() {
    let errors = Lead::from_fields_checked(
        7,
        [
            ("lead_company_unique_id", "L-7"),
            ("lead_type_id", "9"),
            ("nickname", "S"),
            ("phone1", "801-CALL"),
            ("fname", "Sue"),
            ("fname", "Again"),
            ("lname", "Doe"),
            ("city", "Notus"),
            ("state", "ZZ"),
            ("source_id", "77"),
        ],
        Mode::Normalise,
    )
    .unwrap_err();
    assert_eq!(
        rules(&errors),
        [
            ("lead_type_id".into(), "one_of"),
            ("nickname".into(), "unknown_field"),
            ("fname".into(), "duplicate"),
            ("state".into(), "format"),
            ("phone1".into(), "digits"),
        ]
    );
    assert!(
        errors
            .iter()
            .all(|v| v.record.as_ref().and_then(|r| r.label.as_deref()) == Some("L-7"))
    );
    // A record that reads is normalised as `normalised` does.
    let lead = Lead::from_fields_checked(
        0,
        [
            ("source_id", "77"),
            ("fname", "Sue"),
            ("lname", "Doe"),
            ("city", "Notus"),
            ("state", "id"),
            ("phone1", "801 312 7735"),
        ],
        Mode::Normalise,
    )
    .unwrap();
    assert_eq!(lead.phone1.as_deref(), Some("8013127735"));
}

#[test]
fn a_record_that_needs_normalising_is_written_normalised_between_records_that_do_not() {
    let normal = valid_lead();
    let mut untidy = valid_lead();
    untidy.state = Some(" id ".into());
    untidy.phone1 = Some("+1 (801) 312-7735".into());
    let mut long = valid_lead();
    // More bytes than characters: within the 50-character limit.
    long.contact_time = Some("é".repeat(40));
    let batch = [normal.clone(), untidy.clone(), long.clone(), normal.clone()];
    let tidy = normalise_all(&batch, Mode::Normalise).expect("valid");
    assert_ne!(tidy[1], untidy);
    assert_eq!(
        encode_document(&batch, Mode::Normalise).expect("valid"),
        encode_document(&tidy, Mode::Normalise).expect("valid")
    );
    let text = String::from_utf8(encode_document(&batch, Mode::Normalise).unwrap()).unwrap();
    assert_eq!(text.matches("<lead>").count(), 4);
    assert_eq!(text.matches("<phone1>8013127735</phone1>").count(), 4);
    assert!(!text.contains("(801)") && !text.contains(" id "));
    // Too long by characters, not just by bytes: refused.
    long.contact_time = Some("é".repeat(51));
    let errors = encode_document(&[normal, long], Mode::Normalise).unwrap_err();
    assert_eq!(rules(&errors), [("contact_time".to_owned(), "max_chars")]);
}

#[test]
fn customers_in_normal_form_and_not_are_written_alike() {
    let full = Customer {
        mrr: Some(Amount::from_hundredths(3999)),
        activation_fee: Some(Amount::from_hundredths(0)),
        service_two_way_voice: Some(true),
        service_cellular_backup: Some(false),
        birthdate: Some(jiff::civil::date(1970, 1, 31)),
        customer_home_ownership: Some("own".into()),
        lead_custom1: Some("Fish & <chips> 'n' \"peas\"".into()),
        emergency_contacts: vec![
            EmergencyContact {
                contact_name: Some("Pat".into()),
                phone_number: Some("3334445555".into()),
                ..EmergencyContact::default()
            },
            EmergencyContact {
                contact_name: Some("Lee".into()),
                phone_number: Some("3334445556".into()),
                phone_type: Some("Cell".into()),
            },
        ],
        ..valid_customer()
    };
    let mut untidy_contact = full.clone();
    untidy_contact.emergency_contacts[1].phone_number = Some("(333) 444-5556".into());
    let mut untidy_state = full.clone();
    untidy_state.state = Some("nc".into());
    let bare = valid_customer();
    let batch = [
        full.clone(),
        untidy_contact,
        bare.clone(),
        untidy_state,
        full.clone(),
    ];
    let tidy = normalise_all(&batch, Mode::Normalise).expect("valid");
    assert_eq!(tidy[1], full);
    assert_eq!(tidy[3], full);
    let written = encode_document(&batch, Mode::Normalise).expect("valid");
    assert_eq!(
        written,
        encode_document(&tidy, Mode::Normalise).expect("valid")
    );
    let text = String::from_utf8(written).unwrap();
    assert_eq!(text.matches("<mrr>39.99</mrr>").count(), 4);
    assert_eq!(
        text.matches("<activation_fee>0.00</activation_fee>")
            .count(),
        4
    );
    assert_eq!(text.matches("<birthdate>1970-01-31</birthdate>").count(), 4);
    assert_eq!(
        text.matches("<service_cellular_backup>false</service_cellular_backup>")
            .count(),
        4
    );
    assert_eq!(
        text.matches("<PhoneNumber>3334445556</PhoneNumber>")
            .count(),
        4
    );
    assert_eq!(text.matches("<EmergencyContacts/>").count(), 1);
    assert!(text.contains(
        "<lead_custom1>Fish &amp; &lt;chips&gt; &apos;n&apos; &quot;peas&quot;</lead_custom1>"
    ));
    // A character XML forbids in a contact is named with the customer and field.
    let mut bad = full;
    bad.emergency_contacts[0].contact_name = Some("Pat\u{1}".into());
    let errors = encode_document(&[bare, bad], Mode::Normalise).unwrap_err();
    assert_eq!(
        rules(&errors),
        [(
            "EmergencyContacts/1/ContactName".to_owned(),
            "forbidden_character"
        )]
    );
}
