//! crmwire `strax-xml-protocol`: lands in a following commit.
