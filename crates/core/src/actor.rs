//! Who is acting, as established by authentication: the only way into the core's operations.

use nigehban_domain::ids::{UnitId, UserId};
use nigehban_domain::org::UserRole;
use serde::Serialize;

/// The user an operation is done for, and where the request came from (for the audit trail).
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: UserRole,
    pub unit_id: UnitId,
    pub unit_code: String,
    pub agency: String,
    /// Network address or `cli@host`.
    pub origin: String,
}

/// Who an audit entry is attributed to: a user, or the system itself (migrations, demo loading).
#[derive(Debug, Clone, Serialize)]
pub enum Principal {
    User(Actor),
    System { name: String, origin: String },
}

impl Principal {
    pub fn system(name: &str) -> Principal {
        Principal::System {
            name: name.to_string(),
            origin: crate::audit::local_origin(),
        }
    }
}
