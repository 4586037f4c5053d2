//! Which site and script a path under `/securitytrax` addresses.

use strax_xml_protocol::Script;

use super::config::SecurityTraxConfig;

/// A resolved `/{site}/{script}.php`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target<'p> {
    /// The accepted site the document was posted to.
    pub(crate) site: &'p str,
    /// The script it was posted to.
    pub(crate) script: Script,
}

/// Resolves `path` (after `/securitytrax`) or returns the 404 message.
pub(crate) fn resolve<'p>(
    path: &'p str,
    config: &SecurityTraxConfig,
) -> Result<Target<'p>, String> {
    let usage = || {
        format!(
            "expected /securitytrax/<site>/{}.php (reads) or /securitytrax/<site>/{}.php (writes)",
            config.requester_script, config.poster_script
        )
    };
    let rest = path.strip_prefix('/').unwrap_or(path);
    let Some((site, file)) = rest.split_once('/') else {
        return Err(format!("no SecurityTrax endpoint at {path}: {}", usage()));
    };
    if !config.sites.iter().any(|known| known == site) {
        return Err(format!(
            "unknown site `{site}`: this sandbox serves the sites [{}]",
            config.sites.join(", ")
        ));
    }
    let script = match file.strip_suffix(".php") {
        Some(name) if name == config.requester_script => Script::Requester,
        Some(name) if name == config.poster_script => Script::Poster,
        _ => return Err(format!("no script `{file}` on site `{site}`: {}", usage())),
    };
    Ok(Target { site, script })
}

/// The file name a script is served at, e.g. `informationposter.php`.
pub(crate) fn script_file(script: Script, config: &SecurityTraxConfig) -> String {
    match script {
        Script::Requester => format!("{}.php", config.requester_script),
        Script::Poster => format!("{}.php", config.poster_script),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_both_scripts_of_an_accepted_site() {
        let config = SecurityTraxConfig::demo();
        assert_eq!(
            resolve("/demo/informationrequester.php", &config),
            Ok(Target {
                site: "demo",
                script: Script::Requester
            })
        );
        assert_eq!(
            resolve("/demo/informationposter.php", &config).map(|t| t.script),
            Ok(Script::Poster)
        );
        let renamed = config.scripts("reader", "writer");
        assert_eq!(
            resolve("/demo/writer.php", &renamed).map(|t| t.script),
            Ok(Script::Poster)
        );
        assert_eq!(script_file(Script::Requester, &renamed), "reader.php");
    }

    #[test]
    fn refuses_unknown_sites_scripts_and_shapes() {
        let config = SecurityTraxConfig::demo();
        let unknown_site = resolve("/acme/informationposter.php", &config).unwrap_err();
        assert!(
            unknown_site.contains("unknown site `acme`"),
            "{unknown_site}"
        );
        assert!(unknown_site.contains("[demo]"), "{unknown_site}");
        for path in [
            "/",
            "/demo",
            "/demo/",
            "/demo/informationposter",
            "/demo/leadpostxml.php",
            "/demo/informationposter.php/extra",
        ] {
            let message = resolve(path, &config).unwrap_err();
            assert!(
                message.contains("expected /securitytrax/<site>/"),
                "{path}: {message}"
            );
        }
    }
}
