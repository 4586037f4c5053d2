//! Snapshot tests over the generated fixtures (`cargo xtask codegen` writes the
//! test list; `support` holds the helpers).

mod support;

#[path = "generated/fixture_cases.rs"]
mod fixture_cases;
