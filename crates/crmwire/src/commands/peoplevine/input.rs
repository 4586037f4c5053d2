//! The arguments as protocol values: a request body, a page, a list.

use facade::peoplevine::{
    Endpoint, List, NewNote, NoteReferenceType, NoteUpdate, PageRequest, Patch,
};
use wire_core::validation::{Rule, Violation, Violations};

use super::PvError;
use super::args::{ClearField, NoteAddArgs, NoteCommand, NoteUpdateArgs};

/// What a command will send.
#[derive(Debug)]
pub(crate) enum Planned {
    Add {
        customer: i64,
        note: NewNote,
    },
    Get {
        id: i64,
    },
    Update {
        id: i64,
        update: NoteUpdate,
    },
    List {
        list: List,
        page: PageRequest,
        all: bool,
    },
}

impl Planned {
    /// The (first) request, for `--dry-run`.
    pub(crate) fn request(&self, endpoint: &Endpoint) -> http::Request<bytes::Bytes> {
        match self {
            Self::Add { customer, note } => endpoint.create_customer_note(*customer, note),
            Self::Get { id } => endpoint.get_customer_note(*id),
            Self::Update { id, update } => endpoint.update_customer_note(*id, update),
            Self::List {
                list: List::Customer(id),
                page,
                ..
            } => endpoint.list_customer_notes(*id, *page),
            Self::List { page, .. } => endpoint.list_notes(*page),
        }
    }
}

/// Checks the arguments and builds what will be sent.
pub(crate) fn plan(command: &NoteCommand) -> Result<Planned, PvError> {
    Ok(match command {
        NoteCommand::Add(args) => Planned::Add {
            customer: args.customer,
            note: new_note(args)?,
        },
        NoteCommand::Get(args) => Planned::Get { id: args.id },
        NoteCommand::Update(args) => Planned::Update {
            id: args.id,
            update: update(args)?,
        },
        NoteCommand::List(args) => {
            let (page, all) = super::pages(&args.pages)?;
            Planned::List {
                list: List::Customer(args.customer),
                page,
                all,
            }
        }
        NoteCommand::ListAll(args) => {
            let (page, all) = super::pages(args)?;
            Planned::List {
                list: List::All,
                page,
                all,
            }
        }
    })
}

fn reference_type(text: &str) -> Result<NoteReferenceType, Violation> {
    let value = NoteReferenceType::from_wire(text);
    if value.is_documented() {
        Ok(value)
    } else {
        Err(Violation::of_request(
            "reference_type",
            Rule::OneOf(
                NoteReferenceType::DOCUMENTED
                    .iter()
                    .map(|v| v.as_str().to_owned().into())
                    .collect(),
            ),
        ))
    }
}

fn new_note(args: &NoteAddArgs) -> Result<NewNote, PvError> {
    let blank = |text: &Option<String>| text.as_deref().is_none_or(|t| t.trim().is_empty());
    let mut violations = Vec::new();
    if blank(&args.subject) && blank(&args.details) {
        violations.push(Violation::of_request(
            "subject",
            Rule::AtLeastOneOf(vec!["details".into()]),
        ));
    }
    let reference = match args.reference_type.as_deref().map(reference_type) {
        Some(Err(violation)) => {
            violations.push(violation);
            None
        }
        Some(Ok(value)) => Some(value),
        None => None,
    };
    check(violations)?;
    Ok(NewNote {
        kind: args.kind.clone(),
        details: args.details.clone(),
        reminder: args.reminder.clone(),
        status: args.status.map(|s| s.wire().to_owned()),
        reference_type: reference,
        reference_id: args.reference_id,
        subject: args.subject.clone(),
        confidential: args.confidential.then_some(true),
        priority: args.priority.then_some(true),
        tags: (!args.tags.is_empty()).then(|| args.tags.clone()),
        assignees: (!args.assignees.is_empty()).then(|| args.assignees.clone()),
    })
}

fn update(args: &NoteUpdateArgs) -> Result<NoteUpdate, PvError> {
    let mut violations = Vec::new();
    let cleared = |field: ClearField| args.clear.contains(&field);
    // A value and --clear for one field contradict each other.
    let mut field = |name: &'static str, value: Option<String>, clear: bool| -> Patch<String> {
        match (value, clear) {
            (Some(_), true) => {
                violations.push(Violation::of_request(
                    name,
                    Rule::Other {
                        code: "set_and_cleared",
                        message: "is both given and cleared with --clear".into(),
                    },
                ));
                Patch::Unchanged
            }
            (Some(value), false) => Patch::Value(value),
            (None, true) => Patch::Null,
            (None, false) => Patch::Unchanged,
        }
    };
    let mut update = NoteUpdate {
        subject: field(
            "subject",
            args.subject.clone(),
            cleared(ClearField::Subject),
        ),
        details: field(
            "details",
            args.details.clone(),
            cleared(ClearField::Details),
        ),
        kind: field("type", args.kind.clone(), cleared(ClearField::Type)),
        reminder: field(
            "reminder",
            args.reminder.clone(),
            cleared(ClearField::Reminder),
        ),
        reference_id: field(
            "reference_id",
            args.reference_id.map(|id| id.to_string()),
            cleared(ClearField::ReferenceId),
        ),
        status: field("status", args.status.map(|s| s.wire().to_owned()), false),
        customer_id: field("customer_id", args.customer.map(|id| id.to_string()), false),
        confidential: field(
            "confidential",
            args.confidential.map(|b| b.to_string()),
            false,
        ),
        priority: field("priority", args.priority.map(|b| b.to_string()), false),
        reference_type: Patch::Unchanged,
        tags: Patch::Unchanged,
    };
    update.tags = match (args.tags.is_empty(), cleared(ClearField::Tags)) {
        (false, true) => {
            violations.push(Violation::of_request(
                "tags",
                Rule::Other {
                    code: "set_and_cleared",
                    message: "is both given and cleared with --clear".into(),
                },
            ));
            Patch::Unchanged
        }
        (false, false) => Patch::Value(args.tags.clone()),
        (true, true) => Patch::Null,
        (true, false) => Patch::Unchanged,
    };
    if let Some(text) = &args.reference_type {
        match reference_type(text) {
            Ok(value) => update.reference_type = Patch::Value(value.as_str().to_owned()),
            Err(violation) => violations.push(violation),
        }
    }
    let body = serde_json::to_value(&update).unwrap_or_default();
    if violations.is_empty() && body.as_object().is_some_and(serde_json::Map::is_empty) {
        violations.push(Violation::of_request(
            "subject",
            Rule::AtLeastOneOf(vec![
                "details".into(),
                "type".into(),
                "status".into(),
                "reminder".into(),
                "reference_type".into(),
                "reference_id".into(),
                "customer_id".into(),
                "confidential".into(),
                "priority".into(),
                "tags".into(),
                "clear".into(),
            ]),
        ));
    }
    check(violations)?;
    Ok(update)
}

fn check(violations: Vec<Violation>) -> Result<(), PvError> {
    Violations::check(violations).map_err(|violations| PvError::invalid(&violations))
}
