//! The organized-crime index: published country scores (an import replaces whole editions in one
//! transaction, or leaves an edition alone when its rows are already exactly the file's) and the
//! agencies' provincial and district assessments, whose justifications are sealed.

use crate::rows::*;
use crate::sealing::*;
use crate::sql::Sql;
use crate::store::{db, lock_head, micros, write_audit, SqlStore};
use async_trait::async_trait;
use nigehban_core::audit::AuditDraft;
use nigehban_core::error::StoreError;
use nigehban_core::ocindex_store::*;
use nigehban_core::store::StoreResult;
use nigehban_ocindex::{Centi, Composites, Score, Scores};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap};

/// Rows per multi-row INSERT (four values each: well under both backends' parameter limits).
const INSERT_ROWS: usize = 400;

fn score_of(r: &AnyRow, col: &str) -> Result<Score, StoreError> {
    let h = int(r, col)?;
    u8::try_from(h)
        .ok()
        .and_then(|h| Score::from_halves(h).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("{col}: {h} is not a score")))
}

fn year_of(r: &AnyRow, col: &str) -> Result<i32, StoreError> {
    let y = int(r, col)?;
    i32::try_from(y).map_err(|_| StoreError::Corrupt(format!("{col}: {y}")))
}

async fn load_published(
    conn: &mut AnyConnection,
    edition: i32,
) -> Result<Vec<PublishedRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT edition, iso3, name, continent, region, criminality_centi, markets_centi, actors_centi, \
         resilience_centi FROM ocindex_published WHERE edition = $1 ORDER BY iso3",
    )
    .bind(i64::from(edition))
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let score_rows = sqlx::query(
        "SELECT iso3, indicator, halves FROM ocindex_published_scores WHERE edition = $1",
    )
    .bind(i64::from(edition))
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut scores: HashMap<String, Scores> = HashMap::new();
    for r in &score_rows {
        scores
            .entry(text(r, "iso3")?)
            .or_default()
            .insert(text(r, "indicator")?, score_of(r, "halves")?);
    }
    rows.iter()
        .map(|r| {
            let iso3 = text(r, "iso3")?;
            Ok(PublishedRow {
                edition: year_of(r, "edition")?,
                scores: scores.remove(&iso3).unwrap_or_default(),
                iso3,
                name: text(r, "name")?,
                continent: text(r, "continent")?,
                region: text(r, "region")?,
                published: Composites {
                    criminality: Centi(int(r, "criminality_centi")?),
                    markets: Centi(int(r, "markets_centi")?),
                    actors: Centi(int(r, "actors_centi")?),
                    resilience: Centi(int(r, "resilience_centi")?),
                },
            })
        })
        .collect()
}

/// Run a multi-row INSERT of `rows`, `INSERT_ROWS` at a time.
async fn insert_rows<T>(
    conn: &mut AnyConnection,
    head: &str,
    rows: &[T],
    mut values: impl FnMut(&mut Sql, &T) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(INSERT_ROWS) {
        let mut sql = Sql::new(head);
        for (i, row) in chunk.iter().enumerate() {
            sql.push(if i == 0 { " (" } else { ", (" });
            values(&mut sql, row)?;
            sql.push(")");
        }
        sql.query().execute(&mut *conn).await.map_err(db)?;
    }
    Ok(())
}

const ASSESSMENT_COLS: &str = "a.id, a.agency, a.scope_kind, a.scope_code, a.year, a.edition, \
     a.assessed_at, a.created_at, a.version, u.username AS assessed_by, u.display_name AS assessed_by_name";
const ASSESSMENT_FROM: &str = "ocindex_assessments a JOIN users u ON u.id = a.assessed_by";

impl SqlStore {
    /// The scores of assessments chosen by `filter` (an SQL condition on `ocindex_assessments`
    /// aliased `a`, with its values), justifications opened, by assessment.
    async fn assessment_scores(
        &self,
        filter: &str,
        vals: Vec<crate::sql::Val>,
    ) -> Result<HashMap<String, Vec<IndicatorScore>>, StoreError> {
        let mut sql = Sql::new(&format!(
            "SELECT s.id, s.assessment_id, s.indicator, s.halves, s.justification FROM ocindex_assessment_scores s \
             WHERE s.assessment_id IN (SELECT a.id FROM ocindex_assessments a WHERE {filter}) ORDER BY s.assessment_id, s.indicator"
        ));
        sql.vals = vals;
        let mut conn = self.pool().acquire().await.map_err(db)?;
        let rows = sql.query().fetch_all(&mut *conn).await.map_err(db)?;
        let mut out: HashMap<String, Vec<IndicatorScore>> = HashMap::new();
        for r in &rows {
            let id = text(r, "id")?;
            out.entry(text(r, "assessment_id")?)
                .or_default()
                .push(IndicatorScore {
                    indicator: text(r, "indicator")?,
                    score: score_of(r, "halves")?,
                    justification: open(
                        self.keys(),
                        &text(r, "justification")?,
                        &format!("ocindex_assessment_scores.justification:{id}"),
                    )?,
                });
        }
        Ok(out)
    }
}

fn assessment_from(
    r: &AnyRow,
    scores: &mut HashMap<String, Vec<IndicatorScore>>,
) -> Result<AssessmentRecord, StoreError> {
    let id = text(r, "id")?;
    Ok(AssessmentRecord {
        scores: scores.remove(&id).unwrap_or_default(),
        id,
        agency: text(r, "agency")?,
        scope: AssessmentScope {
            kind: code(r, "scope_kind", ScopeKind::parse)?,
            code: text(r, "scope_code")?,
        },
        year: year_of(r, "year")?,
        edition: year_of(r, "edition")?,
        assessed_by: text(r, "assessed_by")?,
        assessed_by_name: text(r, "assessed_by_name")?,
        assessed_at: time(r, "assessed_at")?,
        created_at: time(r, "created_at")?,
        version: int(r, "version")?,
    })
}

#[async_trait]
impl OcindexStore for SqlStore {
    async fn import_published(
        &self,
        rows: &[PublishedRow],
        record: &IndexImportRecord,
        audit: AuditDraft,
    ) -> StoreResult<ImportApplied> {
        let mut by_edition: BTreeMap<i32, Vec<PublishedRow>> = BTreeMap::new();
        for r in rows {
            by_edition.entry(r.edition).or_default().push(r.clone());
        }
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let mut applied = ImportApplied::default();
        for (edition, mut new) in by_edition {
            new.sort_by(|a, b| a.iso3.cmp(&b.iso3));
            let stored = load_published(&mut tx, edition).await?;
            if stored == new {
                applied.unchanged.push(edition);
                continue;
            }
            let ed = i64::from(edition);
            for table in ["ocindex_published_scores", "ocindex_published"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE edition = $1"))
                    .bind(ed)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
            insert_rows(
                &mut tx,
                "INSERT INTO ocindex_published (edition, iso3, name, continent, region, criminality_centi, \
                 markets_centi, actors_centi, resilience_centi) VALUES",
                &new,
                |sql, r| {
                    sql.bind(ed).push(", ").bind(r.iso3.clone()).push(", ");
                    sql.bind(r.name.clone()).push(", ").bind(r.continent.clone()).push(", ");
                    sql.bind(r.region.clone()).push(", ");
                    sql.bind(r.published.criminality.0).push(", ");
                    sql.bind(r.published.markets.0).push(", ");
                    sql.bind(r.published.actors.0).push(", ");
                    sql.bind(r.published.resilience.0);
                    Ok(())
                },
            )
            .await?;
            let scores: Vec<(&str, &str, i64)> = new
                .iter()
                .flat_map(|r| {
                    r.scores
                        .iter()
                        .map(|(code, s)| (r.iso3.as_str(), code.as_str(), i64::from(s.halves())))
                })
                .collect();
            insert_rows(
                &mut tx,
                "INSERT INTO ocindex_published_scores (edition, iso3, indicator, halves) VALUES",
                &scores,
                |sql, (iso3, code, halves)| {
                    sql.bind(ed).push(", ").bind(*iso3).push(", ");
                    sql.bind(*code).push(", ").bind(*halves);
                    Ok(())
                },
            )
            .await?;
            applied.changed.push(edition);
        }
        let json = |v: &[i32]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        sqlx::query(
            "INSERT INTO ocindex_imports (id, file_name, sha256, editions, changed, countries, imported_by, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(record.id.clone())
        .bind(record.file_name.clone())
        .bind(record.sha256.clone())
        .bind(json(&record.editions))
        .bind(json(&applied.changed))
        .bind(record.countries as i64)
        .bind(record.by.map(|u| u.to_string()))
        .bind(micros(record.at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        // The entry says what changed, which only this transaction knows.
        let mut audit = audit;
        let mut detail: serde_json::Value =
            serde_json::from_str(&audit.detail).unwrap_or_else(|_| serde_json::json!({}));
        if let Some(obj) = detail.as_object_mut() {
            obj.insert("changed".into(), serde_json::json!(applied.changed));
            obj.insert("unchanged".into(), serde_json::json!(applied.unchanged));
        }
        audit.detail = detail.to_string();
        write_audit(&mut tx, self.keys(), head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(applied)
    }

    async fn published(&self, edition: i32) -> StoreResult<Vec<PublishedRow>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        load_published(&mut conn, edition).await
    }

    async fn published_editions(&self) -> StoreResult<Vec<(i32, i64)>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        sqlx::query(
            "SELECT edition, COUNT(*) AS n FROM ocindex_published GROUP BY edition ORDER BY edition",
        )
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| Ok((year_of(r, "edition")?, int(r, "n")?)))
        .collect()
    }

    async fn save_assessment(
        &self,
        a: &NewAssessment,
        expected_version: Option<i64>,
        audit: AuditDraft,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let at = micros(a.at);
        // On any error below the transaction is dropped: rolled back, the head's sequence
        // number with it, so the audit chain has no gap.
        match expected_version {
            None => {
                sqlx::query(
                    "INSERT INTO ocindex_assessments (id, agency, scope_kind, scope_code, year, edition, created_by, \
                     created_at, assessed_by, assessed_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, 1)",
                )
                .bind(a.id.clone())
                .bind(a.agency.clone())
                .bind(a.scope.kind.as_str().to_string())
                .bind(a.scope.code.clone())
                .bind(i64::from(a.year))
                .bind(i64::from(a.edition))
                .bind(a.by.to_string())
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
            Some(v) => {
                let n = sqlx::query(
                    "UPDATE ocindex_assessments SET scope_kind = $1, scope_code = $2, year = $3, edition = $4, \
                     assessed_by = $5, assessed_at = $6, version = version + 1 WHERE id = $7 AND agency = $8 AND version = $9",
                )
                .bind(a.scope.kind.as_str().to_string())
                .bind(a.scope.code.clone())
                .bind(i64::from(a.year))
                .bind(i64::from(a.edition))
                .bind(a.by.to_string())
                .bind(at)
                .bind(a.id.clone())
                .bind(a.agency.clone())
                .bind(v)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
                if n == 0 {
                    return Err(StoreError::Stale(format!(
                        "assessment {} changed since version {v}",
                        a.id
                    )));
                }
                sqlx::query("DELETE FROM ocindex_assessment_scores WHERE assessment_id = $1")
                    .bind(a.id.clone())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
        }
        let keys = self.keys();
        insert_rows(
            &mut tx,
            "INSERT INTO ocindex_assessment_scores (id, assessment_id, indicator, halves, justification) VALUES",
            &a.scores,
            |sql, s| {
                let id = uuid::Uuid::now_v7().to_string();
                let sealed = seal(
                    keys,
                    &s.justification,
                    &format!("ocindex_assessment_scores.justification:{id}"),
                )?;
                sql.bind(id).push(", ").bind(a.id.clone()).push(", ");
                sql.bind(s.indicator.clone()).push(", ");
                sql.bind(i64::from(s.score.halves())).push(", ").bind(sealed);
                Ok(())
            },
        )
        .await?;
        write_audit(&mut tx, keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn assessment(&self, id: &str) -> StoreResult<Option<AssessmentRecord>> {
        let row = {
            let mut conn = self.pool().acquire().await.map_err(db)?;
            sqlx::query(&format!(
                "SELECT {ASSESSMENT_COLS} FROM {ASSESSMENT_FROM} WHERE a.id = $1"
            ))
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
        };
        let Some(row) = row else {
            return Ok(None);
        };
        let mut scores = self
            .assessment_scores("a.id = $1", vec![id.to_string().into()])
            .await?;
        assessment_from(&row, &mut scores).map(Some)
    }

    async fn assessments(
        &self,
        agency: &str,
        scope: Option<&AssessmentScope>,
    ) -> StoreResult<Vec<AssessmentRecord>> {
        let (filter, vals): (&str, Vec<crate::sql::Val>) = match scope {
            Some(s) => (
                "a.agency = $1 AND a.scope_kind = $2 AND a.scope_code = $3",
                vec![
                    agency.to_string().into(),
                    s.kind.as_str().into(),
                    s.code.clone().into(),
                ],
            ),
            None => ("a.agency = $1", vec![agency.to_string().into()]),
        };
        let rows = {
            let mut sql = Sql::new(&format!(
                "SELECT {ASSESSMENT_COLS} FROM {ASSESSMENT_FROM} WHERE {filter} \
                 ORDER BY a.scope_kind DESC, a.scope_code, a.year, a.id"
            ));
            sql.vals = vals.clone();
            let mut conn = self.pool().acquire().await.map_err(db)?;
            sql.query().fetch_all(&mut *conn).await.map_err(db)?
        };
        let mut scores = self.assessment_scores(filter, vals).await?;
        rows.iter()
            .map(|r| assessment_from(r, &mut scores))
            .collect()
    }
}
