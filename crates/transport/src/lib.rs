//! crmwire `transport`: lands in a following commit.
