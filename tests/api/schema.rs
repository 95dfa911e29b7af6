//! The committed `schema.graphql` must be what the code exports.

#[test]
fn schema_graphql_matches_the_exported_sdl() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let committed =
        std::fs::read_to_string(path).expect("schema.graphql is committed at the repository root");
    let exported = marquee::graphql::sdl();
    assert!(
        committed == exported,
        "schema.graphql is stale: run `cargo run -- export-schema` and commit the result"
    );
}
