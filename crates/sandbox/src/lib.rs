//! crmwire `sandbox`: lands in a following commit.
