//! Regenerate the workbook fixture: `cargo run -p nigehban-sheets --example make_fixtures`.
//! The test `committed_workbook_fixture_is_current` fails when the committed file differs.

#[path = "../tests/support/fixture_xlsx.rs"]
mod fixture_xlsx;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gulf_deportation.xlsx");
    std::fs::write(&path, fixture_xlsx::gulf_deportation_xlsx()?)?;
    println!("wrote {}", path.display());
    Ok(())
}
