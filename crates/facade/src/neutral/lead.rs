//! Posting leads.

use crate::Error;

/// A prospective customer, as a CRM that takes leads receives one.
///
/// The fields marked required are required by every service that takes
/// leads; a service checks them all before sending anything and refuses the
/// whole record with [`Error::InvalidInput`] when one is missing or
/// malformed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewLead {
    /// First name (required).
    pub first_name: String,
    /// Last name (required).
    pub last_name: String,
    /// The primary phone number (required).
    pub phone: String,
    /// Email address.
    pub email: Option<String>,
    /// First line of the street address.
    pub address: Option<String>,
    /// City (required).
    pub city: String,
    /// State or region: a two-letter code (required).
    pub state: String,
    /// Postal code.
    pub zip: Option<String>,
    /// The lead's id in the sender's own system, to find it again.
    pub external_id: Option<String>,
    /// What the lead said or asked.
    pub comments: Option<String>,
    /// Where the lead came from (a campaign, a web form).
    pub origin: Option<String>,
}

/// A lead the service accepted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct LeadAccepted {
    /// The service's id of the new customer or lead, when it names one.
    pub id: Option<String>,
}

/// What became of each lead of a [`post_leads`](super::LeadPosting::post_leads),
/// in the order given: accepted, or an [`Error`] whose
/// [`fate`](Error::fate) says what is known of that record.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LeadsPosted {
    /// One outcome per lead, in order.
    pub outcomes: Vec<Result<LeadAccepted, Error>>,
    /// How many requests were handed to the transport.
    pub requests_sent: usize,
}

impl LeadsPosted {
    /// `outcomes` after `requests_sent` requests.
    #[must_use]
    pub fn new(outcomes: Vec<Result<LeadAccepted, Error>>, requests_sent: usize) -> Self {
        Self {
            outcomes,
            requests_sent,
        }
    }

    /// How many leads were accepted.
    #[must_use]
    pub fn accepted(&self) -> usize {
        self.outcomes.iter().filter(|o| o.is_ok()).count()
    }
}
