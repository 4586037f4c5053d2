//! An answer that contradicts the question is not believed: a customer status
//! read for one customer answered with another is a failure of that read.

use strax_xml_protocol::{
    Batch, Credentials, FailureKind, GetCustomerStatus, Operation, OperationFailure,
    OperationSuccess, RequestType,
};

fn status(id: &str) -> Operation {
    GetCustomerStatus {
        security_trax_unique_id: id.into(),
    }
    .into()
}

fn answer(customers: &[&str]) -> String {
    let responses: String = customers
        .iter()
        .map(|record| {
            format!(
                "<response type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID' success='true'>\
                 <data><Customer>{record}</Customer></data></response>"
            )
        })
        .collect();
    format!(
        "<root><responses><response type='GetSystemAuthentication' success='true'><data>\
         <message>ok</message></data></response>{responses}</responses></root>"
    )
}

#[test]
fn a_status_read_answered_with_another_customer_is_undecodable() {
    let batch = Batch::new(
        Credentials::new("u", "pw", "1"),
        [status("9710"), status("2237"), status("3105")],
    );
    let body = answer(&[
        "<ID>1</ID><FirstName>Other</FirstName><SecurityTraxUniqueID>1</SecurityTraxUniqueID>",
        "<ID>2237</ID><FirstName>Pat</FirstName><SecurityTraxUniqueID>2237</SecurityTraxUniqueID>",
        "<ID>3105</ID><SecurityTraxUniqueID>31050</SecurityTraxUniqueID>",
    ]);
    let outcomes = batch
        .decode_response_body(body.as_bytes())
        .expect("decodes");
    let wrong = outcomes[0].clone().expect_err("another customer");
    assert_eq!(wrong.request_type, RequestType::GetCustomerStatus);
    assert!(
        matches!(&wrong.kind, FailureKind::Undecodable { reason }
            if reason.contains("its <ID> is not 9710")),
        "{wrong:?}"
    );
    // The other customer's fields are not passed on.
    assert!(wrong.texts.is_empty());
    assert!(!format!("{wrong} {wrong:?}").contains("Other"));
    let Ok(OperationSuccess::CustomerStatus(customer)) = &outcomes[1] else {
        panic!("{:?}", outcomes[1]);
    };
    assert_eq!(customer.first_name.as_deref(), Some("Pat"));
    assert!(matches!(
        &outcomes[2],
        Err(OperationFailure { kind: FailureKind::Undecodable { reason }, .. })
            if reason.contains("its <SecurityTraxUniqueID> is not 3105")
    ));
}
