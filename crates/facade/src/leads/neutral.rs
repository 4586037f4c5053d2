//! The service-neutral traits for the SecurityTrax lead client.

use transport::Transport;

use super::{Lead, LeadClient};
use crate::neutral::{Capabilities, LeadAccepted, LeadPosting, LeadsPosted, NewLead, Operation};
use crate::{Error, Service};

/// The SecurityTrax lead for a neutral one, with the sender's `source_id`.
pub(crate) fn to_lead(lead: NewLead, source_id: Option<&str>) -> Lead {
    Lead {
        source_id: source_id.map(str::to_owned),
        fname: Some(lead.first_name),
        lname: Some(lead.last_name),
        phone1: Some(lead.phone),
        email: lead.email,
        address1: lead.address,
        city: Some(lead.city),
        state: Some(lead.state),
        zip: lead.zip,
        lead_company_unique_id: lead.external_id,
        lead_comments: lead.comments,
        lead_source_info: lead.origin,
        ..Lead::default()
    }
}

impl<T> Capabilities for LeadClient<T> {
    fn service(&self) -> Service {
        Service::SecurityTrax
    }

    fn operations(&self) -> &'static [Operation] {
        &[Operation::PostLeads]
    }
}

impl<T: Transport> LeadPosting for LeadClient<T> {
    /// Posts the leads with [`LeadClient::post`] (in chunks, never resent
    /// blindly), each with the client's [`source_id`](LeadClient::with_source_id).
    async fn post_leads(&self, leads: Vec<NewLead>) -> Result<LeadsPosted, Error> {
        let records: Vec<Lead> = leads
            .into_iter()
            .map(|lead| to_lead(lead, self.source_id()))
            .collect();
        let report = self.post(&records).await;
        let requests_sent = report.requests_sent();
        let outcomes = report
            .into_outcomes()
            .into_iter()
            .map(|outcome| {
                outcome.map(|accepted| LeadAccepted {
                    id: accepted.customer_id,
                })
            })
            .collect();
        Ok(LeadsPosted::new(outcomes, requests_sent))
    }
}
