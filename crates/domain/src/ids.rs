//! Newtype ids on UUIDv7: time-ordered, so new rows append to indexes, and impossible to mix up.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }
    };
}

id_type!(
    /// A case.
    CaseId
);
id_type!(
    /// A person, across all the cases they appear in.
    PersonId
);
id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// An organisational unit (a circle, post, police district, NGO office).
    UnitId
);
id_type!(
    /// One link of a person to a case in a role.
    CasePersonId
);
id_type!(
    /// One arrival or operation at intake (a flight, a ship, a handover, an interception).
    BatchId
);
id_type!(
    /// One person in one intake batch.
    IntakeEntryId
);
id_type!(
    /// One person on a watch list (most wanted, convicted).
    WatchlistEntryId
);
