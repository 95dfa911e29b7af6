//! Showtime lists rendered once per catalog generation. Every buyer browsing a city asks
//! for the same few lists, and resolving twenty showtimes with their titles, theatres and
//! prices field by field costs far more than the rest of the request. A list is rendered
//! once per filter, selection and catalog generation (the newest catalog change heard, which
//! every change of a title, theatre, showtime or price moves), and kept while time leaves it
//! as it is: until the first showtime in it starts, when the list starts now. Only fields
//! that change with the catalog alone are kept this way; any other field (seat maps,
//! sections, a viewer's own data), an argument, a directive or a fragment in the selection,
//! and the list is resolved as usual.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{
    ContextSelectionSet, OutputType, Positioned, ServerError, ServerResult, Value,
};
use chrono::{DateTime, Utc};
use marquee_domain::cache::Latest;
use marquee_domain::catalog::{CatalogError, ShowtimeFilter};

use crate::graphql::error::ApiError;
use crate::graphql::selection_key;
use crate::graphql::splice::{Part, Splices};
use crate::graphql::types::Showtime;
use crate::metrics::Metrics;
use marquee_domain::services::Services;

/// Lists kept, one per filter and selection.
const MAX_LISTS: usize = 1_024;

/// One rendered list and until when time leaves it as it is.
struct Kept {
    part: Part,
    until: Option<DateTime<Utc>>,
}

/// The latest rendering of each filter and selection.
pub struct ListingRenderings {
    table: Latest<(String, String), i64, Arc<Kept>>,
    metrics: Arc<Metrics>,
}

impl ListingRenderings {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self {
            table: Latest::new(MAX_LISTS),
            metrics,
        }
    }
}

/// The showtimes a filter lists, as the `showtimes` field returns them.
pub struct ShowtimeList(pub ShowtimeFilter);

/// Why a rendering is not kept.
enum Unkept {
    Failed(ServerError),
    /// Rendered, but with an error on the way (a title that could not be read, say):
    /// answered this once.
    Partial(Value),
}

impl ShowtimeList {
    async fn render(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
        found: Vec<marquee_domain::catalog::Showtime>,
    ) -> ServerResult<Value> {
        let list: Vec<Showtime> = found.into_iter().map(Showtime).collect();
        OutputType::resolve(&list, ctx, field).await
    }

    async fn resolve_as_usual(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let found = ctx
            .data_unchecked::<Arc<Services>>()
            .catalog
            .showtimes(&self.0)
            .await
            .map_err(|e| server_error(e, field))?;
        self.render(ctx, field, found).await
    }

    async fn render_to_keep(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> Result<Arc<Kept>, Unkept> {
        let (found, until) = ctx
            .data_unchecked::<Arc<Services>>()
            .catalog
            .showtimes_to_keep(&self.0)
            .await
            .map_err(|e| Unkept::Failed(server_error(e, field)))?;
        let errors = error_count(ctx);
        let value = self
            .render(ctx, field, found)
            .await
            .map_err(Unkept::Failed)?;
        if error_count(ctx) != errors {
            return Err(Unkept::Partial(value));
        }
        Ok(Arc::new(Kept {
            part: Part::new(value),
            until,
        }))
    }
}

fn server_error(e: CatalogError, field: &Positioned<Field>) -> ServerError {
    async_graphql::Error::from(ApiError::from(e)).into_server_error(field.pos)
}

fn error_count(ctx: &ContextSelectionSet<'_>) -> usize {
    ctx.query_env.errors.lock().map_or(usize::MAX, |e| e.len())
}

impl OutputType for ShowtimeList {
    fn type_name() -> Cow<'static, str> {
        <Vec<Showtime>>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<Showtime>>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<Showtime>>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let mut selection = String::new();
        let (true, Some(renderings)) = (
            selection_key::write(ctx.item, "Showtime", kept_field, &mut selection),
            ctx.data_opt::<Arc<ListingRenderings>>(),
        ) else {
            return self.resolve_as_usual(ctx, field).await;
        };
        let catalog = &ctx.data_unchecked::<Arc<Services>>().catalog;
        // Read before the list: a list read at a newer generation is kept at an older one
        // at worst, and replaced when its next reader brings the newer one.
        let generation = catalog.generation();
        let now = catalog.now();
        let rendered = AtomicBool::new(false);
        let kept = renderings
            .table
            .get_or_try_init_unless(
                (format!("{:?}", self.0), selection),
                generation,
                |kept| kept.until.is_some_and(|until| until <= now),
                || {
                    rendered.store(true, Ordering::Relaxed);
                    self.render_to_keep(ctx, field)
                },
            )
            .await;
        renderings
            .metrics
            .listing_served(rendered.load(Ordering::Relaxed));
        match kept {
            Ok(kept) => Ok(Splices::answer(
                ctx.data_opt::<Arc<Splices>>().map(|s| &**s),
                &kept.part,
            )),
            Err(Unkept::Partial(value)) => Ok(value),
            Err(Unkept::Failed(e)) => Err(e),
        }
    }
}

/// The fields of `ty` a kept list may show: for each, the type of its selection (`None`
/// for a leaf). All of them change only with a catalog change.
fn kept_field(ty: &str, field: &str) -> Option<Option<&'static str>> {
    const SHOWTIME: &[&str] = &[
        "id",
        "startsAt",
        "endsAt",
        "status",
        "onSaleAt",
        "waitingRoom",
        "currency",
    ];
    const MOVIE: &[&str] = &[
        "id",
        "title",
        "synopsis",
        "genres",
        "cast",
        "runtimeMinutes",
        "certificate",
        "language",
        "releaseDate",
        "posterUrl",
        "trailerUrl",
    ];
    const EVENT: &[&str] = &[
        "id",
        "organisationId",
        "title",
        "description",
        "performer",
        "category",
        "genres",
        "language",
        "durationMinutes",
        "ageRating",
        "posterUrl",
    ];
    const THEATRE: &[&str] = &[
        "id",
        "organisationId",
        "name",
        "address",
        "city",
        "state",
        "zip",
        "latitude",
        "longitude",
        "timezone",
    ];
    const PRICE: &[&str] = &["category", "priceCents"];
    const RATING: &[&str] = &["average", "count", "histogram"];
    if field == "__typename" {
        return Some(None);
    }
    let (leaves, objects): (&[&str], &[(&str, &'static str)]) = match ty {
        "Showtime" => (
            SHOWTIME,
            &[
                ("movie", "Movie"),
                ("event", "Event"),
                ("theatre", "Theatre"),
                ("prices", "Price"),
            ],
        ),
        "Movie" => (MOVIE, &[("rating", "Rating")]),
        "Event" => (EVENT, &[]),
        "Theatre" => (THEATRE, &[]),
        "Price" => (PRICE, &[]),
        "Rating" => (RATING, &[]),
        _ => return None,
    };
    if leaves.contains(&field) {
        return Some(None);
    }
    objects
        .iter()
        .find(|(name, _)| *name == field)
        .map(|(_, child)| Some(*child))
}
