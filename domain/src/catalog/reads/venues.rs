//! Theatres: by city, zip, or distance.

use marquee_entity::theatres;
use marquee_search::geo::{BoundingBox, LatLon, distance_km};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::ids::TheatreId;

use super::super::{CatalogError, Theatre};
use super::*;

impl CatalogReader {
    /// Theatres matching the filter: nearest first with `near`, else by city and name.
    pub async fn theatres(&self, filter: &TheatreFilter) -> Result<Vec<Theatre>, CatalogError> {
        let mut q = theatres::Entity::find().filter(theatres::Column::DeletedAt.is_null());
        if let Some(city) = &filter.city {
            q = q.filter(lower_eq(theatres::Column::City, city));
        }
        if let Some(zip) = &filter.zip {
            q = q.filter(theatres::Column::Zip.eq(zip.trim().to_uppercase()));
        }
        let Some(near) = filter.near else {
            let rows = q
                .order_by_asc(theatres::Column::City)
                .order_by_asc(theatres::Column::Name)
                .limit(MAX_THEATRES)
                .all(self.reads.get())
                .await?;
            return Ok(rows.into_iter().map(Theatre::from).collect());
        };
        super::super::validate::coordinates(near.lat, near.lon)?;
        if !(near.radius_km.is_finite() && near.radius_km > 0.0 && near.radius_km <= MAX_RADIUS_KM)
        {
            return Err(CatalogError::invalid(
                "radiusKm",
                format!("must be more than 0 and at most {MAX_RADIUS_KM}"),
            ));
        }
        let center = LatLon {
            lat: near.lat,
            lon: near.lon,
        };
        let bbox = BoundingBox::around(center, near.radius_km);
        q = q.filter(theatres::Column::Latitude.between(bbox.min_lat, bbox.max_lat));
        q = q.filter(if bbox.crosses_antimeridian() {
            Condition::any()
                .add(theatres::Column::Longitude.gte(bbox.min_lon))
                .add(theatres::Column::Longitude.lte(bbox.max_lon))
        } else {
            Condition::all().add(theatres::Column::Longitude.between(bbox.min_lon, bbox.max_lon))
        });
        let mut found: Vec<Theatre> = q
            .all(self.reads.get())
            .await?
            .into_iter()
            .filter_map(|m| {
                let d = distance_km(
                    center,
                    LatLon {
                        lat: m.latitude,
                        lon: m.longitude,
                    },
                );
                (d <= near.radius_km).then(|| Theatre {
                    distance_km: Some(d),
                    ..Theatre::from(m)
                })
            })
            .collect();
        found.sort_by(|a, b| {
            a.distance_km
                .partial_cmp(&b.distance_km)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        found.truncate(MAX_THEATRES as usize);
        Ok(found)
    }

    /// One theatre, unless retired.
    pub async fn theatre(&self, id: TheatreId) -> Result<Option<Theatre>, CatalogError> {
        Ok(theatres::Entity::find_by_id(id.uuid())
            .filter(theatres::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .map(Theatre::from))
    }
}
