//! From the command line to a SecurityTrax operation, and from the protocol's
//! field names back to the command line's options in error messages.

use facade::securitytrax::protocol::{
    format_wire_datetime, jiff::civil::DateTime, parse_wire_datetime,
};
use facade::securitytrax::{
    CreateCustomerNote, CreateTechSchedule, GetAppointmentAvailability, GetCustomerStatus,
    GetSecurityTraxUniqueId, IdType, NoteType, Operation, RequestType, ServiceType, TicketType,
    UpdateConfirmationNumber,
};

use std::borrow::Cow;

use wire_core::validation::{Record, Rule, Violations};

use super::args::{
    AppointmentCommand, ConfirmationCommand, CustomerCommand, NoteCommand, NoteKindArg,
    ServiceKindArg, StraxCommand, TicketArg,
};
use super::error::StraxError;
use crate::commands::failure::{self, Problem};

/// How a date-time option must be written.
const WHEN_FORMAT: &str = "a local date and time written MM/DD/YYYY H:MM (24 h), \
     e.g. \"01/23/2014 7:30\", or YYYY-MM-DDTHH:MM";

/// What a date-time option with a UTC offset or a time zone breaks.
const LOCAL_ONLY: &str = "the customer's local time, without a UTC offset or time zone \
     (SecurityTrax stores times as the customer's wall-clock time): MM/DD/YYYY H:MM or \
     YYYY-MM-DDTHH:MM";

/// The operation a subcommand asks for. Only date-times are checked here; every
/// other rule is the protocol's, checked once when the call encodes it.
pub(crate) fn operation(command: &StraxCommand) -> Result<Operation, StraxError> {
    Ok(match command {
        StraxCommand::Note(NoteCommand::Add(args)) => CreateCustomerNote {
            ticket_type: args.ticket.map(TicketType::from),
            user_id: args.user.clone(),
            partner_company_unique_id: args.partner_id.clone(),
            ..CreateCustomerNote::new(
                args.customer.clone(),
                args.subject.clone(),
                args.text.clone(),
                NoteType::from(args.note_type),
            )
        }
        .into(),
        StraxCommand::Appointment(AppointmentCommand::Create(args)) => CreateTechSchedule {
            tech_id: args.tech.clone(),
            service_detail_type: args.detail.clone(),
            notes: args.notes.clone(),
            ..CreateTechSchedule::new(
                args.customer.clone(),
                parse_when("--start", "StartTime", &args.start)?,
                parse_when("--end", "EndTime", &args.end)?,
                ServiceType::from(args.service_type),
            )
        }
        .into(),
        StraxCommand::Availability(args) => GetAppointmentAvailability {
            city: args.city.clone(),
            state: args.state.clone(),
            zip: args.zip.clone(),
            address: args.address.clone(),
            latitude: args.lat.clone(),
            longitude: args.lon.clone(),
            ..GetAppointmentAvailability::new(
                parse_when("--start", "StartTime", &args.start)?,
                parse_when("--end", "EndTime", &args.end)?,
            )
        }
        .into(),
        StraxCommand::Customer(CustomerCommand::Get(args)) => GetCustomerStatus {
            security_trax_unique_id: args.customer.clone(),
        }
        .into(),
        StraxCommand::Customer(CustomerCommand::Find(args)) => {
            let (id_type, id) = match (&args.phone, &args.account) {
                (Some(phone), _) => (IdType::PhoneNumber, phone.clone()),
                (None, Some(account)) => (IdType::AccountNumber, account.clone()),
                // clap's required group makes this unreachable; refuse it all the same.
                (None, None) => {
                    return Err(StraxError::InvalidInput(vec![Problem::of_option(
                        "--phone",
                        "ID",
                        &Rule::Required,
                        "",
                    )]));
                }
            };
            GetSecurityTraxUniqueId { id_type, id }.into()
        }
        StraxCommand::Lead(_) | StraxCommand::Customer(CustomerCommand::Post(_)) => {
            unreachable!(
                "posting from a file is not one operation: `strax::run` hands it to `lead`"
            )
        }
        StraxCommand::Confirmation(ConfirmationCommand::Set(args)) => UpdateConfirmationNumber {
            security_trax_unique_id: args.customer.clone(),
            confirmation_number: args.number.clone(),
        }
        .into(),
    })
}

/// `violations` of `operation`, described with its options.
pub(crate) fn invalid(operation: &Operation, violations: &Violations) -> StraxError {
    let namer =
        |record: Option<&Record>, field: &str| record.and_then(|_| option_for(operation, field));
    StraxError::InvalidInput(failure::describe(violations, &namer))
}

/// The command-line option that sets the wire field `field` of `operation`.
pub(crate) fn option_for(operation: &Operation, field: &str) -> Option<&'static str> {
    Some(match (operation.request_type(), field) {
        (RequestType::GetCustomerStatus, "SecurityTraxUniqueID") => "CUSTOMER",
        (_, "SecurityTraxUniqueID") => "--customer",
        (_, "NoteSubject") => "--subject",
        (_, "NoteText") => "--text",
        (_, "NoteTypeID") => "--type",
        (_, "TicketTypeID") => "--ticket",
        (_, "UserID") => "--user",
        (_, "PartnerCompanyUniqueID") => "--partner-id",
        (_, "TechID") => "--tech",
        (_, "StartTime") => "--start",
        (_, "EndTime") => "--end",
        (_, "ServiceType") => "--service-type",
        (_, "ServiceDetailType") => "--detail",
        (_, "Notes") => "--notes",
        (_, "City") => "--city",
        (_, "State") => "--state",
        (_, "Zip") => "--zip",
        (_, "Address") => "--address",
        (_, "Latitude") => "--lat",
        (_, "Longitude") => "--lon",
        (_, "ConfirmationNumber") => "--number",
        (_, "IDType" | "ID") => match operation {
            Operation::GetSecurityTraxUniqueId(GetSecurityTraxUniqueId {
                id_type: IdType::AccountNumber,
                ..
            }) => "--account",
            _ => "--phone",
        },
        _ => return None,
    })
}

/// Reads a local date-time: `M/D/YYYY H:MM` (SecurityTrax's own form, one or two
/// digits for month, day and hour) or ISO 8601 (`2014-01-23T07:30`).
///
/// A UTC offset or a time zone (`Z`, `+01:00`, `[Europe/Paris]`) is refused:
/// SecurityTrax times are the customer's local time, and dropping the offset
/// silently would book another hour.
pub(crate) fn parse_when(
    option: &'static str,
    field: &'static str,
    text: &str,
) -> Result<DateTime, StraxError> {
    let trimmed = text.trim();
    let refuse = |expected: &'static str| {
        let rule = Rule::Format {
            expected: Cow::Borrowed(expected),
        };
        StraxError::InvalidInput(vec![Problem::of_option(option, field, &rule, text)])
    };
    if let Some(at) = parse_wire_datetime(trimmed) {
        return Ok(at);
    }
    if has_offset_or_zone(trimmed) {
        return Err(refuse(LOCAL_ONLY));
    }
    trimmed.parse::<DateTime>().map_err(|_| refuse(WHEN_FORMAT))
}

/// Whether an ISO 8601 date-time names an offset or zone after its time: `Z`,
/// `+HH:MM`, `-HH:MM` or a bracketed zone.
fn has_offset_or_zone(text: &str) -> bool {
    let iso_date = text.len() > 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    let Some(time) = text.get(11..).filter(|_| iso_date) else {
        return false;
    };
    time.contains(['Z', 'z', '+', '-', '[', '\u{2212}'])
}

/// A date-time as SecurityTrax writes it, for people: `01/23/2014 7:30`.
pub(crate) fn show_when(at: DateTime) -> String {
    format_wire_datetime(at)
}

impl From<NoteKindArg> for NoteType {
    fn from(kind: NoteKindArg) -> Self {
        match kind {
            NoteKindArg::Sales => Self::Sales,
            NoteKindArg::Technician => Self::Technician,
            NoteKindArg::Lead => Self::Lead,
        }
    }
}

impl From<TicketArg> for TicketType {
    fn from(ticket: TicketArg) -> Self {
        match ticket {
            TicketArg::Open => Self::Open,
            TicketArg::Closed => Self::Closed,
        }
    }
}

impl From<ServiceKindArg> for ServiceType {
    fn from(kind: ServiceKindArg) -> Self {
        match kind {
            ServiceKindArg::Install => Self::Install,
            ServiceKindArg::Service => Self::Service,
            ServiceKindArg::RipOut => Self::RipOut,
        }
    }
}

#[cfg(test)]
mod tests {
    use facade::securitytrax::protocol::jiff::civil::date;
    use facade::securitytrax::{Client, Credentials, Endpoint};
    use facade::transport::TransportError;

    use super::*;
    use crate::commands::strax::args::{
        AppointmentCreateArgs, AvailabilityArgs, ConfirmationSetArgs, CustomerGetArgs, FindArgs,
        NoteAddArgs,
    };

    fn note(customer: &str) -> StraxCommand {
        StraxCommand::Note(NoteCommand::Add(NoteAddArgs {
            customer: customer.into(),
            subject: "Yard sign".into(),
            text: "Wants a new yard sign".into(),
            note_type: NoteKindArg::Lead,
            ticket: Some(TicketArg::Closed),
            user: Some("1024".into()),
            partner_id: Some("991234".into()),
        }))
    }

    fn availability(start: &str, end: &str) -> AvailabilityArgs {
        AvailabilityArgs {
            start: start.into(),
            end: end.into(),
            city: None,
            state: None,
            zip: None,
            address: None,
            lat: None,
            lon: None,
        }
    }

    #[test]
    fn reads_both_date_forms() {
        let at = date(2014, 1, 23).at(7, 30, 0, 0);
        for text in [
            "01/23/2014 7:30",
            "1/23/2014 07:30",
            " 01/23/2014 7:30 ",
            "2014-01-23T07:30",
            "2014-01-23 07:30",
        ] {
            assert_eq!(
                parse_when("--start", "StartTime", text).unwrap(),
                at,
                "{text}"
            );
        }
        assert_eq!(show_when(at), "01/23/2014 7:30");
        assert_eq!(
            show_when(date(2014, 12, 3).at(17, 5, 0, 0)),
            "12/03/2014 17:05"
        );
    }

    #[test]
    fn an_unreadable_date_names_the_option_and_the_form() {
        for text in [
            "tomorrow",
            "13/01/2014 7:30",
            "02/30/2014 7:30",
            "01/23/14 7:30",
            "01/23/2014 7:3",
            "01/23/2014",
            "",
        ] {
            let err = parse_when("--end", "EndTime", text).unwrap_err();
            let message = err.to_string();
            assert!(
                message.starts_with(&format!("invalid input, nothing was sent: --end `{text}`")),
                "{message}"
            );
            assert!(message.contains("MM/DD/YYYY H:MM"), "{message}");
        }
    }

    #[test]
    fn a_utc_offset_or_zone_is_refused_naming_the_option() {
        for text in [
            "2014-01-23T07:30+01:00",
            "2014-01-23T07:30-05:00",
            "2014-01-23T07:30Z",
            "2014-01-23 07:30:00z",
            "2014-01-23T07:30[Europe/Paris]",
            "2014-01-23T07:30+01:00[Europe/Paris]",
        ] {
            let err = parse_when("--start", "StartTime", text).unwrap_err();
            let message = err.to_string();
            assert!(
                message.starts_with(&format!(
                    "invalid input, nothing was sent: --start `{text}` must be the customer's local time, without a UTC offset or time zone"
                )),
                "{message}"
            );
            let problems = err.problems().unwrap();
            assert_eq!(problems.len(), 1);
            let json = serde_json::to_value(&problems[0]).unwrap();
            assert_eq!(json["option"], "--start");
            assert_eq!(json["field"], "StartTime");
            assert_eq!(json["rule"], "format");
        }
        // An offset-free time is still read, whatever else the text holds.
        assert!(parse_when("--start", "StartTime", "2014-01-23T07:30:00").is_ok());
    }

    #[test]
    fn every_subcommand_becomes_its_operation() {
        let Operation::CreateCustomerNote(op) = operation(&note("9710")).unwrap() else {
            panic!("expected a note");
        };
        assert_eq!(op.note_type, NoteType::Lead);
        assert_eq!(op.ticket_type, Some(TicketType::Closed));
        assert_eq!(op.partner_company_unique_id.as_deref(), Some("991234"));

        let create = StraxCommand::Appointment(AppointmentCommand::Create(AppointmentCreateArgs {
            customer: "9710".into(),
            start: "01/23/2014 7:30".into(),
            end: "2014-01-23T09:00".into(),
            service_type: ServiceKindArg::RipOut,
            tech: Some("7".into()),
            detail: None,
            notes: Some("Gate code 12".into()),
        }));
        let Operation::CreateTechSchedule(op) = operation(&create).unwrap() else {
            panic!("expected an appointment");
        };
        assert_eq!(op.service_type, ServiceType::RipOut);
        assert_eq!(op.end_time, date(2014, 1, 23).at(9, 0, 0, 0));
        assert_eq!(op.tech_id.as_deref(), Some("7"));

        let get = StraxCommand::Customer(CustomerCommand::Get(CustomerGetArgs {
            customer: "2237".into(),
        }));
        assert_eq!(
            operation(&get).unwrap().request_type(),
            RequestType::GetCustomerStatus
        );
        let find = StraxCommand::Customer(CustomerCommand::Find(FindArgs {
            phone: None,
            account: Some("100971".into()),
        }));
        let Operation::GetSecurityTraxUniqueId(op) = operation(&find).unwrap() else {
            panic!("expected a look-up");
        };
        assert_eq!(op.id_type, IdType::AccountNumber);
        let set = StraxCommand::Confirmation(ConfirmationCommand::Set(ConfirmationSetArgs {
            customer: "9710".into(),
            number: "206".into(),
        }));
        assert_eq!(
            operation(&set).unwrap().request_type(),
            RequestType::UpdateConfirmationNumber
        );
        let neither = StraxCommand::Customer(CustomerCommand::Find(FindArgs {
            phone: None,
            account: None,
        }));
        assert!(operation(&neither).is_err());
    }

    #[test]
    fn a_bad_date_in_a_subcommand_is_refused_before_building_anything() {
        let query = StraxCommand::Availability(availability("soon", "01/23/2014 9:00"));
        let err = operation(&query).unwrap_err();
        assert!(err.to_string().contains("--start `soon`"), "{err}");
    }

    /// What the facade says of `operation` when it prepares it (the protocol's
    /// one validation), as the command reports it.
    fn check(operation: &Operation) -> Result<(), StraxError> {
        let never = |_request: http::Request<bytes::Bytes>| async {
            Err::<http::Response<bytes::Bytes>, _>(TransportError::not_sent("never sent"))
        };
        let client = Client::new(
            Endpoint::new("https://crm.example.com", "acme").unwrap(),
            Credentials::new("api-user", "secret", "77"),
            never,
        );
        client
            .prepare(operation.clone())
            .map(drop)
            .map_err(|error| crate::commands::strax::call_error(operation, error))
    }

    #[test]
    fn broken_rules_name_the_option_the_field_and_the_rule() {
        let err = check(&operation(&note("97x0")).unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input, nothing was sent: --customer (SecurityTraxUniqueID) must be digits only (0-9)"
        );

        let query = StraxCommand::Availability(availability("01/23/2014 9:00", "01/23/2014 7:30"));
        let err = check(&operation(&query).unwrap()).unwrap_err().to_string();
        assert!(
            err.contains("--end (EndTime) must be after --start"),
            "{err}"
        );
        assert!(
            err.contains("one of --city, --state, --zip, --address, --lat, --lon is required"),
            "{err}"
        );

        let get = operation(&StraxCommand::Customer(CustomerCommand::Get(
            CustomerGetArgs {
                customer: String::new(),
            },
        )))
        .unwrap();
        assert!(
            check(&get)
                .unwrap_err()
                .to_string()
                .contains("CUSTOMER (SecurityTraxUniqueID) is required")
        );
        assert!(check(&operation(&note("9710")).unwrap()).is_ok());
    }

    #[test]
    fn look_up_fields_are_named_after_the_option_used() {
        let by_account = Operation::from(GetSecurityTraxUniqueId {
            id_type: IdType::AccountNumber,
            id: String::new(),
        });
        assert_eq!(option_for(&by_account, "ID"), Some("--account"));
        let by_phone = Operation::from(GetSecurityTraxUniqueId {
            id_type: IdType::PhoneNumber,
            id: String::new(),
        });
        assert_eq!(option_for(&by_phone, "ID"), Some("--phone"));
        assert!(
            check(&by_phone)
                .unwrap_err()
                .to_string()
                .contains("--phone (ID) is required")
        );
    }
}
