//! Prints what the name functions make of names given on the command line:
//! `cargo run -p nigehban-names --example probe -- "Haji Mohd Asif s/o Ghulam Abbas" "Asif|Arif"`
//! (two names separated by `|` are compared).
fn main() {
    let t = match nigehban_names::NameTables::embedded() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    for a in std::env::args().skip(1) {
        if let Some((x, y)) = a.split_once('|') {
            println!("{x} / {y}: {:.3}", t.similarity(x, y));
            continue;
        }
        let n = t.normalise(&a);
        println!(
            "{a:?}\n   {n:?}\n   phonetic {:?}\n   transliteration {:?}\n   blocking {:?}",
            n.phonetic(),
            t.transliterate(&a),
            t.blocking_keys(&a, None, Some(1990))
        );
    }
}
