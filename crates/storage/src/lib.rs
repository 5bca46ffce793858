//! The SQL store: one implementation of `nigehban_core::store::Store` for SQLite (the embedded
//! default) and PostgreSQL (multi-office deployments), over sqlx's `Any` driver. The SQL is shared;
//! what differs per backend is the migration folder and the connection set-up, both in this file.
//! Queries use `$n` placeholders, which both SQLite and PostgreSQL accept.

mod backup;
mod exchange;
mod intake;
mod linkage;
mod ocindex;
mod rekey;
mod rows;
mod sealing;
mod sql;
mod statistics;
mod store;
mod victims;

pub use backup::{backup, restore, BackupSummary, BACKUP_FORMAT, BACKUP_VERSION};
pub use nigehban_crypto::Keyring;
pub use store::SqlStore;

use nigehban_core::error::StoreError;

/// What a `--database-url` or data directory resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    /// Recognise a database URL. Anything but `sqlite:` and `postgres(ql)://` is refused, so a typo
    /// never silently creates a fresh, empty SQLite file.
    pub fn parse(url: &str) -> Result<DatabaseUrl, StoreError> {
        let u = url.trim();
        if u.starts_with("postgres://") || u.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(u.to_string()))
        } else if let Some(rest) = u
            .strip_prefix("sqlite://")
            .or_else(|| u.strip_prefix("sqlite:"))
        {
            if rest.is_empty() {
                return Err(StoreError::Database("the sqlite: URL names no file".into()));
            }
            Ok(DatabaseUrl::Sqlite(u.to_string()))
        } else {
            Err(StoreError::Database(format!(
                "unrecognised database URL `{}`: use sqlite:PATH or postgres://USER@HOST/DB",
                redact(u)
            )))
        }
    }

    /// The SQLite database inside a data directory.
    pub fn in_data_dir(dir: &std::path::Path) -> DatabaseUrl {
        DatabaseUrl::Sqlite(format!(
            "sqlite://{}?mode=rwc",
            dir.join("nigehban.db").display()
        ))
    }
}

/// Hide a password in a URL before it is shown or logged.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_recognised_or_refused() {
        assert!(matches!(
            DatabaseUrl::parse("postgres://u:p@h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("sqlite:///tmp/x.db"),
            Ok(DatabaseUrl::Sqlite(_))
        ));
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("/tmp/x.db").is_err());
        assert!(DatabaseUrl::parse("sqlite:").is_err());
        let e = DatabaseUrl::parse("mongodb://u:secret@h/db")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("secret"), "{e}");
    }
}
