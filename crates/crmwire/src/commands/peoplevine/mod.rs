//! Peoplevine (customer notes, REST): the room for its commands. Today it holds the
//! profile type only: `service = "peoplevine"` profiles are parsed and checked, so
//! they can be written now; the commands come with the `notes-rest` client.

mod profile;

pub(crate) use profile::PeoplevineProfile;
