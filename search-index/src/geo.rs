//! Great-circle distances and bounding boxes on a spherical Earth.

/// Mean Earth radius in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6_371.008_8;

/// A point in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    /// Latitude, -90..=90.
    pub lat: f64,
    /// Longitude, -180..=180.
    pub lon: f64,
}

impl LatLon {
    /// The point in one number, each coordinate to about 5 mm: a column of these is read
    /// without a document.
    pub fn packed(self) -> u64 {
        let scale = |degrees: f64, range: f64| {
            (((degrees + range) / (2.0 * range)).clamp(0.0, 1.0) * f64::from(u32::MAX)).round()
                as u64
        };
        (scale(self.lat, 90.0) << 32) | scale(self.lon, 180.0)
    }

    /// The point [`Self::packed`] made.
    pub fn unpacked(packed: u64) -> Self {
        let degrees =
            |bits: u64, range: f64| bits as f64 / f64::from(u32::MAX) * 2.0 * range - range;
        Self {
            lat: degrees(packed >> 32, 90.0),
            lon: degrees(packed & u64::from(u32::MAX), 180.0),
        }
    }
}

/// Haversine distance in kilometres.
pub fn distance_km(a: LatLon, b: LatLon) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// A latitude/longitude rectangle that contains every point within `radius_km` of
/// `center`; it may contain more, so callers filter by [`distance_km`] afterwards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// Southern edge.
    pub min_lat: f64,
    /// Northern edge.
    pub max_lat: f64,
    /// Western edge (may be > `max_lon` when the box crosses the antimeridian).
    pub min_lon: f64,
    /// Eastern edge.
    pub max_lon: f64,
}

impl BoundingBox {
    /// The box around a circle.
    pub fn around(center: LatLon, radius_km: f64) -> Self {
        let dlat = (radius_km / EARTH_RADIUS_KM).to_degrees();
        let min_lat = (center.lat - dlat).max(-90.0);
        let max_lat = (center.lat + dlat).min(90.0);
        // Near the poles every longitude may be within reach.
        let cos = center.lat.to_radians().cos();
        if cos < 1e-6 || max_lat >= 90.0 || min_lat <= -90.0 {
            return Self {
                min_lat,
                max_lat,
                min_lon: -180.0,
                max_lon: 180.0,
            };
        }
        let dlon = (radius_km / (EARTH_RADIUS_KM * cos)).to_degrees();
        if dlon >= 180.0 {
            return Self {
                min_lat,
                max_lat,
                min_lon: -180.0,
                max_lon: 180.0,
            };
        }
        let wrap = |x: f64| {
            if x > 180.0 {
                x - 360.0
            } else if x < -180.0 {
                x + 360.0
            } else {
                x
            }
        };
        Self {
            min_lat,
            max_lat,
            min_lon: wrap(center.lon - dlon),
            max_lon: wrap(center.lon + dlon),
        }
    }

    /// Whether the box crosses the antimeridian (then longitude is `>= min OR <= max`).
    pub fn crosses_antimeridian(&self) -> bool {
        self.min_lon > self.max_lon
    }

    /// Whether `p` is inside.
    pub fn contains(&self, p: LatLon) -> bool {
        let lon = if self.crosses_antimeridian() {
            p.lon >= self.min_lon || p.lon <= self.max_lon
        } else {
            p.lon >= self.min_lon && p.lon <= self.max_lon
        };
        lon && p.lat >= self.min_lat && p.lat <= self.max_lat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_distances() {
        let nyc = LatLon {
            lat: 40.7128,
            lon: -74.0060,
        };
        let la = LatLon {
            lat: 34.0522,
            lon: -118.2437,
        };
        let d = distance_km(nyc, la);
        assert!((d - 3936.0).abs() < 10.0, "{d}");
        assert!(distance_km(nyc, nyc) < 1e-9);
    }

    #[test]
    fn a_packed_point_is_within_a_centimetre_of_itself() {
        for (lat, lon) in [
            (41.8853, -87.6278),
            (-33.8688, 151.2093),
            (90.0, 180.0),
            (-90.0, -180.0),
            (0.0, 0.0),
        ] {
            let p = LatLon { lat, lon };
            let back = LatLon::unpacked(p.packed());
            assert!(distance_km(p, back) < 1e-5, "{p:?} came back as {back:?}");
        }
    }

    #[test]
    fn box_contains_the_circle() {
        let c = LatLon {
            lat: 47.6062,
            lon: -122.3321,
        };
        let b = BoundingBox::around(c, 10.0);
        for bearing in 0..360 {
            let t = f64::from(bearing).to_radians();
            // Points just inside 10 km in every direction.
            let p = LatLon {
                lat: c.lat + (9.9 / 111.0) * t.cos(),
                lon: c.lon + (9.9 / (111.0 * c.lat.to_radians().cos())) * t.sin(),
            };
            if distance_km(c, p) <= 10.0 {
                assert!(b.contains(p), "{p:?} is outside {b:?}");
            }
        }
        let fiji = BoundingBox::around(
            LatLon {
                lat: -17.7,
                lon: 179.99,
            },
            50.0,
        );
        assert!(fiji.crosses_antimeridian());
        assert!(fiji.contains(LatLon {
            lat: -17.7,
            lon: -179.9
        }));
        assert!(!fiji.contains(LatLon {
            lat: -17.7,
            lon: 179.0
        }));
    }
}
