//! The vendor's documented samples (seeds 000 and 001, made well-formed) decode
//! as documented, and the encoder writes the same requests.

use bytes::Bytes;
use jiff::civil::date;
use strax_xml_protocol::server::decode_request;
use strax_xml_protocol::{
    Batch, CreateCustomerNote, CreateTechSchedule, Credentials, NoteType, Operation,
    OperationSuccess, RequestType, ServiceType, TicketType, decode_response,
};

fn sample(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../fixtures/strax-xml/samples/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn documented_note() -> CreateCustomerNote {
    CreateCustomerNote {
        security_trax_unique_id: "9710".into(),
        note_subject: "Note Subject".into(),
        note_text: "Customer states they would like a new yard sign installed ASAP.".into(),
        note_type: NoteType::Sales,
        ticket_type: Some(TicketType::Open),
        user_id: Some("1024".into()),
        partner_company_unique_id: Some("991234".into()),
    }
}

fn documented_appointment() -> CreateTechSchedule {
    CreateTechSchedule::new(
        "9710",
        date(2014, 1, 23).at(7, 30, 0, 0),
        date(2014, 1, 23).at(9, 0, 0, 0),
        ServiceType::Install,
    )
}

#[test]
fn the_note_request_sample_decodes_to_the_documented_note() {
    let request = decode_request(&sample("create_customer_note_request.xml")).expect("decodes");
    assert_eq!(request.credentials.username(), "Username");
    assert_eq!(request.credentials.partner_id(), "PartnerID");
    assert_eq!(request.operations.len(), 1);
    assert_eq!(
        request.operations[0].result,
        Ok(Operation::from(documented_note()))
    );
}

#[test]
fn the_tech_schedule_request_sample_decodes_to_the_documented_appointment() {
    let request = decode_request(&sample("create_tech_schedule_request.xml")).expect("decodes");
    assert_eq!(
        request.operations[0].result,
        Ok(Operation::from(documented_appointment()))
    );
}

#[test]
fn the_encoder_writes_the_sample_fields_in_the_sample_order() {
    let batch = Batch::new(
        Credentials::new("Username", "Password", "PartnerID"),
        [documented_appointment().into()],
    );
    let xml = String::from_utf8(batch.to_xml().expect("valid")).expect("utf-8");
    let fields: Vec<&str> = xml
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<attribute"))
        .collect();
    assert_eq!(
        fields,
        [
            r#"<attribute name="Username">Username</attribute>"#,
            r#"<attribute name="Password">Password</attribute>"#,
            r#"<attribute name="PartnerID">PartnerID</attribute>"#,
            r#"<attribute name="SecurityTraxUniqueID">9710</attribute>"#,
            r#"<attribute name="TechID"></attribute>"#,
            r#"<attribute name="StartTime">01/23/2014 7:30</attribute>"#,
            r#"<attribute name="EndTime">01/23/2014 9:00</attribute>"#,
            r#"<attribute name="ServiceType">1</attribute>"#,
            r#"<attribute name="ServiceDetailType"></attribute>"#,
            r#"<attribute name="Notes"></attribute>"#,
        ]
    );
}

#[test]
fn the_note_response_sample_decodes_as_created() {
    let response = http::Response::new(Bytes::from(sample("create_customer_note_response.xml")));
    let outcomes = decode_response(&[RequestType::CreateCustomerNote], &response).expect("decodes");
    assert_eq!(outcomes, vec![Ok(OperationSuccess::NoteCreated)]);
}

#[test]
fn the_tech_schedule_response_sample_decodes_as_not_confirmed() {
    // The published sample starts with a tab before the declaration, as here.
    let response = http::Response::new(Bytes::from(sample("create_tech_schedule_response.xml")));
    let outcomes = decode_response(&[RequestType::CreateTechSchedule], &response).expect("decodes");
    assert_eq!(
        outcomes,
        vec![Ok(OperationSuccess::AppointmentCreated {
            confirmation_status_name: Some("Not Confirmed".into())
        })]
    );
}
