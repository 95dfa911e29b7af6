//! Layout parsing: numbering, refusals, sections, the place limit.

use super::*;

fn rows(spec: &[(&str, &str)]) -> Vec<(String, String)> {
    spec.iter()
        .map(|(l, s)| (l.to_string(), s.to_string()))
        .collect()
}

#[test]
fn numbers_seats_skipping_gaps() {
    let layout = ScreenLayout::parse(&rows(&[("A", "AC__SS"), ("B", "PP_PP")])).unwrap();
    assert_eq!(layout.seat_count(), 8);
    let a = &layout.sections[0].rows[0];
    assert_eq!(
        a.seats.iter().map(|s| s.number).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    assert_eq!(a.seats[2].x, 4);
    assert_eq!(layout.sections[0].rows[1].seats[0].y, 1);
    assert_eq!(
        layout.categories(),
        vec![
            SeatCategory::Standard,
            SeatCategory::Premium,
            SeatCategory::Accessible,
            SeatCategory::Companion
        ]
    );
}

#[test]
fn rejects_bad_layouts() {
    for bad in [
        rows(&[]),
        rows(&[("A", "___")]),
        rows(&[("A", "SSX")]),
        rows(&[("A", "SS"), ("A", "SS")]),
        rows(&[("A", "SC_A")]),
        rows(&[("", "SS")]),
        rows(&[("A-1", "SS")]),
    ] {
        assert!(ScreenLayout::parse(&bad).is_err(), "{bad:?} accepted");
    }
}

fn section(name: &str, spec: &[(&str, &str)]) -> SectionSpec {
    SectionSpec {
        name: name.into(),
        rows: rows(spec),
        map: None,
        ..SectionSpec::default()
    }
}

#[test]
fn sections_reuse_row_labels_and_refuse_duplicates() {
    let venue = ScreenLayout::parse_sections(&[
        section("101", &[("A", "SSS")]),
        section("102", &[("A", "PP")]),
    ])
    .unwrap();
    assert_eq!(venue.seat_count(), 5);
    assert_eq!(venue.sections[1].rows[0].label, "A");
    for bad in [
        vec![],
        vec![
            section("101", &[("A", "S")]),
            section(" 101 ", &[("A", "S")]),
        ],
        vec![section("101", &[])],
        vec![section("", &[("A", "S")])],
    ] {
        assert!(
            ScreenLayout::parse_sections(&bad).is_err(),
            "{bad:?} accepted"
        );
    }
}

#[test]
fn sixty_thousand_places_and_no_more() {
    let row = "S".repeat(300);
    let rows: Vec<(String, String)> = (0..200).map(|i| (format!("{i}"), row.clone())).collect();
    assert_eq!(ScreenLayout::parse(&rows).unwrap().seat_count(), 60_000);
    let mut over = rows.clone();
    over.push(("X".into(), "S".into()));
    assert!(ScreenLayout::parse(&over).is_err());
    assert!(ScreenLayout::parse(&[("A".into(), "S".repeat(401))]).is_err());
}
