//! Settings: command-line flags, then `PORTOLAN_*` environment variables,
//! then an optional `portolan.toml`, then defaults.

use clap::Parser;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portolan.db";

#[derive(Debug, Parser)]
#[command(
    name = "portolan",
    version,
    about = "Portolan, a self-hostable internal developer portal"
)]
struct Flags {
    /// Address to listen on.
    #[arg(long, env = "PORTOLAN_ADDR")]
    addr: Option<String>,
    /// sqlite://<file> (embedded, the default) or postgres://user@host/db.
    #[arg(long, env = "PORTOLAN_DATABASE_URL")]
    database_url: Option<String>,
    /// 1 seeds demo data into an empty database.
    #[arg(long, env = "PORTOLAN_DEMO_DATA")]
    demo_data: Option<String>,
    /// With --admin-client-secret: admin machine credentials created (or
    /// kept) at start, for scripts that bootstrap a portal via the API.
    #[arg(long, env = "PORTOLAN_ADMIN_CLIENT_ID")]
    admin_client_id: Option<String>,
    #[arg(long, env = "PORTOLAN_ADMIN_CLIENT_SECRET", hide_env_values = true)]
    admin_client_secret: Option<String>,
    /// E-mail of the first admin (default admin@portolan.local).
    #[arg(long, env = "PORTOLAN_ADMIN_EMAIL")]
    admin_email: Option<String>,
    /// That admin's password, set at every start; without it a password is
    /// generated (and printed once) when no admin can sign in.
    #[arg(long, env = "PORTOLAN_ADMIN_PASSWORD", hide_env_values = true)]
    admin_password: Option<String>,
    /// A session ends after this long without activity (default 3d).
    #[arg(long, env = "PORTOLAN_SESSION_IDLE")]
    session_idle: Option<String>,
    /// A session ends this long after sign-in, whatever the activity (default 7d).
    #[arg(long, env = "PORTOLAN_SESSION_MAX")]
    session_max: Option<String>,
    /// The portal's public URL (https://… makes cookies Secure).
    #[arg(long, env = "PORTOLAN_PUBLIC_URL")]
    public_url: Option<String>,
    /// Reverse proxies (addresses or CIDR blocks, comma-separated) whose
    /// X-Forwarded-For names the client, for the sign-in rate limits.
    #[arg(long, env = "PORTOLAN_TRUSTED_PROXIES")]
    trusted_proxies: Option<String>,
    /// OpenID Connect issuer URL; setting it turns single sign-on on.
    #[arg(long, env = "PORTOLAN_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    #[arg(long, env = "PORTOLAN_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    #[arg(long, env = "PORTOLAN_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    /// Default: <public URL>/auth/oidc/callback.
    #[arg(long, env = "PORTOLAN_OIDC_REDIRECT_URL")]
    oidc_redirect_url: Option<String>,
    /// Space- or comma-separated (default: openid email profile).
    #[arg(long, env = "PORTOLAN_OIDC_SCOPES")]
    oidc_scopes: Option<String>,
    /// The ID token claim listing the person's groups (default: groups).
    #[arg(long, env = "PORTOLAN_OIDC_GROUPS_CLAIM")]
    oidc_groups_claim: Option<String>,
    /// 1 creates unknown SSO users as Members; 0 (default) refuses them.
    #[arg(long, env = "PORTOLAN_OIDC_AUTO_PROVISION")]
    oidc_auto_provision: Option<String>,
    /// The provider's name on the login button (default: SSO).
    #[arg(long, env = "PORTOLAN_OIDC_NAME")]
    oidc_name: Option<String>,
    /// Appends the plan of each distinct catalog read to this file (JSON
    /// lines), to see which index a slow page uses. Off when unset.
    #[arg(long, env = "PORTOLAN_QUERY_PLAN_LOG")]
    query_plan_log: Option<PathBuf>,
    /// Settings file; `portolan.toml` in the working folder is read when present.
    #[arg(long, env = "PORTOLAN_CONFIG")]
    config: Option<PathBuf>,
}

/// Keys of `portolan.toml`, named like the environment variables without
/// the prefix: `addr`, `database_url`, `demo_data`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    addr: Option<String>,
    database_url: Option<String>,
    demo_data: Option<toml::Value>,
    admin_client_id: Option<String>,
    admin_client_secret: Option<String>,
    admin_email: Option<String>,
    admin_password: Option<String>,
    session_idle: Option<String>,
    session_max: Option<String>,
    public_url: Option<String>,
    trusted_proxies: Option<String>,
    oidc_issuer: Option<String>,
    oidc_client_id: Option<String>,
    oidc_client_secret: Option<String>,
    oidc_redirect_url: Option<String>,
    oidc_scopes: Option<String>,
    oidc_groups_claim: Option<String>,
    oidc_auto_provision: Option<toml::Value>,
    oidc_name: Option<String>,
    query_plan_log: Option<PathBuf>,
}

pub const DEFAULT_ADMIN_EMAIL: &str = "admin@portolan.local";

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub addr: SocketAddr,
    pub database_url: String,
    pub demo_data: bool,
    /// Admin machine credentials to create at start: (client id, secret).
    pub admin_credentials: Option<(String, String)>,
    pub admin_email: String,
    pub admin_password: Option<String>,
    pub session_limits: crate::auth::session::SessionLimits,
    /// Where people reach the portal; defaults to http://<addr>.
    pub public_url: String,
    /// Proxies whose `X-Forwarded-For` is believed (`PORTOLAN_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<crate::auth::client_address::Network>,
    /// Single sign-on, when `PORTOLAN_OIDC_ISSUER` is set.
    pub oidc: Option<crate::auth::oidc::OidcSettings>,
    /// Where to write query plans (`PORTOLAN_QUERY_PLAN_LOG`), if anywhere.
    pub query_plan_log: Option<PathBuf>,
}

/// A boolean setting from a flag/env string or a TOML value.
fn bool_setting(
    name: &str,
    flag: Option<String>,
    file: Option<toml::Value>,
) -> Result<bool, String> {
    match (flag, file) {
        (Some(v), _) => parse_bool(name, &v),
        (None, Some(toml::Value::Boolean(b))) => Ok(b),
        (None, Some(toml::Value::Integer(i))) => Ok(i != 0),
        (None, Some(toml::Value::String(s))) => parse_bool(name, &s),
        (None, Some(other)) => Err(format!("{name} must be 1 or 0, not `{other}`")),
        (None, None) => Ok(false),
    }
}

fn parse_bool(name: &str, value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => Err(format!("{name} must be 1 or 0, not `{other}`")),
    }
}

impl Settings {
    /// Reads the settings of this process; the error is one line for a person.
    pub fn load() -> Result<Settings, String> {
        Self::from_flags(Flags::parse())
    }

    fn from_flags(flags: Flags) -> Result<Settings, String> {
        let (path, required) = match &flags.config {
            Some(path) => (path.clone(), true),
            None => (PathBuf::from("portolan.toml"), false),
        };
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<FileSettings>(&text)
                .map_err(|e| format!("{}: {}", path.display(), e.message()))?,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                FileSettings::default()
            }
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let addr_text = flags
            .addr
            .or(file.addr)
            .unwrap_or_else(|| DEFAULT_ADDR.to_string());
        let addr = addr_text.parse().map_err(|_| {
            format!("PORTOLAN_ADDR `{addr_text}` is not an address like 127.0.0.1:3000")
        })?;
        let demo_data = bool_setting("PORTOLAN_DEMO_DATA", flags.demo_data, file.demo_data)?;
        let admin_credentials = match (
            flags.admin_client_id.or(file.admin_client_id),
            flags.admin_client_secret.or(file.admin_client_secret),
        ) {
            (Some(id), Some(secret)) => Some((id, secret)),
            (None, None) => None,
            _ => return Err(
                "set both PORTOLAN_ADMIN_CLIENT_ID and PORTOLAN_ADMIN_CLIENT_SECRET, or neither"
                    .into(),
            ),
        };
        let mut session_limits = crate::auth::session::SessionLimits::default();
        if let Some(idle) = flags.session_idle.or(file.session_idle) {
            session_limits.idle =
                crate::auth::session::parse_duration("PORTOLAN_SESSION_IDLE", &idle)?;
        }
        if let Some(max) = flags.session_max.or(file.session_max) {
            session_limits.max =
                crate::auth::session::parse_duration("PORTOLAN_SESSION_MAX", &max)?;
        }
        let public_url = flags
            .public_url
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{addr_text}"))
            .trim_end_matches('/')
            .to_string();
        if !public_url.starts_with("http://") && !public_url.starts_with("https://")
            || crate::auth::same_origin::origin_of(&public_url).is_none()
        {
            return Err(format!(
                "PORTOLAN_PUBLIC_URL must be a URL starting with http:// or https://, not `{public_url}`"
            ));
        }
        let trusted_proxies = crate::auth::client_address::parse_trusted_proxies(
            &flags
                .trusted_proxies
                .or(file.trusted_proxies)
                .unwrap_or_default(),
        )
        .map_err(|e| format!("PORTOLAN_TRUSTED_PROXIES: {e}"))?;
        let oidc = match flags.oidc_issuer.or(file.oidc_issuer) {
            None => None,
            Some(issuer) => {
                let client_id = flags
                    .oidc_client_id
                    .or(file.oidc_client_id)
                    .ok_or("PORTOLAN_OIDC_ISSUER is set: set PORTOLAN_OIDC_CLIENT_ID too")?;
                let client_secret = flags
                    .oidc_client_secret
                    .or(file.oidc_client_secret)
                    .ok_or("PORTOLAN_OIDC_ISSUER is set: set PORTOLAN_OIDC_CLIENT_SECRET too")?;
                let scopes = flags
                    .oidc_scopes
                    .or(file.oidc_scopes)
                    .unwrap_or_else(|| "openid email profile".into());
                let mut scopes: Vec<String> = scopes
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                if !scopes.iter().any(|s| s == "openid") {
                    scopes.insert(0, "openid".into());
                }
                Some(crate::auth::oidc::OidcSettings {
                    issuer,
                    client_id,
                    client_secret,
                    redirect_url: flags
                        .oidc_redirect_url
                        .or(file.oidc_redirect_url)
                        .unwrap_or_else(|| format!("{public_url}/auth/oidc/callback")),
                    scopes,
                    groups_claim: flags
                        .oidc_groups_claim
                        .or(file.oidc_groups_claim)
                        .unwrap_or_else(|| "groups".into()),
                    auto_provision: bool_setting(
                        "PORTOLAN_OIDC_AUTO_PROVISION",
                        flags.oidc_auto_provision,
                        file.oidc_auto_provision,
                    )?,
                    display_name: flags
                        .oidc_name
                        .or(file.oidc_name)
                        .unwrap_or_else(|| "SSO".into()),
                })
            }
        };
        Ok(Settings {
            oidc,
            query_plan_log: flags.query_plan_log.or(file.query_plan_log),
            admin_email: flags
                .admin_email
                .or(file.admin_email)
                .unwrap_or_else(|| DEFAULT_ADMIN_EMAIL.to_string()),
            admin_password: flags.admin_password.or(file.admin_password),
            session_limits,
            public_url,
            trusted_proxies,
            admin_credentials,
            addr,
            database_url: flags
                .database_url
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            demo_data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(args: &[&str]) -> Flags {
        Flags::try_parse_from(std::iter::once("portolan").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn defaults_need_no_environment() {
        let mut f = flags(&[]);
        // Keep the test independent of the developer's environment and files.
        f.addr = None;
        f.database_url = None;
        f.demo_data = None;
        f.config = Some(PathBuf::from("/nonexistent/portolan.toml"));
        assert!(Settings::from_flags(f).unwrap_err().contains("cannot read"));
    }

    #[test]
    fn flags_and_file_combine() {
        let dir = std::env::temp_dir().join(format!("portolan-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("portolan.toml");
        std::fs::write(
            &path,
            "database_url = \"postgres://x@h/db\"\ndemo_data = 1\n",
        )
        .unwrap();
        let settings = Settings::from_flags(flags(&[
            "--addr",
            "127.0.0.1:4000",
            "--config",
            path.to_str().unwrap(),
        ]))
        .unwrap();
        assert_eq!(settings.addr.to_string(), "127.0.0.1:4000");
        assert_eq!(settings.database_url, "postgres://x@h/db");
        assert!(settings.demo_data);
        std::fs::write(&path, "addr = \"nowhere\"\n").unwrap();
        let err = Settings::from_flags(flags(&["--config", path.to_str().unwrap()])).unwrap_err();
        assert!(err.contains("not an address"), "{err}");
        std::fs::write(&path, "adr = \"x\"\n").unwrap();
        let err = Settings::from_flags(flags(&["--config", path.to_str().unwrap()])).unwrap_err();
        assert!(err.contains("unknown field"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn admin_credentials_come_in_pairs() {
        let err = Settings::from_flags(flags(&["--admin-client-id", "x", "--config", "/dev/null"]))
            .unwrap_err();
        assert!(err.contains("both"), "{err}");
        let s = Settings::from_flags(flags(&[
            "--admin-client-id",
            "x",
            "--admin-client-secret",
            "y",
            "--config",
            "/dev/null",
        ]))
        .unwrap();
        assert_eq!(s.admin_credentials, Some(("x".into(), "y".into())));
    }

    #[test]
    fn demo_flag_must_be_a_boolean() {
        let err = Settings::from_flags(flags(&["--demo-data", "maybe", "--config", "/dev/null"]))
            .unwrap_err();
        assert!(err.contains("PORTOLAN_DEMO_DATA"), "{err}");
    }
}
