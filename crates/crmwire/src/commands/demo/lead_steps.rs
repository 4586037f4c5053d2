//! Demo steps of SecurityTrax lead and customer posting with the `facade`
//! [`LeadClient`](facade::leads::LeadClient): records checked and normalised
//! first, posted in one document, each record's outcome accounted for.

use facade::leads::{Customer, EmergencyContact, Lead};

use super::{DemoContext, DemoError, Shown, StepFuture, expect};

/// A lead of the demo (fictional), with phone formatting the client removes.
fn lead(first: &str, unique_id: &str) -> Lead {
    Lead {
        source_id: Some("77".into()),
        fname: Some(first.into()),
        lname: Some("Doe".into()),
        city: Some("Notus".into()),
        state: Some("ID".into()),
        phone1: Some("(801) 312-7735".into()),
        lead_company_unique_id: Some(unique_id.into()),
        ..Lead::default()
    }
}

/// The accepted customer ids of `outcomes`, or the step's error for the first
/// record that was not accepted.
fn accepted_ids(
    step: &'static str,
    outcomes: &[facade::leads::RecordOutcome],
) -> Result<Vec<String>, DemoError> {
    outcomes
        .iter()
        .enumerate()
        .map(|(index, outcome)| match outcome {
            Ok(accepted) => Ok(accepted
                .customer_id
                .clone()
                .unwrap_or_else(|| "(no id)".to_owned())),
            Err(error) => Err(DemoError::Unexpected {
                step,
                expected: format!("record {} accepted", index + 1),
                got: format!("{} ({})", error.kind(), error.fate()),
            }),
        })
        .collect()
}

/// Two leads in one post.
pub(super) fn post_leads(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "lead-post";
        let leads = [lead("Sue", "DEMO-L-1"), lead("Sam", "DEMO-L-2")];
        let report = context.leads.post(&leads).await;
        let ids = accepted_ids(STEP, report.outcomes())?;
        expect(
            STEP,
            report.requests_sent() == 1,
            "both leads in one post",
            || format!("{} posts", report.requests_sent()),
        )?;
        Ok(Shown::done(
            "leadpostxml.php: post 2 leads (Sue and Sam Doe, phone \"(801) 312-7735\" normalised to digits) in one document",
            format!(
                "both accepted, as SecurityTrax customers {}",
                ids.join(" and ")
            ),
        ))
    })
}

/// A customer with an emergency contact.
pub(super) fn post_customer(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "customer-post";
        let customer = Customer {
            source_id: Some("77".into()),
            fname: Some("Ann".into()),
            lname: Some("Roe".into()),
            city: Some("Notus".into()),
            state: Some("ID".into()),
            phone1: Some("8013127736".into()),
            emergency_contacts: vec![EmergencyContact {
                contact_name: Some("Al Roe".into()),
                phone_number: Some("2085550101".into()),
                phone_type: Some("cell".into()),
            }],
            ..Customer::default()
        };
        let report = context.leads.post(&[customer]).await;
        let ids = accepted_ids(STEP, report.outcomes())?;
        Ok(Shown::done(
            "leadpostxml.php: post 1 customer (Ann Roe) with an emergency contact",
            format!("accepted, as SecurityTrax customer {}", ids.join(", ")),
        ))
    })
}
