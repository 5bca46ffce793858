//! Configuration: defaults, then a TOML file, then `NIGEHBAN_*` environment variables, then flags.
//! Unknown keys in the file are errors, so a misspelt setting is never silently ignored.

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: String,
    /// Where the embedded SQLite database lives (and the default place of this file).
    pub data_dir: PathBuf,
    /// `postgres://...` for a PostgreSQL server, or `sqlite:PATH`; empty means SQLite in data_dir.
    pub database_url: String,
    /// Mark cookies Secure: set when Nigehban is reached over HTTPS.
    pub secure_cookies: bool,
    /// The data-key file sealing identities at rest; empty means `nigehban.key` in data_dir.
    /// Keep it out of database backups. NIGEHBAN_KEY (base64) may hold a key instead.
    pub key_file: String,
    /// Log filter, e.g. `info` or `nigehban=debug,sqlx=warn`.
    pub log: String,
    /// Minutes between rebuilds of the statistics while serving (they are also rebuilt at
    /// start and on request); 0 rebuilds only at start and on request.
    pub statistics_refresh_minutes: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./nigehban-data"),
            database_url: String::new(),
            secure_cookies: false,
            key_file: String::new(),
            log: "info,sqlx=warn".into(),
            statistics_refresh_minutes: 15,
        }
    }
}

/// Overrides from flags and environment (clap merges the two; a flag wins over its variable).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// Configuration file (TOML). Default: nigehban.toml in the data directory, if present.
    #[arg(long, env = "NIGEHBAN_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Data directory for the embedded SQLite database.
    #[arg(long, env = "NIGEHBAN_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL: postgres://USER@HOST/DB or sqlite:PATH. Overrides --data-dir.
    #[arg(
        long,
        env = "NIGEHBAN_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Address to listen on (serve, demo).
    #[arg(long, env = "NIGEHBAN_LISTEN", global = true)]
    pub listen: Option<String>,
    /// Mark cookies Secure (behind HTTPS).
    #[arg(long, env = "NIGEHBAN_SECURE_COOKIES", global = true)]
    pub secure_cookies: Option<bool>,
    /// Log filter.
    #[arg(long, env = "NIGEHBAN_LOG", global = true)]
    pub log: Option<String>,
    /// The data-key file (default: nigehban.key in the data directory).
    #[arg(long, env = "NIGEHBAN_KEY_FILE", global = true)]
    pub key_file: Option<String>,
}

impl ConfigArgs {
    pub fn resolve(&self) -> anyhow::Result<Config> {
        let data_dir = self
            .data_dir
            .clone()
            .unwrap_or_else(|| Config::default().data_dir);
        let file = match &self.config {
            Some(p) => Some(p.clone()),
            None => {
                let p = data_dir.join("nigehban.toml");
                p.exists().then_some(p)
            }
        };
        let mut cfg = match file {
            Some(p) => load(&p)?,
            None => Config::default(),
        };
        if let Some(d) = &self.data_dir {
            cfg.data_dir = d.clone();
        }
        if let Some(u) = &self.database_url {
            cfg.database_url = u.clone();
        }
        if let Some(l) = &self.listen {
            cfg.listen = l.clone();
        }
        if let Some(s) = self.secure_cookies {
            cfg.secure_cookies = s;
        }
        if let Some(l) = &self.log {
            cfg.log = l.clone();
        }
        if let Some(k) = &self.key_file {
            cfg.key_file = k.clone();
        }
        Ok(cfg)
    }
}

fn load(path: &Path) -> anyhow::Result<Config> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read configuration file {}", path.display()))?;
    match toml::from_str::<Config>(&text) {
        Ok(c) => Ok(c),
        Err(e) => bail!("configuration file {}: {e}", path.display()),
    }
}

/// The commented example printed by `nigehban default-config`.
pub fn example() -> String {
    let d = Config::default();
    format!(
        "# Nigehban configuration. Precedence: this file < NIGEHBAN_* environment variables < flags.\n\
         # Unknown keys are errors.\n\n\
         # Address and port to listen on.\nlisten = \"{}\"\n\n\
         # Directory of the embedded SQLite database (used when database_url is empty).\ndata_dir = \"{}\"\n\n\
         # PostgreSQL for multi-office deployments, e.g. \"postgres://nigehban@db.internal/nigehban\".\n\
         # Empty: SQLite in data_dir. Env: NIGEHBAN_DATABASE_URL.\ndatabase_url = \"\"\n\n\
         # Mark session cookies Secure; set to true when users reach Nigehban over HTTPS.\nsecure_cookies = {}\n\n\
         # The data-key file that seals identities at rest (empty: nigehban.key in data_dir). Keep it\n\
         # secret and backed up apart from the database. NIGEHBAN_KEY (base64) may hold the key instead.\nkey_file = \"\"\n\n\
         # Log filter (tracing EnvFilter syntax).\nlog = \"{}\"\n\n\
         # Minutes between rebuilds of the statistics while serving (also at start and on request;\n\
         # 0: only then).\nstatistics_refresh_minutes = {}\n",
        d.listen,
        d.data_dir.display(),
        d.secure_cookies,
        d.log,
        d.statistics_refresh_minutes
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_and_unknown_keys_fail() {
        let c: Config = toml::from_str(&example()).unwrap();
        assert_eq!(c.listen, "127.0.0.1:8080");
        assert!(toml::from_str::<Config>("listne = \"x\"").is_err());
    }
}
