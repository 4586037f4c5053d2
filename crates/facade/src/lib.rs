//! crmwire `facade`: lands in a following commit.
