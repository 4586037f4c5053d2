//! `crmwire strax lead …` and `crmwire strax customer post`: posting records
//! from a file, streaming, in chunks, each chunk recorded in a delivery journal
//! before it is sent and its outcomes after the answer, so that a stopped run
//! can be resumed without sending a record twice or losing one.
//!
//! - `source`: the input, CSV or JSON Lines, one record at a time;
//! - `journal`: the delivery journal (SQLite);
//! - `deliver`: the loop that chunks, records, posts and records again.

// The commands that use these land next; until then only the tests do.
#![allow(dead_code)]

pub(crate) mod deliver;
pub(crate) mod journal;
pub(crate) mod source;
