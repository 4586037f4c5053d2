//! Demo steps of Neto customer logs with the `facade` client, in both wire
//! formats: add a log, update it, list the customer's logs, first in XML then in
//! JSON; then the rate limit honoured: a run of calls paced under the store's
//! limit, none refused with `429`.

use std::time::Instant;

use facade::neto::{Client, CustomerLogUpdate, LogStatus, NewCustomerLog};
use sandbox::neto::DEMO_CUSTOMERS;

use super::{
    DemoContext, DemoError, NETO_LIMIT, NETO_WINDOW, NetoTransport, Shown, StepFuture, expect,
    failed, millis,
};

/// The sandbox's path of every Neto call.
const NETO_PATH: &str = "/neto/";
/// How many calls the rate-limit step makes: more than the window allows.
const RUN: u32 = NETO_LIMIT + 2;

/// Which of the two clients, and the customer its log is for.
#[derive(Clone, Copy)]
enum Format {
    Xml,
    Json,
}

impl Format {
    fn client(self, context: &DemoContext) -> &Client<NetoTransport> {
        match self {
            Self::Xml => &context.neto_xml,
            Self::Json => &context.neto_json,
        }
    }

    fn customer(self) -> &'static str {
        match self {
            Self::Xml => DEMO_CUSTOMERS[0],
            Self::Json => DEMO_CUSTOMERS[1],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Xml => "XML",
            Self::Json => "JSON",
        }
    }

    fn log(self, context: &DemoContext) -> Option<u64> {
        let memo = context.memo();
        match self {
            Self::Xml => memo.neto_xml_log,
            Self::Json => memo.neto_json_log,
        }
    }

    fn remember(self, context: &DemoContext, id: u64) {
        let mut memo = context.memo();
        match self {
            Self::Xml => memo.neto_xml_log = Some(id),
            Self::Json => memo.neto_json_log = Some(id),
        }
    }

    fn added(self, context: &DemoContext, step: &'static str) -> Result<u64, DemoError> {
        self.log(context).ok_or(DemoError::Unexpected {
            step,
            expected: "the log added by the add step".to_owned(),
            got: "no log".to_owned(),
        })
    }
}

async fn add(
    context: &DemoContext,
    step: &'static str,
    format: Format,
) -> Result<Shown, DemoError> {
    let customer = format.customer();
    let log = NewCustomerLog {
        username: Some(customer.into()),
        follow_up_type: Some("Phone".into()),
        status: Some(LogStatus::RequireRecontact),
        notes: Some("Asked about a yard sign".into()),
        ..NewCustomerLog::default()
    };
    let answer = format
        .client(context)
        .add_logs(vec![log])
        .await
        .map_err(failed(step))?;
    let [id] = answer.output.log_ids[..] else {
        return Err(DemoError::Unexpected {
            step,
            expected: "one log id".to_owned(),
            got: format!("{:?}", answer.output.log_ids),
        });
    };
    format.remember(context, id);
    Ok(Shown::done(
        format!(
            "AddCustomerLog in {}: a \"Require Recontact\" phone follow-up for customer {customer}",
            format.name()
        ),
        format!("Ack {:?}: log {id} added", answer.ack),
    ))
}

async fn update(
    context: &DemoContext,
    step: &'static str,
    format: Format,
) -> Result<Shown, DemoError> {
    let id = format.added(context, step)?;
    let update = CustomerLogUpdate {
        log_id: id.to_string(),
        status: Some(LogStatus::Completed),
        notes: Some("Yard sign ordered".into()),
        ..CustomerLogUpdate::default()
    };
    let answer = format
        .client(context)
        .update_logs(vec![update])
        .await
        .map_err(failed(step))?;
    Ok(Shown::done(
        format!(
            "UpdateCustomerLog in {}: mark log {id} \"Completed\" with a new note",
            format.name()
        ),
        format!("Ack {:?}: log {id} updated", answer.ack),
    ))
}

async fn list(
    context: &DemoContext,
    step: &'static str,
    format: Format,
) -> Result<Shown, DemoError> {
    let id = format.added(context, step)?;
    let customer = format.customer();
    let answer = format
        .client(context)
        .logs_of(customer)
        .await
        .map_err(failed(step))?;
    let logs: Vec<_> = answer
        .output
        .customers
        .iter()
        .flat_map(|c| c.logs.iter())
        .collect();
    let ours = logs.iter().find(|log| log.log_id == Some(id));
    expect(
        step,
        ours.is_some_and(|log| {
            log.status == Some(LogStatus::Completed)
                && log.notes.as_deref() == Some("Yard sign ordered")
        }),
        &format!("log {id} completed, with the new note"),
        || format!("{ours:?}"),
    )?;
    Ok(Shown::done(
        format!(
            "GetCustomer in {} with the CustomerLog output: the logs of customer {customer}",
            format.name()
        ),
        format!(
            "{} log(s), log {id} among them: Completed, \"Yard sign ordered\"",
            logs.len()
        ),
    ))
}

/// `AddCustomerLog` in XML.
pub(super) fn xml_add(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(add(context, "neto-xml-add-log", Format::Xml))
}

/// `UpdateCustomerLog` in XML.
pub(super) fn xml_update(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(update(context, "neto-xml-update-log", Format::Xml))
}

/// `GetCustomer` (logs) in XML.
pub(super) fn xml_list(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(list(context, "neto-xml-list-logs", Format::Xml))
}

/// `AddCustomerLog` in JSON.
pub(super) fn json_add(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(add(context, "neto-json-add-log", Format::Json))
}

/// `UpdateCustomerLog` in JSON.
pub(super) fn json_update(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(update(context, "neto-json-update-log", Format::Json))
}

/// `GetCustomer` (logs) in JSON.
pub(super) fn json_list(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(list(context, "neto-json-list-logs", Format::Json))
}

/// More calls than the store's window allows, in a row: the client's pacer
/// spaces them under the limit, so every one is answered and none is refused
/// with `429` (a `429` would show as a second arrival of the same call).
pub(super) fn rate_limit(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "rate-limit";
        let customer = DEMO_CUSTOMERS[2];
        let interval = context.neto_pace.interval();
        let before = context.sandbox.requests_received(NETO_PATH);
        let mark = context.loopback.mark();
        let start = Instant::now();
        for _ in 0..RUN {
            context
                .neto_json
                .logs_of(customer)
                .await
                .map_err(failed(STEP))?;
        }
        let took = start.elapsed();
        let arrived = context.sandbox.requests_received(NETO_PATH) - before;
        let statuses: Vec<Option<u16>> = context
            .loopback
            .since(mark)
            .iter()
            .map(|e| e.status)
            .collect();
        expect(
            STEP,
            arrived == RUN as usize && statuses.iter().all(|s| *s == Some(200)),
            &format!("{RUN} arrivals, each answered 200"),
            || format!("{arrived} arrivals, statuses {statuses:?}"),
        )?;
        // The first call may go at once; each later one waits its turn.
        let least = interval * (RUN - 1);
        expect(
            STEP,
            took >= least,
            &format!("at least {} ms of pacing", millis(least)),
            || format!("{} ms", millis(took)),
        )?;
        Ok(Shown::done(
            format!(
                "{RUN} GetCustomer calls in a row for customer {customer}, against a store that allows {NETO_LIMIT} per {} ms (Neto's 500 per minute, scaled down in the demo's sandbox)",
                millis(NETO_WINDOW)
            ),
            format!(
                "the client's pacer spaced them {} ms apart: {RUN} answered 200 in {} ms, none refused with 429",
                millis(interval),
                millis(took)
            ),
        )
        .demonstrating("rate_limit"))
    })
}
