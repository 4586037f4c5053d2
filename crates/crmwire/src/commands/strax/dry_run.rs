//! `--dry-run`: the exact requests a command would send, password masked.

use std::collections::BTreeMap;

use facade::securitytrax::PreparedRequest;
use facade::securitytrax::protocol::Script;
use facade::transport::TransportConfig;
use http::header;
use serde::Serialize;

use crate::output::{Report, safe};

/// The requests that would have been sent. In JSON: `{"result": "dry_run",
/// "requests": [...]}` (`"result": "request"` from `crmwire wire encode`).
#[derive(Debug, Serialize)]
pub(crate) struct DryRunReport {
    result: &'static str,
    requests: Vec<PrintedRequest>,
}

/// One request, with the password replaced by `********`.
#[derive(Debug, Serialize)]
struct PrintedRequest {
    /// `requester` (reads) or `poster` (writes).
    script: &'static str,
    /// The SecurityTrax request types the document holds, in order.
    operations: Vec<&'static str>,
    method: String,
    url: String,
    /// Header names (lower case) to values, including the `user-agent` the transport
    /// adds when sending.
    headers: BTreeMap<String, String>,
    body: String,
}

impl DryRunReport {
    /// The printable form of `prepared`, with the headers `transport` adds.
    pub(crate) fn new(prepared: &[PreparedRequest], transport: &TransportConfig) -> Self {
        let requests = prepared
            .iter()
            .map(|prepared| {
                let request = prepared.redacted();
                let mut headers = BTreeMap::new();
                for (name, value) in request.headers() {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    headers
                        .entry(name.as_str().to_owned())
                        .and_modify(|joined: &mut String| {
                            joined.push_str(", ");
                            joined.push_str(&value);
                        })
                        .or_insert(value);
                }
                if !request.headers().contains_key(header::USER_AGENT) {
                    headers.insert(
                        header::USER_AGENT.as_str().to_owned(),
                        String::from_utf8_lossy(transport.user_agent().as_bytes()).into_owned(),
                    );
                }
                PrintedRequest {
                    script: match prepared.script() {
                        Script::Requester => "requester",
                        _ => "poster",
                    },
                    operations: prepared
                        .request_types()
                        .iter()
                        .map(|request_type| request_type.wire_name())
                        .collect(),
                    method: request.method().to_string(),
                    url: request.uri().to_string(),
                    headers,
                    body: String::from_utf8_lossy(request.body()).into_owned(),
                }
            })
            .collect();
        Self {
            result: "dry_run",
            requests,
        }
    }

    /// The same report, as `crmwire wire encode` prints it (`"result": "request"`).
    pub(crate) fn encoded(mut self) -> Self {
        self.result = "request";
        self
    }
}

impl Report for DryRunReport {
    fn human(&self) -> String {
        self.requests
            .iter()
            .map(|request| {
                let mut text = format!("{} {}\n", request.method, safe(&request.url));
                for (name, value) in &request.headers {
                    text.push_str(&format!("{name}: {}\n", safe(value)));
                }
                text.push('\n');
                // The body's own lines are kept; anything else that could forge
                // output (a carriage return, a bidi override) is escaped.
                let body: Vec<_> = request.body.trim_end().lines().map(safe).collect();
                text.push_str(&body.join("\n"));
                text
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use facade::securitytrax::{Client, Credentials, Endpoint, UpdateConfirmationNumber};
    use facade::transport::TransportError;

    use super::*;

    #[test]
    fn prints_the_request_with_the_password_masked_and_the_user_agent() {
        let never = |_request: http::Request<Bytes>| async {
            Err::<http::Response<Bytes>, _>(TransportError::not_sent("a dry run sends nothing"))
        };
        let client = Client::new(
            Endpoint::new("https://crm.example.com", "acme").unwrap(),
            Credentials::new("api-user", "hunter2-secret", "77"),
            never,
        );
        let prepared = client
            .prepare(UpdateConfirmationNumber {
                security_trax_unique_id: "9710".into(),
                confirmation_number: "206".into(),
            })
            .unwrap();
        let report = DryRunReport::new(&[prepared], &TransportConfig::default());
        let text = report.human();
        assert!(
            text.starts_with("POST https://crm.example.com/acme/informationposter.php\n"),
            "{text}"
        );
        assert!(text.contains("\nuser-agent: crmwire/"), "{text}");
        assert!(
            text.contains(">********<") && text.contains(">206<"),
            "{text}"
        );
        assert!(!text.contains("hunter2-secret"), "{text}");
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["result"], "dry_run");
        assert_eq!(json["requests"][0]["script"], "poster");
        assert_eq!(
            json["requests"][0]["operations"][0],
            "UpdateConfirmationNumberBySecurityTraxUniqueID"
        );
        assert!(!json.to_string().contains("hunter2-secret"));
    }
}
