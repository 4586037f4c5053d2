//! The crmwire command line: lands in a following commit.
fn main() {}
