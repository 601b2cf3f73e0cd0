//! Import and export between Moodle formats and banks; starter templates.

use tipquiz::import::{Format, import};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn dump() {
    for (f, fmt, lang) in [
        ("every-type.xml", Format::MoodleXml, "en"),
        ("aiken.txt", Format::Aiken, "en"),
        ("questions.csv", Format::Csv, "en"),
    ] {
        let imp = import(&fixture(f), fmt, lang, "fixture");
        println!("{}", imp.toml);
        for s in &imp.skipped {
            println!("{:?}", s);
        }
        let (_, diags) = tipquiz::bank::parse_bank("x", &imp.toml);
        for d in diags {
            println!("{}", d.render());
        }
    }
}
