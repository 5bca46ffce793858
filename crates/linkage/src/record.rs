//! Records read for comparison: one at a time ([`PreparedRecord`], for scoring single pairs) or
//! a whole list at once ([`Dataset`], columnar, each distinct text read once).

use crate::compare::compare_values;
use crate::parallel::map_ranges;
use crate::schema::{FieldKind, Schema};
use crate::value::{name_value, read_value, Value};
use nigehban_names::{NameTables, Script};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One record's values in the order of its schema, read for comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreparedRecord {
    values: Vec<Value>,
}

impl PreparedRecord {
    /// The values, in the order of the schema's fields.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    pub fn value(&self, field: usize) -> Option<&Value> {
        self.values.get(field)
    }
}

impl Schema {
    /// Reads one record's texts (in the order of the fields; missing trailing values are
    /// empty). A parentage written inside a full name ("Ali s/o Ahmed") fills an empty
    /// parentage field.
    pub fn prepare(&self, names: &NameTables, texts: &[&str]) -> PreparedRecord {
        let mut values: Vec<Value> = self
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| read_value(names, f.kind, texts.get(i).copied().unwrap_or("")))
            .collect();
        if let Some((p, from)) = self.parentage_source() {
            let derived = match (values.get(p), values.get(from)) {
                (Some(Value::Missing), Some(Value::Name(n))) if !n.parentage.is_empty() => {
                    Some(derived_parentage(names, &n.parentage, n.urdu))
                }
                _ => None,
            };
            if let (Some(d), Some(slot)) = (derived, values.get_mut(p)) {
                *slot = d;
            }
        }
        PreparedRecord { values }
    }

    /// The parentage field and the full-name field whose embedded parentage may fill it.
    fn parentage_source(&self) -> Option<(usize, usize)> {
        Some((
            self.first(FieldKind::Parentage)?,
            self.first(FieldKind::FullName)?,
        ))
    }

    /// The level (1-based, 0 for missing) each field of two prepared records reaches.
    pub fn levels(&self, a: &PreparedRecord, b: &PreparedRecord) -> Vec<u8> {
        (0..self.len())
            .map(|f| {
                let kind = self.kind(f).unwrap_or(FieldKind::Text);
                match (a.value(f), b.value(f)) {
                    (Some(x), Some(y)) => {
                        let partner = self.partner(f);
                        compare_values(
                            kind,
                            x,
                            y,
                            partner.and_then(|p| a.value(p)),
                            partner.and_then(|p| b.value(p)),
                        )
                    }
                    _ => 0,
                }
            })
            .collect()
    }
}

fn derived_parentage(names: &NameTables, tokens: &[String], urdu: bool) -> Value {
    let script = if urdu { Script::Urdu } else { Script::Roman };
    Value::Name(name_value(
        names,
        &tokens.join(" "),
        tokens,
        script,
        Vec::new(),
    ))
}

/// One field of a dataset: its distinct values and, for each record, which one it holds.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub values: Vec<Value>,
    pub ids: Vec<u32>,
}

impl Column {
    pub fn value_of(&self, record: usize) -> Option<&Value> {
        self.ids
            .get(record)
            .and_then(|&id| self.values.get(id as usize))
    }

    pub fn id_of(&self, record: usize) -> u32 {
        self.ids.get(record).copied().unwrap_or(u32::MAX)
    }
}

/// A list of records read for comparison, column by column: each distinct text of a field is
/// read once, however many records hold it.
#[derive(Debug, Clone)]
pub struct Dataset {
    schema: Schema,
    len: usize,
    pub(crate) columns: Vec<Column>,
    kinds: Vec<FieldKind>,
    partners: Vec<Option<usize>>,
}

/// How many records of a field could not be read as its kind, with the first ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldReadStats {
    pub field: String,
    pub kind: FieldKind,
    /// Records with a value (not empty, not a placeholder).
    pub present: usize,
    /// Records whose value is not of the kind (a date column value that is no date).
    pub unreadable: usize,
    /// The first few unreadable records (indexes).
    pub unreadable_examples: Vec<usize>,
}

impl Dataset {
    /// Reads `len` records; `text(record, field)` gives a record's text for a field of the
    /// schema. Uses `threads` threads; the result does not depend on their number.
    pub fn prepare<'t, F>(
        schema: &Schema,
        names: &NameTables,
        len: usize,
        threads: usize,
        text: F,
    ) -> Dataset
    where
        F: Fn(usize, usize) -> &'t str + Sync,
    {
        let mut columns = Vec::with_capacity(schema.len());
        for (f, spec) in schema.fields().iter().enumerate() {
            let mut index: HashMap<&str, u32> = HashMap::new();
            let mut distinct: Vec<&str> = Vec::new();
            let mut ids = Vec::with_capacity(len);
            for r in 0..len {
                let t = text(r, f);
                let next = u32::try_from(distinct.len()).unwrap_or(u32::MAX);
                let id = *index.entry(t).or_insert_with(|| {
                    distinct.push(t);
                    next
                });
                ids.push(id);
            }
            let values = map_ranges(distinct.len(), 512, threads, |range| {
                range
                    .filter_map(|i| distinct.get(i))
                    .map(|t| read_value(names, spec.kind, t))
                    .collect()
            });
            columns.push(Column { values, ids });
        }
        // A parentage written inside a full name fills an empty parentage field.
        let parentage = schema
            .first(FieldKind::Parentage)
            .zip(schema.first(FieldKind::FullName));
        if let Some((p, from)) = parentage {
            let mut derived: HashMap<u32, u32> = HashMap::new();
            let mut new_values = Vec::new();
            let mut new_ids = Vec::new();
            if let (Some(pc), Some(fc)) = (columns.get(p), columns.get(from)) {
                let base = pc.values.len();
                new_ids = pc.ids.clone();
                for (r, slot) in new_ids.iter_mut().enumerate() {
                    if !matches!(pc.value_of(r), Some(Value::Missing)) {
                        continue;
                    }
                    let fid = fc.id_of(r);
                    if let Some(Value::Name(n)) = fc.value_of(r) {
                        if n.parentage.is_empty() {
                            continue;
                        }
                        let id = *derived.entry(fid).or_insert_with(|| {
                            new_values.push(derived_parentage(names, &n.parentage, n.urdu));
                            u32::try_from(base + new_values.len() - 1).unwrap_or(u32::MAX)
                        });
                        *slot = id;
                    }
                }
            }
            if let Some(pc) = columns.get_mut(p) {
                if !new_values.is_empty() {
                    pc.values.extend(new_values);
                    pc.ids = new_ids;
                }
            }
        }
        Dataset {
            kinds: schema.fields().iter().map(|f| f.kind).collect(),
            partners: (0..schema.len()).map(|f| schema.partner(f)).collect(),
            schema: schema.clone(),
            len,
            columns,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The value of a record's field.
    pub fn value(&self, record: usize, field: usize) -> Option<&Value> {
        self.columns.get(field).and_then(|c| c.value_of(record))
    }

    /// One record, for scoring with `Model::score` and for explanations.
    pub fn record(&self, record: usize) -> PreparedRecord {
        PreparedRecord {
            values: self
                .columns
                .iter()
                .map(|c| c.value_of(record).cloned().unwrap_or(Value::Missing))
                .collect(),
        }
    }

    /// For each field: how many values were present and how many could not be read as the
    /// field's kind (with up to `examples` record indexes), to tell a user that a column does
    /// not hold what its kind says.
    pub fn read_stats(&self, examples: usize) -> Vec<FieldReadStats> {
        self.schema
            .fields()
            .iter()
            .zip(&self.columns)
            .map(|(spec, col)| {
                let mut present = 0;
                let mut unreadable = 0;
                let mut unreadable_examples = Vec::new();
                for r in 0..self.len {
                    match col.value_of(r) {
                        Some(Value::Missing) | None => {}
                        Some(Value::Unreadable) => {
                            present += 1;
                            unreadable += 1;
                            if unreadable_examples.len() < examples {
                                unreadable_examples.push(r);
                            }
                        }
                        Some(_) => present += 1,
                    }
                }
                FieldReadStats {
                    field: spec.name.clone(),
                    kind: spec.kind,
                    present,
                    unreadable,
                    unreadable_examples,
                }
            })
            .collect()
    }

    /// The comparison vector of two records, packed 4 bits per field (field 0 lowest).
    pub(crate) fn gamma(&self, a: usize, b: usize) -> u64 {
        let mut code = 0u64;
        for (f, col) in self.columns.iter().enumerate() {
            let (ia, ib) = (col.id_of(a), col.id_of(b));
            let (Some(va), Some(vb)) = (col.values.get(ia as usize), col.values.get(ib as usize))
            else {
                continue;
            };
            let level = if ia == ib {
                u8::from(va.is_present())
            } else {
                let kind = self.kinds.get(f).copied().unwrap_or(FieldKind::Text);
                let partner = self.partners.get(f).copied().flatten();
                let pa = partner.and_then(|p| self.value(a, p));
                let pb = partner.and_then(|p| self.value(b, p));
                compare_values(kind, va, vb, pa, pb)
            };
            code |= u64::from(level & 0xF) << (4 * f);
        }
        code
    }
}

/// The level of field `f` in a packed comparison vector.
pub(crate) fn level_of(code: u64, f: usize) -> u8 {
    ((code >> (4 * f)) & 0xF) as u8
}
