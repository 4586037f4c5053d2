//! crmwire `strict-xml`: lands in a following commit.
