//! The demo set-up: one site, one account and a handful of fictional customers.

use secrecy::SecretString;
use strax_xml_protocol::Customer;

use super::config::{SecurityTraxConfig, SeededCustomer};

/// The demo site: documents go to `/securitytrax/demo/<script>.php`.
pub const DEMO_SITE: &str = "demo";
/// The demo account's username.
pub const DEMO_USERNAME: &str = "demo";
/// The demo account's password. A published, fictional value: never a real secret.
pub const DEMO_PASSWORD: &str = "demo-password";
/// The demo account's partner id.
pub const DEMO_PARTNER_ID: &str = "1001";

impl SecurityTraxConfig {
    /// Site `demo`, account `demo` / `demo-password` / partner id `1001`, the
    /// `<system_request>` echo on, and five fictional customers (555-01xx phone
    /// numbers, example.com addresses):
    ///
    /// | id | who | account number | notable |
    /// |---|---|---|---|
    /// | 9710 | Avery Quill | 100971 | the id of the vendor's samples; every field but Phone3/Phone4 and the business fields |
    /// | 2237 | Brightline Bakery (Jordan Vale) | 100223 | a business: BusinessName and BusinessContact set |
    /// | 3105 | Casey Marlow | 100310 | the bare minimum: name, city, state, zip, Phone1 |
    /// | 4418 | Devon Ashby | 100441 | Phone1 to Phone4 all set |
    /// | 5523 | Emery Lark | none | no phone at all; only an email |
    ///
    /// ```
    /// use sandbox::securitytrax::SecurityTraxConfig;
    ///
    /// let config = SecurityTraxConfig::demo();
    /// assert_eq!(config.sites(), ["demo"]);
    /// assert_eq!(config.customers()[0].security_trax_unique_id(), "9710");
    /// ```
    #[must_use]
    pub fn demo() -> Self {
        let config = Self::new()
            .site(DEMO_SITE)
            .account(
                DEMO_USERNAME,
                SecretString::from(DEMO_PASSWORD),
                DEMO_PARTNER_ID,
            )
            .echo_system_request(true);
        demo_customers()
            .into_iter()
            .fold(config, SecurityTraxConfig::customer)
    }
}

/// A customer record filled in by `fill` (the record is non-exhaustive).
fn customer(fill: impl FnOnce(&mut Customer)) -> Customer {
    let mut record = Customer::default();
    fill(&mut record);
    record
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

fn demo_customers() -> Vec<SeededCustomer> {
    vec![
        SeededCustomer::new(
            "9710",
            customer(|c| {
                c.id = text("9710");
                c.first_name = text("Avery");
                c.last_name = text("Quill");
                c.city = text("Springfield");
                c.state = text("IL");
                c.county = text("Sangamon");
                c.zip = text("62701");
                c.address1 = text("100 Example Lane");
                c.address2 = text("Apt 4");
                c.cross_street = text("Sample Avenue");
                c.phone1 = text("2175550101");
                c.phone2 = text("2175550102");
                c.email = text("avery.quill@example.com");
                c.partner_company_id = text(DEMO_PARTNER_ID);
                c.partner_company_campaign_id = text("12");
                c.partner_company_unique_id = text("991234");
                c.sold_to_company_id = text("3");
                c.sold_to_company_unique_id = text("ST-9710");
            }),
        )
        .with_account_number("100971"),
        SeededCustomer::new(
            "2237",
            customer(|c| {
                c.id = text("2237");
                c.first_name = text("Jordan");
                c.last_name = text("Vale");
                c.business_contact = text("Jordan Vale");
                c.business_name = text("Brightline Bakery");
                c.city = text("Decatur");
                c.state = text("IL");
                c.county = text("Macon");
                c.zip = text("62521");
                c.address1 = text("200 Sample Street");
                c.cross_street = text("Placeholder Road");
                c.phone1 = text("2175550111");
                c.email = text("orders@brightline.example.com");
                c.partner_company_id = text(DEMO_PARTNER_ID);
                c.partner_company_unique_id = text("991235");
            }),
        )
        .with_account_number("100223"),
        SeededCustomer::new(
            "3105",
            customer(|c| {
                c.id = text("3105");
                c.first_name = text("Casey");
                c.last_name = text("Marlow");
                c.city = text("Peoria");
                c.state = text("IL");
                c.zip = text("61602");
                c.phone1 = text("3095550121");
            }),
        )
        .with_account_number("100310"),
        SeededCustomer::new(
            "4418",
            customer(|c| {
                c.id = text("4418");
                c.first_name = text("Devon");
                c.last_name = text("Ashby");
                c.city = text("Champaign");
                c.state = text("IL");
                c.county = text("Champaign");
                c.zip = text("61820");
                c.address1 = text("300 Demo Court");
                c.phone1 = text("2175550131");
                c.phone2 = text("2175550132");
                c.phone3 = text("2175550133");
                c.phone4 = text("2175550134");
                c.email = text("devon.ashby@example.com");
                c.partner_company_id = text(DEMO_PARTNER_ID);
                c.partner_company_campaign_id = text("14");
                c.sold_to_company_id = text("5");
            }),
        )
        .with_account_number("100441"),
        SeededCustomer::new(
            "5523",
            customer(|c| {
                c.id = text("5523");
                c.first_name = text("Emery");
                c.last_name = text("Lark");
                c.city = text("Urbana");
                c.state = text("IL");
                c.zip = text("61801");
                c.address1 = text("400 Fiction Boulevard");
                c.email = text("emery.lark@example.com");
            }),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_field_is_filled_in_some_demo_customer_and_empty_in_another() {
        let customers = SecurityTraxConfig::demo().customers;
        for (index, name) in Customer::FIELD_NAMES.iter().enumerate() {
            let values: Vec<Option<&str>> = customers
                .iter()
                .map(|c| c.record().documented_fields()[index].1)
                .collect();
            assert!(values.iter().any(Option::is_some), "{name} is never filled");
            let always_set = [
                "ID",
                "SecurityTraxUniqueID",
                "FirstName",
                "LastName",
                "City",
                "State",
                "Zip",
            ];
            if !always_set.contains(name) {
                assert!(values.iter().any(Option::is_none), "{name} is never empty");
            }
        }
    }

    #[test]
    fn demo_personal_data_is_fictional() {
        for customer in SecurityTraxConfig::demo().customers {
            let record = customer.record();
            for phone in [
                &record.phone1,
                &record.phone2,
                &record.phone3,
                &record.phone4,
            ]
            .into_iter()
            .flatten()
            {
                assert_eq!(&phone[3..7], "5550", "{phone}");
                assert!(phone[7..].starts_with('1'), "{phone}: 555-01xx only");
            }
            if let Some(email) = &record.email {
                assert!(email.ends_with("example.com"), "{email}");
            }
        }
    }
}
