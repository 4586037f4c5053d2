//! Serde from the documented field names: a CSV header row or a JSON object
//! maps straight onto a record, values read as exact text.

use strax_leads::{Customer, Lead, LeadType, PostRecord};

#[test]
fn a_json_object_maps_onto_a_lead_and_back() {
    let lead: Lead = serde_json::from_str(
        r#"{"source_id": "77", "fname": "Sue", "zip": "02134", "lead_type_id": "3",
            "lead_purchase_price": "27.5", "campaign_id": null, "lead_rep_id": ""}"#,
    )
    .unwrap();
    assert_eq!(lead.zip.as_deref(), Some("02134"));
    assert_eq!(lead.lead_type_id, Some(LeadType::Queue));
    assert_eq!(lead.campaign_id, None);
    assert_eq!(lead.lead_rep_id, None);
    let json = serde_json::to_value(&lead).unwrap();
    assert_eq!(json["lead_purchase_price"], "27.50");
    assert_eq!(json["lead_type_id"], "3");
    assert_eq!(json["city"], serde_json::Value::Null);
    assert_eq!(json.as_object().unwrap().len(), Lead::FIELD_NAMES.len());
    let back: Lead = serde_json::from_value(json).unwrap();
    assert_eq!(back, lead);
}

#[test]
fn unknown_names_and_bad_values_are_errors_naming_every_field() {
    let error =
        serde_json::from_str::<Lead>(r#"{"fname": "Sue", "nick": "S", "lead_type_id": "9"}"#)
            .unwrap_err()
            .to_string();
    assert!(
        error.contains("field `nick` is not a field of this record"),
        "{error}"
    );
    assert!(
        error.contains("field `lead_type_id` must be one of 2, 3"),
        "{error}"
    );
    // Numbers must be quoted: a number would lose leading zeros or decimals.
    let error = serde_json::from_str::<Lead>(r#"{"zip": 2134}"#)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("write numbers and booleans in quotes"),
        "{error}"
    );
}

#[test]
fn a_customer_reads_its_emergency_contacts_as_a_list() {
    let customer: Customer = serde_json::from_str(
        r#"{"fname": "George", "ssn": "111223333", "service_maintenance": "true",
            "EmergencyContacts": [{"ContactName": "Pat", "PhoneNumber": "3334445555", "PhoneType": "Cell"},
                                  {"ContactName": "Lee", "PhoneNumber": "3334445556"}]}"#,
    )
    .unwrap();
    assert_eq!(customer.emergency_contacts.len(), 2);
    assert_eq!(
        customer.emergency_contacts[1].contact_name.as_deref(),
        Some("Lee")
    );
    assert_eq!(customer.service_maintenance, Some(true));
    let json = serde_json::to_value(&customer).unwrap();
    assert_eq!(json["EmergencyContacts"][0]["PhoneType"], "Cell");
    let back: Customer = serde_json::from_value(json).unwrap();
    assert_eq!(back, customer);
    // Flat names, as CSV columns.
    let flat = Customer::from_fields(
        0,
        [
            ("EmergencyContacts/1/ContactName", "Pat"),
            ("EmergencyContacts/1/PhoneNumber", "3334445555"),
        ],
    )
    .unwrap();
    assert_eq!(
        flat.emergency_contacts[0].phone_number.as_deref(),
        Some("3334445555")
    );
}
