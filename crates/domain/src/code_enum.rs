//! A closed set of values with stable snake_case codes: the codes are what the database, the API
//! and the translation keys use, so they never change once released.

/// Declare an enum whose variants have stable string codes, with `ALL`, `as_str` and `parse`.
#[macro_export]
macro_rules! code_enum {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                let t = s.trim();
                Self::ALL.iter().copied().find(|v| v.as_str() == t)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s).ok_or_else(|| format!("unknown {} `{}`", stringify!($name), s))
            }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> &'static str { v.as_str() }
        }
    };
}
