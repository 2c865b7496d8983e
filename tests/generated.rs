//! completions/ and man/ are generated from the clap definition: fail when they are stale.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::bare;

fn read_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    bare().args(["generate", "--out-dir"]).arg(tmp.path()).assert().success();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["completions", "man"] {
        let fresh = read_dir(&tmp.path().join(sub));
        let committed = read_dir(&root.join(sub));
        assert!(!fresh.is_empty());
        let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&committed), names(&fresh), "{sub}/ files differ: run `cargo run -- generate --out-dir .`");
        for (name, bytes) in &fresh {
            assert!(
                committed[name] == *bytes,
                "{sub}/{name} is stale: run `cargo run -- generate --out-dir .` and commit the result"
            );
        }
    }
}
