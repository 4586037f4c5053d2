//! Peoplevine customer notes with `notes-rest` and a plain blocking HTTP
//! client (ureq). The crate's token machine (`Auth`) and calls (`Call`) are
//! sans-IO state machines: poll one, send the request it asks for, hand back
//! the answer, until it is done. `run` below is the whole driver. No async
//! runtime.
//!
//! `cargo run -p crmwire-examples --example notes_rest`
//!
//! It runs against crmwire's embedded sandbox; with a real account, use
//! `Endpoint::default()` (`https://api.peoplevine.com`) and your own grant,
//! and drop the sandbox.

use std::time::Instant;

use bytes::Bytes;
use notes_rest::models::NewNote;
use notes_rest::{Auth, Call, CallOutcome, Endpoint, Grant, PageRequest};
use wire_core::flow::{Flow, Step};

/// Sends `request` with ureq and hands back the whole answer, whatever its
/// status: the protocol crate decides what a status means.
fn send(
    agent: &ureq::Agent,
    request: http::Request<Bytes>,
) -> Result<http::Response<Bytes>, ureq::Error> {
    let response = agent.run(request.map(|body| body.to_vec()))?;
    let (parts, mut body) = response.into_parts();
    Ok(http::Response::from_parts(
        parts,
        Bytes::from(body.read_to_vec()?),
    ))
}

/// Runs any sans-IO flow to its end over ureq.
fn run<F: Flow>(agent: &ureq::Agent, flow: &mut F) -> Result<F::Output, ureq::Error> {
    loop {
        match flow.poll(Instant::now()) {
            Step::Send(request) => {
                let answer = send(agent, request)?;
                flow.handle(answer, Instant::now());
            }
            Step::Done(output) => return Ok(output),
        }
    }
}

/// One call with a token from `auth`, renewed once if the service refuses it
/// (`Call` itself never loops: a second refusal ends it).
fn call<T>(
    agent: &ureq::Agent,
    auth: &mut Auth,
    mut call: Call<T>,
) -> Result<T, Box<dyn std::error::Error>> {
    loop {
        match run(agent, &mut call)? {
            CallOutcome::Done(result) => return Ok(result?),
            CallOutcome::NeedToken { stale } => {
                if let Some(stale) = stale {
                    auth.invalidate(&stale);
                }
                call.set_bearer(run(agent, auth)??);
                // Service texts in errors lose the token too.
                call.set_redactor(auth.redactor());
            }
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Stands in for the real service: replace this URL with Peoplevine's.
    let sandbox = crmwire_examples::BlockingSandbox::start();
    let endpoint = Endpoint::new(&sandbox.service_url("peoplevine"))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .build()
        .into();

    // Tokens are obtained and refreshed by `Auth`; the password is a secret
    // (`Debug` shows `[redacted]`, and every service text loses it).
    let mut auth = Auth::new(
        endpoint.clone(),
        Grant::Password {
            username: "demo@peoplevine.example".into(),
            password: "demo-password".into(),
        },
    );

    let note = NewNote {
        subject: Some("Callback".into()),
        details: Some("Wants a quote".into()),
        ..NewNote::default()
    };
    let request = endpoint.create_customer_note(501, &note);
    let note_call = Call::note(request, auth.redactor());
    let created = call(&agent, &mut auth, note_call)?;
    println!("note {:?} added to customer 501", created.id);

    let request = endpoint.list_customer_notes(501, PageRequest::new(1, 50)?);
    let list_call = Call::notes(request, auth.redactor());
    let page = call(&agent, &mut auth, list_call)?;
    assert!(page.notes.iter().any(|listed| listed.id == created.id));
    println!(
        "customer 501 has {} note(s) on the first page",
        page.notes.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_against_the_sandbox() {
        super::main().expect("the example runs");
    }
}
