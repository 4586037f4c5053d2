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

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

fn demo_customers() -> Vec<SeededCustomer> {
    vec![
        SeededCustomer::new(
            "9710",
            Customer {
                id: text("9710"),
                first_name: text("Avery"),
                last_name: text("Quill"),
                city: text("Springfield"),
                state: text("IL"),
                county: text("Sangamon"),
                zip: text("62701"),
                address1: text("100 Example Lane"),
                address2: text("Apt 4"),
                cross_street: text("Sample Avenue"),
                phone1: text("2175550101"),
                phone2: text("2175550102"),
                email: text("avery.quill@example.com"),
                partner_company_id: text(DEMO_PARTNER_ID),
                partner_company_campaign_id: text("12"),
                partner_company_unique_id: text("991234"),
                sold_to_company_id: text("3"),
                sold_to_company_unique_id: text("ST-9710"),
                ..Customer::default()
            },
        )
        .with_account_number("100971"),
        SeededCustomer::new(
            "2237",
            Customer {
                id: text("2237"),
                first_name: text("Jordan"),
                last_name: text("Vale"),
                business_contact: text("Jordan Vale"),
                business_name: text("Brightline Bakery"),
                city: text("Decatur"),
                state: text("IL"),
                county: text("Macon"),
                zip: text("62521"),
                address1: text("200 Sample Street"),
                cross_street: text("Placeholder Road"),
                phone1: text("2175550111"),
                email: text("orders@brightline.example.com"),
                partner_company_id: text(DEMO_PARTNER_ID),
                partner_company_unique_id: text("991235"),
                ..Customer::default()
            },
        )
        .with_account_number("100223"),
        SeededCustomer::new(
            "3105",
            Customer {
                id: text("3105"),
                first_name: text("Casey"),
                last_name: text("Marlow"),
                city: text("Peoria"),
                state: text("IL"),
                zip: text("61602"),
                phone1: text("3095550121"),
                ..Customer::default()
            },
        )
        .with_account_number("100310"),
        SeededCustomer::new(
            "4418",
            Customer {
                id: text("4418"),
                first_name: text("Devon"),
                last_name: text("Ashby"),
                city: text("Champaign"),
                state: text("IL"),
                county: text("Champaign"),
                zip: text("61820"),
                address1: text("300 Demo Court"),
                phone1: text("2175550131"),
                phone2: text("2175550132"),
                phone3: text("2175550133"),
                phone4: text("2175550134"),
                email: text("devon.ashby@example.com"),
                partner_company_id: text(DEMO_PARTNER_ID),
                partner_company_campaign_id: text("14"),
                sold_to_company_id: text("5"),
                ..Customer::default()
            },
        )
        .with_account_number("100441"),
        SeededCustomer::new(
            "5523",
            Customer {
                id: text("5523"),
                first_name: text("Emery"),
                last_name: text("Lark"),
                city: text("Urbana"),
                state: text("IL"),
                zip: text("61801"),
                address1: text("400 Fiction Boulevard"),
                email: text("emery.lark@example.com"),
                ..Customer::default()
            },
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
