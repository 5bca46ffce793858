//! The access policy, in one place a reviewer can read. Each operation asks [`authorize`] for an
//! [`Action`]; the answer is a refusal or the [`Scope`] the actor acts in. The store applies the
//! scope inside its queries (so nothing outside it is loaded), and [`CaseAccess`] decides what an
//! actor may do with one case given its relation to it (own unit, assigned, shared, sealed).
//!
//! What each role may do at all:
//!
//! | role            | register | see cases                     | move stage | add persons | share | assign | seal | reveal identity | users | audit | exchange | CTDC release |
//! |-----------------|----------|-------------------------------|------------|-------------|-------|--------|------|-----------------|-------|-------|----------|--------------|
//! | intake officer  | yes      | own unit, assigned, shared    | no         | yes         | no    | no     | no   | no              | no    | no    | no       | no           |
//! | investigator    | yes      | own unit, assigned, shared    | yes        | yes         | yes   | no     | no   | yes, with reason| no    | no    | no       | no           |
//! | supervisor      | yes      | own unit, assigned, shared    | yes        | yes         | yes   | yes    | yes  | yes, with reason| no    | no    | yes      | yes          |
//! | prosecutor      | no       | assigned or shared only       | yes        | no          | no    | no     | no   | yes, with reason| no    | no    | no       | no           |
//! | analyst         | no       | own agency, de-identified     | no         | no          | no    | no     | no   | no              | no    | no    | no       | yes          |
//! | NGO case worker | no       | none (referrals to own organisation only, below) | no | no | no | no | no | no         | no    | no    | no       | no           |
//! | auditor         | no       | none                          | no         | no          | no    | no     | no   | no              | no    | yes   | no       | no           |
//! | administrator   | no       | none                          | no         | no          | no    | no     | no   | no              | own agency | yes | no       | no           |
//!
//! Data exchange: supervisors export their cases in the Human Trafficking Case Data Standard and
//! import HTCDS files into their unit (`ExchangeCases`); analysts and supervisors release the
//! anonymised CTDC victim table of what they see (`ReleaseAnonymised`), refused unless it passes
//! the k-anonymity check.
//!
//! Intake (batches of deportees, offloadees and intercepted migrants: import, screening, interview,
//! outcome) is open to intake officers, investigators and supervisors, for their own unit's batches
//! only. They read the watch lists; investigators and supervisors maintain them.
//!
//! Victim protection (identification, needs, consent, referrals, case plan, follow-up):
//!
//! | role            | directory                        | protection files and referrals         | answer referrals                         | measures      |
//! |-----------------|----------------------------------|----------------------------------------|------------------------------------------|---------------|
//! | intake officer  | read                             | own unit's: identify, consent, refer   | no                                       | no            |
//! | investigator    | read, manage (liaison officer)   | own unit's: identify, consent, refer   | no                                       | no            |
//! | supervisor      | read, manage (liaison officer)   | own unit's: identify, consent, refer   | no                                       | own agency    |
//! | prosecutor      | read                             | support of persons they may see        | no                                       | no            |
//! | analyst         | read                             | no                                     | no                                       | no            |
//! | NGO case worker | read, own organisation's entries | no                                     | to own organisation: consented fields only | no          |
//! | auditor, admin  | no                               | no                                     | no                                       | no            |
//!
//! A provider never sees suspects, other victims of the case, or a field the person has not
//! consented (now: a withdrawn consent stops sharing at once) to share with that provider for
//! service delivery. Investigators and prosecutors who may see a person see the support a witness
//! has (phase, cooperation with prosecution, protection measures, services delivered).
//! Organized-crime assessment (the Global Organized Crime Index's method): analysts,
//! investigators and supervisors read the Index's published country profiles and their agency's
//! provincial and district assessments (`ViewAssessments`); analysts and supervisors score
//! provinces and districts (`ScoreAssessments`). An assessment belongs to the agency that made it:
//! to anyone else it is not found. Only the system (the `ocindex import` command, the demo) or a
//! user who may score imports the published workbook.
//!
//! What a relation to one case allows (see [`CaseAccess`]):
//!
//! | relation                         | see facts | see persons | move / add persons | share, assign, seal |
//! |----------------------------------|-----------|-------------|--------------------|---------------------|
//! | case of own unit                 | yes       | yes         | yes                | yes (owner)         |
//! | assigned to the user             | yes       | yes         | yes                | no                  |
//! | shared in full, not expired      | yes       | yes         | move only          | no                  |
//! | shared as summary, not expired   | yes       | no          | no                 | no                  |
//! | share expired or revoked         | no        | no          | no                 | no                  |
//! | analyst, own agency              | yes       | pseudonyms  | no                 | no                  |
//! | sealed by court order, not named | no (not found)                                                   ||||
//! | person received at intake by own unit (intake roles) | the person's record, as own  | | | |
//!
//! Statistics, dashboards and standard reports (counts over de-identified facts, never a name)
//! are open to analysts, over their agency's records anywhere in the country (the agency marked
//! `national_statistics`, the FIA, compiles the national returns: its analysts count every
//! agency's records), and to supervisors, over their own unit's records. A place or unit asked
//! for outside that reach is refused.
//!
//! Victims, witnesses and informants appear by pseudonym to everyone until a user with full access
//! reveals the identity with a reason; the reveal is audited and shown to the record's owner.
//! Case content is closed to administrators and auditors: they run the system and review who did
//! what, and need no victim's story for it.

use crate::actor::Actor;
use crate::error::CoreError;
use nigehban_domain::ids::{UnitId, UserId};
use nigehban_domain::org::UserRole;

/// Something an actor asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    RegisterCase,
    ViewCases,
    MoveCaseStage,
    AddPersonToCase,
    ViewPersons,
    ShareCase,
    AssignCase,
    SealRecord,
    RevealIdentity,
    ManageUsers,
    ReadAudit,
    /// Receive batches at intake: import manifests, screen, interview, decide outcomes.
    Intake,
    /// Read the watch lists (most wanted, convicted).
    ViewWatchlist,
    /// Add to and remove from the watch lists.
    ManageWatchlist,
    /// Review likely duplicates across the agency: confirm (merge), reject, undo a merge.
    ReviewDuplicates,
    /// Read the agent register (suspects, their chain roles, the watch lists) and its alerts.
    ViewAgents,
    /// Explore and export the network of persons, identifiers, cases and batches.
    ViewNetwork,
    /// Statistics, dashboards and standard reports: counts only, never a name. Analysts count
    /// their agency's records, supervisors their unit's.
    ViewStatistics,
    /// Identify a person as a victim and work on the unit's protection files: needs, consent,
    /// referrals, case plan, follow-up, cooperation with prosecution.
    ProtectVictims,
    /// Read the service directory.
    ViewDirectory,
    /// Add and edit directory entries (liaison officers: any; NGO case workers: their own).
    ManageDirectory,
    /// Answer referrals to the own organisation: accept, decline, record services, close.
    RespondToReferrals,
    /// The managers' measures of victim protection for the own agency.
    ViewMeasures,
    /// Export cases in the Human Trafficking Case Data Standard and import HTCDS files.
    ExchangeCases,
    /// Release the anonymised victim table (CTDC variables) under the k-anonymity check.
    ReleaseAnonymised,
    /// Read the organized-crime index's country profiles and the agency's assessments.
    ViewAssessments,
    /// Score provinces and districts with the index's indicators (and import its workbook).
    ScoreAssessments,
}

/// How far an actor's view of cases reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Cases of the own unit, plus those assigned or shared.
    OwnUnit,
    /// Only cases assigned or shared to the user, unit or agency.
    SharedOnly,
    /// All cases of the own agency, persons by pseudonym only.
    AgencyDeidentified,
}

/// Who is looking, and how far their view reaches: passed into every store query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub user_id: UserId,
    pub unit_id: UnitId,
    pub agency: String,
    pub reach: Reach,
}

impl Scope {
    pub fn agency(&self) -> &str {
        &self.agency
    }
}

fn reach_of(role: UserRole) -> Reach {
    match role {
        UserRole::Prosecutor => Reach::SharedOnly,
        UserRole::Analyst => Reach::AgencyDeidentified,
        _ => Reach::OwnUnit,
    }
}

/// The role table above. Returns the scope the actor may act in, or a refusal.
// The match is kept as a table (one row per rule) rather than `matches!`, so it reads like the doc.
#[allow(clippy::match_like_matches_macro)]
pub fn authorize(actor: &Actor, action: Action) -> Result<Scope, CoreError> {
    use Action::*;
    use UserRole::*;
    let allowed = match (actor.role, action) {
        (
            IntakeOfficer | Investigator | Supervisor,
            RegisterCase | ViewCases | ViewPersons | AddPersonToCase,
        ) => true,
        (Investigator | Supervisor | Prosecutor, MoveCaseStage | RevealIdentity) => true,
        (Investigator | Supervisor, ShareCase) => true,
        (Supervisor, AssignCase | SealRecord) => true,
        (Prosecutor, ViewCases | ViewPersons) => true,
        (Analyst, ViewCases) => true,
        (Administrator, ManageUsers) => true,
        (Administrator | Auditor, ReadAudit) => true,
        (IntakeOfficer | Investigator | Supervisor, Intake | ViewWatchlist) => true,
        (Investigator | Supervisor, ManageWatchlist) => true,
        (Analyst | Supervisor, ReviewDuplicates) => true,
        (Analyst | Investigator | Supervisor, ViewAgents | ViewNetwork) => true,
        (Analyst | Supervisor, ViewStatistics) => true,
        (IntakeOfficer | Investigator | Supervisor, ProtectVictims) => true,
        (
            IntakeOfficer | Investigator | Supervisor | Prosecutor | Analyst | NgoCaseWorker,
            ViewDirectory,
        ) => true,
        (Investigator | Supervisor | NgoCaseWorker, ManageDirectory) => true,
        (NgoCaseWorker, RespondToReferrals) => true,
        (Supervisor, ViewMeasures) => true,
        (Supervisor, ExchangeCases) => true,
        (Analyst | Supervisor, ReleaseAnonymised) => true,
        (Analyst | Investigator | Supervisor, ViewAssessments) => true,
        (Analyst | Supervisor, ScoreAssessments) => true,
        _ => false,
    };
    if allowed {
        Ok(Scope {
            user_id: actor.user_id,
            unit_id: actor.unit_id,
            agency: actor.agency.clone(),
            reach: reach_of(actor.role),
        })
    } else {
        Err(CoreError::Forbidden(refusal(action)))
    }
}

/// Roles that must pass a second factor (TOTP) at every sign-in: those who administer, look
/// across an agency, supervise, or review everyone's activity.
pub fn requires_second_factor(role: UserRole) -> bool {
    matches!(
        role,
        UserRole::Administrator | UserRole::Analyst | UserRole::Supervisor | UserRole::Auditor
    )
}

fn refusal(action: Action) -> &'static str {
    match action {
        Action::RegisterCase => "register-case",
        Action::ViewCases => "view-cases",
        Action::MoveCaseStage => "move-case-stage",
        Action::AddPersonToCase => "add-person",
        Action::ViewPersons => "view-persons",
        Action::ShareCase => "share-case",
        Action::AssignCase => "assign-case",
        Action::SealRecord => "seal-record",
        Action::RevealIdentity => "reveal-identity",
        Action::ManageUsers => "manage-users",
        Action::ReadAudit => "read-audit",
        Action::Intake => "intake",
        Action::ViewWatchlist => "view-watchlist",
        Action::ManageWatchlist => "manage-watchlist",
        Action::ReviewDuplicates => "review-duplicates",
        Action::ViewAgents => "view-agents",
        Action::ViewNetwork => "view-network",
        Action::ViewStatistics => "view-statistics",
        Action::ProtectVictims => "protect-victims",
        Action::ViewDirectory => "view-directory",
        Action::ManageDirectory => "manage-directory",
        Action::RespondToReferrals => "respond-to-referrals",
        Action::ViewMeasures => "view-measures",
        Action::ExchangeCases => "exchange-cases",
        Action::ReleaseAnonymised => "release-anonymised",
        Action::ViewAssessments => "view-assessments",
        Action::ScoreAssessments => "score-assessments",
    }
}

/// Which parts of a case a share opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ShareParts {
    /// Case facts and stages, no persons.
    Summary,
    /// Everything the owner sees.
    Full,
}

impl ShareParts {
    pub fn as_str(self) -> &'static str {
        match self {
            ShareParts::Summary => "summary",
            ShareParts::Full => "full",
        }
    }
    pub fn parse(s: &str) -> Option<ShareParts> {
        match s.trim() {
            "summary" => Some(ShareParts::Summary),
            "full" => Some(ShareParts::Full),
            _ => None,
        }
    }
}

/// The relations between one actor and one case, as the store found them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseRelation {
    /// The case belongs to the actor's unit.
    pub own_unit: bool,
    /// The case belongs to the actor's agency.
    pub own_agency: bool,
    pub assigned: bool,
    /// The widest active (unexpired, unrevoked) share to the actor's unit or agency.
    pub share: Option<ShareParts>,
    pub sealed: bool,
    /// Named on the court's seal.
    pub named_on_seal: bool,
}

/// What the actor may do with one case: derived from the scope and the relation, nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseAccess {
    pub see: bool,
    pub persons: bool,
    /// Persons shown by pseudonym only, whatever their role.
    pub deidentified: bool,
    pub work: bool,
    pub mov: bool,
    pub own: bool,
}

impl CaseAccess {
    /// A person received at intake by the actor's unit (intake roles only): read and worked on
    /// as the unit's own, whatever cases they are in.
    pub fn received_at_intake() -> CaseAccess {
        CaseAccess {
            see: true,
            persons: true,
            deidentified: false,
            work: true,
            mov: false,
            own: true,
        }
    }

    pub fn decide(scope: &Scope, r: &CaseRelation) -> CaseAccess {
        let none = CaseAccess {
            see: false,
            persons: false,
            deidentified: false,
            work: false,
            mov: false,
            own: false,
        };
        if r.sealed && !r.named_on_seal {
            return none;
        }
        match scope.reach {
            Reach::AgencyDeidentified => {
                if r.own_agency {
                    CaseAccess {
                        see: true,
                        persons: true,
                        deidentified: true,
                        ..none
                    }
                } else {
                    none
                }
            }
            reach => {
                let own = reach == Reach::OwnUnit && r.own_unit;
                let full = own || r.assigned || r.share == Some(ShareParts::Full);
                let see = full || r.share.is_some();
                CaseAccess {
                    see,
                    persons: full,
                    deidentified: false,
                    work: own || r.assigned,
                    mov: full,
                    own,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(reach: Reach) -> Scope {
        Scope {
            user_id: UserId::new(),
            unit_id: UnitId::new(),
            agency: "FIA".into(),
            reach,
        }
    }

    #[test]
    fn relations_decide_access() {
        let own = CaseRelation {
            own_unit: true,
            own_agency: true,
            ..Default::default()
        };
        let a = CaseAccess::decide(&scope(Reach::OwnUnit), &own);
        assert!(a.see && a.persons && a.work && a.mov && a.own);
        let same_agency_other_unit = CaseRelation {
            own_agency: true,
            ..Default::default()
        };
        assert!(!CaseAccess::decide(&scope(Reach::OwnUnit), &same_agency_other_unit).see);
        let summary = CaseRelation {
            share: Some(ShareParts::Summary),
            ..Default::default()
        };
        let a = CaseAccess::decide(&scope(Reach::OwnUnit), &summary);
        assert!(a.see && !a.persons && !a.mov);
        let full = CaseRelation {
            share: Some(ShareParts::Full),
            ..Default::default()
        };
        let a = CaseAccess::decide(&scope(Reach::SharedOnly), &full);
        assert!(a.see && a.persons && a.mov && !a.work && !a.own);
        let sealed = CaseRelation {
            sealed: true,
            ..own
        };
        assert!(!CaseAccess::decide(&scope(Reach::OwnUnit), &sealed).see);
        let named = CaseRelation {
            named_on_seal: true,
            ..sealed
        };
        assert!(CaseAccess::decide(&scope(Reach::OwnUnit), &named).see);
        let analyst =
            CaseAccess::decide(&scope(Reach::AgencyDeidentified), &same_agency_other_unit);
        assert!(analyst.see && analyst.deidentified && !analyst.mov);
        // A prosecutor does not own even a case of their own unit.
        assert!(!CaseAccess::decide(&scope(Reach::SharedOnly), &own).see);
    }
}
