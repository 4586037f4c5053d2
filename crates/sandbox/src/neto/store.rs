//! The logs the simulated service holds, per store.

use std::collections::BTreeMap;

use neto_api::{CustomerLog, CustomerLogUpdate, NetoDateTime, NewCustomerLog};

/// A customer log as the simulated service stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredLog {
    /// Its `LogID`.
    pub log_id: u64,
    /// The store it belongs to.
    pub store: String,
    /// The fields as last added or updated (`username` is the customer's).
    pub fields: NewCustomerLog,
    /// When it was added (the sandbox's clock, UTC).
    pub added: NetoDateTime,
    /// How many updates it received.
    pub updates: u32,
}

impl StoredLog {
    /// The log as `GetCustomer` answers it.
    pub(crate) fn to_customer_log(&self) -> CustomerLog {
        let mut log = CustomerLog::new(self.log_id);
        log.customer = self.fields.username.clone();
        log.allocated_to = self.fields.allocated_to.clone();
        log.status = self.fields.status.clone();
        log.date_required_follow_up = self.fields.date_required_follow_up;
        log.last_contacted = self.fields.last_contacted;
        // The simulated store keeps its local time in UTC.
        log.last_contacted_local = self.fields.last_contacted;
        log.last_contacted_utc = self.fields.last_contacted;
        log.notes = self.fields.notes.clone();
        log
    }
}

/// Every store's logs.
#[derive(Debug, Default)]
pub(crate) struct Store {
    next_id: u64,
    logs: BTreeMap<u64, StoredLog>,
}

impl Store {
    pub(crate) fn add(&mut self, store: &str, fields: NewCustomerLog, now: NetoDateTime) -> u64 {
        self.next_id += 1;
        let log_id = 1000 + self.next_id;
        self.logs.insert(
            log_id,
            StoredLog {
                log_id,
                store: store.to_owned(),
                fields,
                added: now,
                updates: 0,
            },
        );
        log_id
    }

    pub(crate) fn exists(&self, store: &str, log_id: &str) -> bool {
        self.find(store, log_id).is_some()
    }

    fn find(&self, store: &str, log_id: &str) -> Option<u64> {
        let id = log_id.parse::<u64>().ok()?;
        self.logs
            .get(&id)
            .filter(|log| log.store == store)
            .map(|_| id)
    }

    /// Sets the given fields of the log (which must exist).
    pub(crate) fn update(&mut self, store: &str, update: &CustomerLogUpdate) {
        let Some(id) = self.find(store, &update.log_id) else {
            return;
        };
        let Some(log) = self.logs.get_mut(&id) else {
            return;
        };
        let f = &mut log.fields;
        let set = |target: &mut Option<String>, value: &Option<String>| {
            if value.is_some() {
                target.clone_from(value);
            }
        };
        set(&mut f.allocated_to, &update.allocated_to);
        set(&mut f.follow_up_type, &update.follow_up_type);
        set(&mut f.customer_name, &update.customer_name);
        set(&mut f.notes, &update.notes);
        if update.last_contacted.is_some() {
            f.last_contacted = update.last_contacted;
        }
        if update.date_required_follow_up.is_some() {
            f.date_required_follow_up = update.date_required_follow_up;
        }
        if update.status.is_some() {
            f.status.clone_from(&update.status);
        }
        log.updates += 1;
    }

    pub(crate) fn logs(&self, store: &str) -> Vec<StoredLog> {
        self.logs
            .values()
            .filter(|log| log.store == store)
            .cloned()
            .collect()
    }

    pub(crate) fn logs_of(&self, store: &str, username: &str) -> Vec<CustomerLog> {
        self.logs
            .values()
            .filter(|log| {
                log.store == store
                    && log
                        .fields
                        .username
                        .as_deref()
                        .is_some_and(|u| u.eq_ignore_ascii_case(username))
            })
            .map(StoredLog::to_customer_log)
            .collect()
    }
}
