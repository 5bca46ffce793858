//! The access policy, in one place a reviewer can read. Each operation asks [`authorize`] for an
//! [`Action`]; the answer is either a refusal or the [`Scope`] of records the actor may touch, and the
//! store applies that scope inside its queries, so nothing outside it is ever loaded.
//!
//! | role            | register cases | view/search cases & persons | move stages | add persons | users | audit |
//! |-----------------|----------------|-----------------------------|-------------|-------------|-------|-------|
//! | intake officer  | yes            | own agency                  | no          | yes         | no    | no    |
//! | investigator    | yes            | own agency                  | yes         | yes         | no    | no    |
//! | supervisor      | yes            | own agency                  | yes         | yes         | no    | no    |
//! | prosecutor      | no             | own agency                  | yes         | no          | no    | no    |
//! | analyst         | no             | no (aggregates only)        | no          | no          | no    | no    |
//! | NGO case worker | no             | no (referrals only)         | no          | no          | no    | no    |
//! | auditor         | no             | no                          | no          | no          | no    | yes   |
//! | administrator   | no             | no                          | no          | no          | yes   | yes   |
//!
//! Case content is deliberately closed to administrators and auditors: they run the system and
//! review who did what, and need no victim's story for it.

use crate::actor::Actor;
use crate::error::CoreError;
use nigehban_domain::org::UserRole;

/// Something an actor asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    RegisterCase,
    ViewCases,
    MoveCaseStage,
    AddPersonToCase,
    ViewPersons,
    ManageUsers,
    ReadAudit,
}

/// Which records an allowed action reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Records owned by units of this agency.
    Agency(String),
}

impl Scope {
    pub fn agency(&self) -> &str {
        match self {
            Scope::Agency(a) => a,
        }
    }
}

/// The decision table. Returns the scope the actor may act in, or a refusal.
// The match is kept as a table (one row per rule) rather than `matches!`, so it reads like the doc above.
#[allow(clippy::match_like_matches_macro)]
pub fn authorize(actor: &Actor, action: Action) -> Result<Scope, CoreError> {
    use Action::*;
    use UserRole::*;
    let allowed = match (actor.role, action) {
        (
            IntakeOfficer | Investigator | Supervisor,
            RegisterCase | ViewCases | ViewPersons | AddPersonToCase,
        ) => true,
        (Investigator | Supervisor | Prosecutor, MoveCaseStage) => true,
        (Prosecutor, ViewCases | ViewPersons) => true,
        (Administrator, ManageUsers) => true,
        (Administrator | Auditor, ReadAudit) => true,
        _ => false,
    };
    if allowed {
        Ok(Scope::Agency(actor.agency.clone()))
    } else {
        Err(CoreError::Forbidden(refusal(action)))
    }
}

fn refusal(action: Action) -> &'static str {
    match action {
        Action::RegisterCase => "register-case",
        Action::ViewCases => "view-cases",
        Action::MoveCaseStage => "move-case-stage",
        Action::AddPersonToCase => "add-person",
        Action::ViewPersons => "view-persons",
        Action::ManageUsers => "manage-users",
        Action::ReadAudit => "read-audit",
    }
}
