//! A small builder for SQL with numbered `$n` placeholders and their values, for the few queries
//! whose shape depends on the input (search, bulk inserts).

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

#[derive(Debug, Clone)]
pub enum Val {
    Text(Option<String>),
    Int(Option<i64>),
}

impl From<String> for Val {
    fn from(s: String) -> Val {
        Val::Text(Some(s))
    }
}
impl From<&str> for Val {
    fn from(s: &str) -> Val {
        Val::Text(Some(s.to_string()))
    }
}
impl From<Option<String>> for Val {
    fn from(s: Option<String>) -> Val {
        Val::Text(s)
    }
}
impl From<i64> for Val {
    fn from(i: i64) -> Val {
        Val::Int(Some(i))
    }
}
impl From<Option<i64>> for Val {
    fn from(i: Option<i64>) -> Val {
        Val::Int(i)
    }
}

#[derive(Debug, Default)]
pub struct Sql {
    pub text: String,
    pub vals: Vec<Val>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            vals: Vec::new(),
        }
    }
    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }
    /// Add a value and write its placeholder.
    pub fn bind(&mut self, v: impl Into<Val>) -> &mut Self {
        self.vals.push(v.into());
        self.text.push('$');
        self.text.push_str(&self.vals.len().to_string());
        self
    }
    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for v in &self.vals {
            q = match v {
                Val::Text(t) => q.bind(t.clone()),
                Val::Int(i) => q.bind(*i),
            };
        }
        q
    }
}
