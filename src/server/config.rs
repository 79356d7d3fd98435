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
}

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub addr: SocketAddr,
    pub database_url: String,
    pub demo_data: bool,
    /// Admin machine credentials to create at start: (client id, secret).
    pub admin_credentials: Option<(String, String)>,
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
        let demo_data = match (flags.demo_data, file.demo_data) {
            (Some(v), _) => parse_bool("PORTOLAN_DEMO_DATA", &v)?,
            (None, Some(toml::Value::Boolean(b))) => b,
            (None, Some(toml::Value::Integer(i))) => i != 0,
            (None, Some(toml::Value::String(s))) => parse_bool("demo_data", &s)?,
            (None, Some(other)) => return Err(format!("demo_data must be 1 or 0, not `{other}`")),
            (None, None) => false,
        };
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
        Ok(Settings {
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
