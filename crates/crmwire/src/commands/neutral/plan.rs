//! [`Plan`]: which profiles a neutral command sends to, and each one's
//! customer, decided before any secret is read or anything is started.

use facade::Service;

use super::NeutralError;
use crate::commands::{CommandError, Context};
use crate::config::{ConfigError, ProfileSpec};

/// Where a neutral command sends: configured profiles, or the embedded
/// sandbox's services.
#[derive(Debug)]
pub(crate) enum Plan {
    /// The named profiles of the config file, in the order named.
    Profiles(Vec<(String, ProfileSpec)>),
    /// The embedded sandbox's services, each under its own name.
    Sandbox(Vec<Service>),
}

/// The sandbox's services, in the order they are sent to.
const SANDBOX_SERVICES: [Service; 3] = [Service::SecurityTrax, Service::Peoplevine, Service::Neto];

impl Plan {
    /// The plan of `crmwire <command> …`: with `sandbox`, the sandbox services
    /// named by `--profile` on the command line (all three when none is
    /// named there); else the named
    /// profiles, which must exist. No profile and no `--sandbox` is an error
    /// saying how to configure one.
    pub(crate) fn new(
        context: &Context,
        sandbox: bool,
        command: &'static str,
    ) -> Result<Self, CommandError> {
        if let Some(twice) = context
            .profiles
            .iter()
            .enumerate()
            .find(|(i, name)| context.profiles[..*i].contains(name))
            .map(|(_, name)| name)
        {
            return Err(NeutralError::Twice(twice.clone()).into());
        }
        if sandbox {
            // `$CRMWIRE_PROFILE` names a configured profile, not a sandbox
            // service: only `--profile` on the command line picks services.
            if context.profiles.is_empty() || context.profiles_from_env {
                return Ok(Self::Sandbox(SANDBOX_SERVICES.to_vec()));
            }
            let services = context
                .profiles
                .iter()
                .map(|name| {
                    SANDBOX_SERVICES
                        .into_iter()
                        .find(|service| service.as_str() == name.as_str())
                        .ok_or_else(|| NeutralError::UnknownSandboxService(name.clone()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Self::Sandbox(services));
        }
        let location = &context.location;
        let no_profiles = || ConfigError::NoProfiles {
            command,
            path: location.path().map(std::path::Path::to_path_buf),
        };
        if context.profiles.is_empty() {
            return Err(no_profiles().into());
        }
        let Some(config) = location.load()? else {
            return Err(no_profiles().into());
        };
        let profiles = context
            .profiles
            .iter()
            .map(|name| Ok((name.clone(), config.profile(name)?.clone())))
            .collect::<Result<Vec<_>, ConfigError>>()?;
        Ok(Self::Profiles(profiles))
    }

    /// The entries' names, in order.
    pub(crate) fn names(&self) -> Vec<String> {
        match self {
            Self::Profiles(profiles) => profiles.iter().map(|(name, _)| name.clone()).collect(),
            Self::Sandbox(services) => services.iter().map(|s| s.as_str().to_owned()).collect(),
        }
    }

    /// The demo customer of entry `name`, for the sandbox.
    fn demo_customer(&self, name: &str) -> Option<String> {
        match self {
            Self::Profiles(_) => None,
            Self::Sandbox(_) => demo_customer(name),
        }
    }

    /// Each entry's customer, in order, from the `--customer` values: `ID`
    /// for every entry, `NAME=ID` for entry `NAME` (it wins over `ID`); with
    /// the sandbox, an entry with neither gets its service's first demo
    /// customer.
    pub(crate) fn customers(&self, values: &[String]) -> Result<Vec<String>, NeutralError> {
        let names = self.names();
        let mut shared: Option<&str> = None;
        let mut own: Vec<(&str, &str)> = Vec::new();
        for value in values {
            match value.split_once('=') {
                Some((name, id)) => {
                    let name = name.trim();
                    if !names.iter().any(|known| known == name) {
                        return Err(NeutralError::Customer(format!(
                            "--customer `{value}` names `{name}`, which is not a profile of this command (named: {})",
                            names.join(", ")
                        )));
                    }
                    if own.iter().any(|(known, _)| *known == name) {
                        return Err(NeutralError::Customer(format!(
                            "--customer gives profile `{name}` two customers"
                        )));
                    }
                    own.push((name, id));
                }
                None => {
                    if shared.is_some() {
                        return Err(NeutralError::Customer(
                            "--customer gives two customers for every profile; use PROFILE=ID for a profile's own".to_owned(),
                        ));
                    }
                    shared = Some(value);
                }
            }
        }
        names
            .iter()
            .map(|name| {
                own.iter()
                    .find(|(known, _)| known == name)
                    .map(|(_, id)| (*id).to_owned())
                    .or_else(|| shared.map(str::to_owned))
                    .or_else(|| self.demo_customer(name))
                    .ok_or_else(|| {
                        NeutralError::Customer(format!(
                            "no customer for profile `{name}`: give --customer ID (every profile) or --customer {name}=ID"
                        ))
                    })
            })
            .collect()
    }
}

/// The first demo customer of the sandbox service `name`.
pub(crate) fn demo_customer(name: &str) -> Option<String> {
    match name {
        "securitytrax" => sandbox::securitytrax::SecurityTraxConfig::demo()
            .customers()
            .first()
            .map(|customer| customer.security_trax_unique_id().to_owned()),
        "peoplevine" => Some(sandbox::peoplevine::DEMO_CUSTOMERS[0].to_string()),
        "neto" => sandbox::neto::DEMO_CUSTOMERS
            .first()
            .map(|c| (*c).to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn a_profile_s_own_customer_wins_over_the_shared_one() {
        let plan = Plan::Sandbox(SANDBOX_SERVICES.to_vec());
        assert_eq!(
            plan.customers(&strings(&["77", "neto=jo"])).unwrap(),
            ["77", "77", "jo"]
        );
        assert_eq!(plan.customers(&[]).unwrap(), ["9710", "501", "jo.citizen"]);
    }

    #[test]
    fn every_profile_needs_one_customer() {
        let plan = Plan::Profiles(Vec::new());
        assert!(plan.customers(&[]).unwrap().is_empty());
        let plan = Plan::Sandbox(vec![Service::Neto]);
        for (values, said) in [
            (&["a", "b"][..], "two customers for every profile"),
            (&["neto=a", "neto=b"][..], "profile `neto` two customers"),
            (&["club=7"][..], "`club`, which is not a profile"),
        ] {
            let err = plan.customers(&strings(values)).unwrap_err();
            assert!(err.to_string().contains(said), "{values:?}: {err}");
        }
    }
}
