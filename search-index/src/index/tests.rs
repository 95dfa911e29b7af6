use super::*;
use crate::geo::LatLon;

fn movie(id: &str, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        kind: Some(Kind::Movie),
        id: id.into(),
        title: title.into(),
        body: body.into(),
        ..SearchDoc::default()
    }
}

const CHICAGO: LatLon = LatLon {
    lat: 41.8853,
    lon: -87.6278,
};
const EVANSTON: LatLon = LatLon {
    lat: 42.0451,
    lon: -87.6877,
};
const AUSTIN: LatLon = LatLon {
    lat: 30.2672,
    lon: -97.7431,
};

fn theatre(id: &str, name: &str, city: &str, zip: &str, at: LatLon) -> SearchDoc {
    SearchDoc {
        kind: Some(Kind::Theatre),
        id: id.into(),
        title: name.into(),
        body: format!("1 Main St, {city}"),
        places: vec![name.into()],
        cities: vec![city.into()],
        zips: vec![zip.into()],
        points: vec![at],
        ..SearchDoc::default()
    }
}

fn catalog() -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    let mut avengers = movie("m1", "The Avengers", "Earth's mightiest heroes assemble.");
    avengers.genres = vec!["action".into()];
    avengers.cities = vec!["Chicago".into()];
    avengers.dates = vec!["2026-11-24".into()];
    avengers.points = vec![CHICAGO];
    avengers.people = vec!["Scarlett Johansson".into()];
    let mut spider = movie(
        "m2",
        "Spider-Man: No Way Home",
        "A hero's identity is revealed.",
    );
    spider.genres = vec!["action".into()];
    spider.cities = vec!["Austin".into()];
    spider.dates = vec!["2026-11-25".into()];
    spider.points = vec![AUSTIN];
    let mut quiet = movie(
        "m3",
        "Quiet Days",
        "A slow drama about avengers of nothing.",
    );
    quiet.genres = vec!["drama".into()];
    quiet.cities = vec!["Chicago".into()];
    quiet.dates = vec!["2026-11-24".into()];
    index
        .replace_all(&[
            avengers,
            spider,
            quiet,
            theatre("t1", "Grand Chicago", "Chicago", "60601", CHICAGO),
            theatre("t2", "Evanston Six", "Evanston", "60201", EVANSTON),
            theatre("t3", "Austin Palace", "Austin", "78701", AUSTIN),
        ])
        .expect("indexed");
    index
}

fn ids(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

fn text(q: &str) -> SearchRequest {
    SearchRequest {
        text: q.into(),
        limit: 10,
        snippets: true,
        ..SearchRequest::default()
    }
}

#[test]
fn a_misspelt_title_is_found_and_ranked_above_descriptions() {
    let index = catalog();
    let hits = index.search(&text("avengrs")).expect("search");
    assert_eq!(hits.first().map(|h| h.id.as_str()), Some("m1"), "{hits:?}");
    assert!(
        ids(&hits).contains(&"m3"),
        "the description matches too: {hits:?}"
    );
    let exact = index.search(&text("the avengers")).expect("search");
    assert_eq!(exact[0].id, "m1");
    assert!(index.search(&text("zzzzqqq")).expect("search").is_empty());
}

#[test]
fn typos_by_word_length_and_the_nearest_words_only() {
    let index = catalog();
    let first = |q: &str| {
        let hits = index.search(&text(q)).expect("search");
        hits.first().map(|h| h.id.clone())
    };
    // One edit anywhere, the first letter included.
    assert_eq!(first("qiuet").as_deref(), Some("m3"));
    assert_eq!(first("uiet").as_deref(), Some("m3"));
    // Two edits in a long word, after its first letter.
    assert_eq!(first("avngrs").as_deref(), Some("m1"));
    assert_eq!(first("scrlet").as_deref(), Some("m1"));
    assert_eq!(first("jhnsson").as_deref(), Some("m1"));
    // Not two edits at the first letter, nor two in a short word.
    assert_eq!(first("xvngers"), None);
    assert_eq!(first("qxet"), None);
    // No typo at all in a word of two letters.
    assert_eq!(first("nx"), None);
    // A word some document has as typed is not expanded: "heroes" is not "hero's".
    let hits = index.search(&text("heroes")).expect("search");
    assert_eq!(ids(&hits), vec!["m1"]);
    assert_eq!(ids(&index.search(&text("heros")).expect("search")).len(), 2);
}

#[test]
fn people_and_snippets() {
    let index = catalog();
    let hits = index.search(&text("johansson")).expect("search");
    assert_eq!(ids(&hits), vec!["m1"]);
    let hits = index.search(&text("heroes")).expect("search");
    let avengers = hits.iter().find(|h| h.id == "m1").expect("found");
    assert!(
        avengers
            .snippet
            .as_deref()
            .unwrap_or("")
            .contains("<b>heroes</b>"),
        "{avengers:?}"
    );
    let plain = SearchRequest {
        snippets: false,
        ..text("heroes")
    };
    let hits = index.search(&plain).expect("search");
    assert!(hits.iter().all(|h| h.snippet.is_none()), "{hits:?}");
    assert_eq!(ids(&hits), vec!["m1"], "the same hits without snippets");
}

#[test]
fn autocomplete_matches_title_starts_and_word_starts() {
    let index = catalog();
    let titles: Vec<String> = index
        .autocomplete("spider", 5)
        .expect("autocomplete")
        .into_iter()
        .map(|s| s.title)
        .collect();
    assert_eq!(titles, vec!["Spider-Man: No Way Home"]);
    let titles: Vec<String> = index
        .autocomplete("The Av", 5)
        .expect("autocomplete")
        .into_iter()
        .map(|s| s.title)
        .collect();
    assert_eq!(titles.first().map(String::as_str), Some("The Avengers"));
    assert!(
        index
            .autocomplete("  ", 5)
            .expect("autocomplete")
            .is_empty()
    );
}

#[test]
fn filters_narrow_by_kind_city_zip_genre_and_date() {
    let index = catalog();
    let mut request = text("");
    request.filters.genres = vec!["Action".into()];
    request.filters.cities = vec!["chicago".into()];
    request.filters.dates = vec!["2026-11-24".into()];
    assert_eq!(ids(&index.search(&request).expect("search")), vec!["m1"]);

    let mut request = text("");
    request.filters.kinds = vec![Kind::Theatre];
    request.filters.zips = vec!["60201".into()];
    assert_eq!(ids(&index.search(&request).expect("search")), vec!["t2"]);
}

#[test]
fn near_me_keeps_what_is_inside_the_radius_nearest_first() {
    let index = catalog();
    let mut request = text("");
    request.filters.kinds = vec![Kind::Theatre];
    request.filters.near = Some((CHICAGO, 30.0));
    let hits = index.search(&request).expect("search");
    assert_eq!(ids(&hits), vec!["t1", "t2"]);
    assert!(hits[1].distance_km.expect("distance") > 15.0);
    request.filters.near = Some((CHICAGO, 10.0));
    assert_eq!(ids(&index.search(&request).expect("search")), vec!["t1"]);
    // Titles are near where they play.
    let mut request = text("");
    request.filters.kinds = vec![Kind::Movie];
    request.filters.near = Some((AUSTIN, 10.0));
    assert_eq!(ids(&index.search(&request).expect("search")), vec!["m2"]);
}

#[test]
fn a_renamed_title_is_found_by_its_new_name_and_removed_ones_vanish() {
    let index = catalog();
    index
        .upsert(&[movie("m3", "Loud Nights", "Renamed.")])
        .expect("upsert");
    assert_eq!(
        ids(&index.search(&text("loud nights")).expect("search")),
        vec!["m3"]
    );
    assert!(
        index
            .search(&text("quiet days"))
            .expect("search")
            .is_empty()
    );
    index.remove(&[(Kind::Movie, "m3".into())]).expect("remove");
    assert!(index.search(&text("loud")).expect("search").is_empty());
    assert_eq!(index.len(), 5);
}

#[test]
fn the_index_survives_reopening_its_folder() {
    let dir = tempfile::tempdir().expect("dir");
    {
        let index = SearchIndex::open(dir.path()).expect("open");
        index
            .upsert(&[movie("m9", "Persistent Vision", "")])
            .expect("upsert");
    }
    let index = SearchIndex::open(dir.path()).expect("reopen");
    assert_eq!(
        ids(&index.search(&text("persistent")).expect("search")),
        vec!["m9"]
    );
}

#[test]
fn standing_lifts_equally_relevant_titles_but_not_over_a_better_match() {
    let index = SearchIndex::in_memory().expect("index");
    let mut loved = movie("loved", "Comet Beta", "A comet story.");
    loved.rating = Some(4.8);
    let mut panned = movie("panned", "Comet Alpha", "A comet story.");
    panned.rating = Some(1.3);
    let mut playing = movie("playing", "Comet Gamma", "A comet story.");
    playing.dates = vec!["2026-12-03".into()];
    let unknown = movie("unknown", "Comet Delta", "A comet story.");
    index
        .upsert(&[panned, unknown, playing, loved])
        .expect("upsert");
    let hits = index.search(&text("comet")).expect("search");
    assert_eq!(
        ids(&hits),
        ["loved", "playing", "unknown", "panned"],
        "{hits:?}"
    );
    // An exact title still beats a better-rated near miss.
    let exact = index.search(&text("comet alpha")).expect("search");
    assert_eq!(exact[0].id, "panned", "{exact:?}");
}

#[test]
fn titles_selling_well_rank_above_equally_relevant_ones() {
    let index = SearchIndex::in_memory().expect("index");
    let mut hit = movie("hit", "Harbour Alpha", "A harbour story.");
    hit.tickets_sold = 900;
    let mut some = movie("some", "Harbour Beta", "A harbour story.");
    some.tickets_sold = 12;
    let none = movie("none", "Harbour Gamma", "A harbour story.");
    index.upsert(&[none, some, hit]).expect("upsert");
    let hits = index.search(&text("harbour")).expect("search");
    assert_eq!(ids(&hits), ["hit", "some", "none"], "{hits:?}");
    // Popularity does not beat the exact title.
    let exact = index.search(&text("harbour gamma")).expect("search");
    assert_eq!(exact[0].id, "none", "{exact:?}");
}

#[test]
fn odd_words_are_searched_without_failing() {
    let index = catalog();
    let search = |q: &str| index.search(&text(q)).expect("searched");
    // Too long to be a word of any document: nothing, not everything.
    assert!(search(&"avengers".repeat(25)).is_empty());
    assert!(search("!!! ???").is_empty());
    assert_eq!(ids(&search("🎬avengrs"))[0], "m1");
    assert_eq!(ids(&search("\u{D7FF}vengers"))[0], "m1");
    assert!(search("\u{10FFFF}x\u{10FFFF}").is_empty());
    assert!(search("12345 678901").is_empty());
    // No words and no filters lists everything, as browsing does.
    assert_eq!(search("  ").len(), 6);
}

#[test]
fn a_typo_looked_up_before_a_change_finds_what_the_change_added() {
    let index = SearchIndex::in_memory().expect("index");
    index
        .upsert(&[movie("a", "Stranger Things", "")])
        .expect("upsert");
    assert_eq!(ids(&index.search(&text("strangr")).expect("search")), ["a"]);
    assert_eq!(
        ids(&index.search(&text("strangr")).expect("search")),
        ["a"],
        "the remembered expansion gives the same answer"
    );
    index
        .upsert(&[movie("b", "Strangar Tales", "")])
        .expect("upsert");
    let found = index.search(&text("strangr")).expect("search");
    let mut found = ids(&found);
    found.sort_unstable();
    assert_eq!(found, ["a", "b"]);
}

#[test]
fn hits_are_named_by_their_ids_as_given_whatever_their_spelling() {
    let index = SearchIndex::in_memory().expect("index");
    let canonical = "0192f1c4-7a3e-7d10-8b2a-5c6d7e8f9a0b";
    let upper = "0192F1C4-7A3E-7D10-8B2A-5C6D7E8F9A0C";
    let simple = "0192f1c47a3e7d108b2a5c6d7e8f9a0d";
    let mut venue = theatre(canonical, "Lantern Hall", "Chicago", "60601", CHICAGO);
    venue.title = "Lantern Hall".into();
    let mut show = movie(upper, "Lantern Night", "");
    show.kind = Some(Kind::Event);
    index
        .upsert(&[
            venue,
            show,
            movie(simple, "Lantern Days", ""),
            movie("m1", "Lantern Dusk", ""),
        ])
        .expect("upsert");
    let mut found: Vec<(Kind, String)> = index
        .search(&text("lantern"))
        .expect("search")
        .into_iter()
        .map(|h| (h.kind, h.id))
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    let mut expected = vec![
        (Kind::Theatre, canonical.to_owned()),
        (Kind::Event, upper.to_owned()),
        (Kind::Movie, simple.to_owned()),
        (Kind::Movie, "m1".to_owned()),
    ];
    expected.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(found, expected);
}

#[test]
fn near_me_finds_what_is_near_among_many_better_matches_far_away() {
    let index = SearchIndex::in_memory().expect("index");
    let mut docs: Vec<SearchDoc> = (0..300)
        .map(|i| {
            let mut far = theatre(
                &format!("far{i}"),
                "Cinema Cinema",
                "Austin",
                "78701",
                AUSTIN,
            );
            far.body = "cinema cinema cinema".into();
            far
        })
        .collect();
    docs.push(theatre(
        "near1",
        "Cinema North",
        "Chicago",
        "60601",
        CHICAGO,
    ));
    docs.push(theatre(
        "near2",
        "Cinema Lakeside",
        "Evanston",
        "60201",
        EVANSTON,
    ));
    index.replace_all(&docs).expect("indexed");
    let mut request = text("");
    request.filters.near = Some((CHICAGO, 30.0));
    assert_eq!(
        ids(&index.search(&request).expect("search")),
        ["near1", "near2"]
    );
    let mut request = text("cinema");
    request.filters.near = Some((CHICAGO, 30.0));
    let mut found = ids(&index.search(&request).expect("search"))
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    found.sort();
    assert_eq!(found, ["near1", "near2"]);
}

#[test]
fn a_rebuild_added_in_batches_replaces_the_index_only_when_finished() {
    let index = catalog();
    let batches: Vec<Vec<SearchDoc>> = (0..3)
        .map(|b| {
            (0..50)
                .map(|i| movie(&format!("n{b}-{i}"), &format!("Harbour Lights {b}"), ""))
                .collect()
        })
        .collect();
    // Dropped unfinished (a failed read): the old documents stay, the new never show.
    let mut unfinished = index.rebuild().expect("rebuild");
    unfinished.add(&batches[0]).expect("added");
    drop(unfinished);
    assert_eq!(index.len(), 6);
    assert_eq!(
        ids(&index.search(&text("avengers")).expect("search"))[0],
        "m1"
    );
    // The old documents stay searchable until the rebuild finishes.
    let mut rebuild = index.rebuild().expect("rebuild");
    for batch in &batches {
        rebuild.add(batch).expect("added");
    }
    assert_eq!(index.len(), 6);
    rebuild.finish().expect("finished");
    assert_eq!(index.len(), 150);
    assert!(index.search(&text("avengers")).expect("search").is_empty());
    let harbour = index.search(&text("harbour lights 2")).expect("search");
    assert!(
        harbour.iter().all(|h| h.id.starts_with("n2-")),
        "{harbour:?}"
    );
    // The index is writable again afterwards.
    index
        .upsert(&[movie("m9", "Avengers Again", "")])
        .expect("upserted");
    assert_eq!(index.len(), 151);
}

#[test]
fn a_kinds_filter_reads_the_same_whichever_side_is_cheaper_to_walk() {
    let index = catalog();
    let mut guide = movie(
        "a1",
        "Avengers ticket guide",
        "How to buy avengers tickets.",
    );
    guide.kind = Some(Kind::Article);
    index.upsert(&[guide]).expect("upserted");
    let search = |kinds: Vec<Kind>| {
        let mut request = text("avengers");
        request.filters.kinds = kinds;
        let hits = index.search(&request).expect("search");
        let mut found: Vec<String> = hits.into_iter().map(|h| h.id).collect();
        found.sort();
        found
    };
    // Titles: three kinds, nearly every document (checked as "not an article").
    assert_eq!(
        search(vec![Kind::Movie, Kind::Event, Kind::Theatre]),
        ["m1", "m3"]
    );
    // One small kind (checked as "an article").
    assert_eq!(search(vec![Kind::Article]), ["a1"]);
    assert_eq!(search(vec![Kind::Movie, Kind::Article]), ["a1", "m1", "m3"]);
    assert_eq!(search(vec![Kind::Event]), Vec::<String>::new());
    assert_eq!(search(Kind::ALL.to_vec()), ["a1", "m1", "m3"]);
}
