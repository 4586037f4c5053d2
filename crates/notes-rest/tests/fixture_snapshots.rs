//! Snapshot tests over the documented responses of the spec (`cargo xtask
//! codegen` writes the list; `support` holds the helper).

mod support;

#[path = "generated/fixture_cases.rs"]
mod fixture_cases;
