//! Neto by Maropost (customer logs): the room for its commands. Today it holds the
//! profile type only: `service = "neto"` profiles are parsed and checked, so they
//! can be written now; the commands come with the `neto-api` client.

mod profile;

pub(crate) use profile::NetoProfile;
