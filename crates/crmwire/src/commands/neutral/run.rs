//! Sending one record to every entry of the set at once, and the run of a
//! neutral command from its arguments to its report.

use facade::neutral::{
    AppointmentBooking, Capabilities, Crm, CrmSet, CrmTransport, CustomerNotes, FollowUpLogging,
    NoteListing,
};
use facade::{Error, Unsupported};

use super::NeutralError;
use super::args::{Common, CustomerArg};
use super::clients::Clients;
use super::plan::Plan;
use super::report::{Answer, NeutralReport, Outcome};
use super::request::{Call, Request};
use crate::commands::{CommandError, Context};
use crate::exit::Exit;
use crate::output::Output;

/// Runs `crmwire <command> …`: the plan, each profile's customer, the set,
/// every call at once (or none, with `--dry-run`), the report; the exit code
/// is the worst outcome's.
pub(crate) async fn run(
    output: &Output,
    context: &Context,
    common: &Common,
    command: &'static str,
    request: Request,
    customers: &CustomerArg,
) -> Result<(), CommandError> {
    let plan = Plan::new(context, common.target.sandbox, command)?;
    let customers = plan.customers(&customers.customer)?;
    let clients = Clients::open(output, &plan, context.backend).await?;
    let outcomes = if common.dry_run {
        dry_run(&clients.set, &request, &customers)
    } else {
        send(&clients.set, &request, &customers).await
    };
    clients.close().await;
    let report = NeutralReport::new(command, request.operation(), common.dry_run, outcomes);
    output.finish(&report);
    match report.exit() {
        Exit::Success => Ok(()),
        exit => Err(NeutralError::Reported(exit).into()),
    }
}

/// What each entry would be sent; nothing is.
fn dry_run(set: &CrmSet<CrmTransport>, request: &Request, customers: &[String]) -> Vec<Outcome> {
    set.iter()
        .zip(customers)
        .map(|((name, crm), customer)| {
            if crm.supports(request.operation()) {
                Outcome::would_send(name, crm.service(), customer, request)
            } else {
                let error = unsupported(crm, request);
                Outcome::failed(name, crm.service(), customer, &error)
            }
        })
        .collect()
}

fn unsupported(crm: &Crm<CrmTransport>, request: &Request) -> Error {
    Error::Unsupported(Unsupported::new(crm.service(), request.operation()))
}

/// Sends `request` to every entry at once, each through its own paced
/// transport; the outcomes in the set's order. An entry whose service lacks
/// the operation is sent nothing.
async fn send(set: &CrmSet<CrmTransport>, request: &Request, customers: &[String]) -> Vec<Outcome> {
    let calls = set.iter().zip(customers).map(|((_, crm), customer)| {
        let call = request.for_customer(customer);
        async move {
            if crm.supports(operation_of(&call)) {
                call_one(crm, call).await
            } else {
                Err(unsupported(crm, request))
            }
        }
    });
    let results = join_all(calls).await;
    set.iter()
        .zip(customers)
        .zip(results)
        .map(|(((name, crm), customer), result)| match result {
            Ok(answer) => Outcome::done(name, crm.service(), customer, answer),
            Err(error) => Outcome::failed(name, crm.service(), customer, &error),
        })
        .collect()
}

fn operation_of(call: &Call) -> facade::neutral::Operation {
    use facade::neutral::Operation;
    match call {
        Call::AddNote(_) => Operation::AddNote,
        Call::ListNotes(_) => Operation::ListNotes,
        Call::Book(_) => Operation::BookAppointment,
        Call::FollowUp(_) => Operation::LogFollowUp,
    }
}

/// One call through one CRM.
async fn call_one(crm: &Crm<CrmTransport>, call: Call) -> Result<Answer, Error> {
    Ok(match call {
        Call::AddNote(note) => Answer::NoteAdded(crm.add_note(note).await?.note_id),
        Call::ListNotes(list) => Answer::Notes(crm.list_notes(list).await?),
        Call::Book(booking) => Answer::Booked(crm.book_appointment(booking).await?.status),
        Call::FollowUp(follow_up) => Answer::Logged(crm.log_follow_up(follow_up).await?.id),
    })
}

/// Polls every future in the same task until all are done: the calls run
/// at once without being spawned, so they can borrow the set. Their
/// results, in order.
async fn join_all<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut pending: Vec<std::pin::Pin<Box<F>>> = futures.map(Box::pin).collect();
    let mut results: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all_done = true;
        for (future, result) in pending.iter_mut().zip(results.iter_mut()) {
            if result.is_some() {
                continue;
            }
            match future.as_mut().poll(cx) {
                std::task::Poll::Ready(output) => *result = Some(output),
                std::task::Poll::Pending => all_done = false,
            }
        }
        if all_done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    results.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::join_all;

    #[tokio::test]
    async fn every_call_runs_at_once_and_results_keep_their_order() {
        // The first waits for what the second sends: polled one after the
        // other, it would wait forever.
        let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
        let first = async move { rx.await.unwrap_or(0) + 1 };
        let second = async move {
            tokio::time::sleep(Duration::from_millis(10)).await;
            let _ = tx.send(41);
            7
        };
        let futures: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = u32> + Send>>> =
            vec![Box::pin(first), Box::pin(second)];
        let results = tokio::time::timeout(Duration::from_secs(10), join_all(futures.into_iter()))
            .await
            .expect("both finish");
        assert_eq!(results, [42, 7]);
    }
}
