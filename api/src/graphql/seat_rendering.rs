//! Seat lists rendered once per edition of their map. On opening night thousands of buyers
//! ask for the same showtime's seats between two changes, and resolving each seat's fields
//! for each of them costs more than everything else the request does. A seat list is
//! therefore rendered once per edition and selection (the fields asked for, under their
//! names), and every request for the same edition gets that rendering: its freshness is
//! the map's own, since any change of a seat, a price, a lapsing hold or the waiting line
//! makes a new edition. Selections with fragments, directives or arguments are resolved
//! as usual. Over HTTP the rendering is written into the response as JSON made once per
//! edition (`splice`).

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::parser::types::SelectionSet;
use async_graphql::registry::Registry;
use async_graphql::{ContextSelectionSet, OutputType, Positioned, ServerResult, Value};
use marquee_domain::cache::Latest;
use marquee_domain::catalog::{self, SeatMapEdition};
use marquee_domain::ids::ShowtimeId;

use crate::graphql::selection_key;
use crate::graphql::splice::{Part, Splices};
use crate::graphql::types::ShowSeat;
use crate::metrics::Metrics;

/// Renderings kept, one per map place and selection.
const MAX_RENDERINGS: usize = 4_096;

type Place = (ShowtimeId, usize, usize);

/// The latest rendering of each map place and selection.
pub struct SeatRenderings {
    table: Latest<(Place, String), SeatMapEdition, Arc<Part>>,
    metrics: Arc<Metrics>,
}

impl SeatRenderings {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self {
            table: Latest::new(MAX_RENDERINGS),
            metrics,
        }
    }
}

/// The seats of a map, as the `seats` field returns them.
pub struct RenderedSeats<'a>(pub &'a catalog::SeatMap);

impl RenderedSeats<'_> {
    async fn render(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<async_graphql::parser::types::Field>,
    ) -> ServerResult<Value> {
        let seats: Vec<ShowSeat> = self.0.seats().map(|s| ShowSeat::from(&s)).collect();
        OutputType::resolve(&seats, ctx, field).await
    }
}

impl OutputType for RenderedSeats<'_> {
    fn type_name() -> Cow<'static, str> {
        <Vec<ShowSeat>>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<ShowSeat>>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<ShowSeat>>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<async_graphql::parser::types::Field>,
    ) -> ServerResult<Value> {
        let (Some(shape), Some(renderings)) =
            (shape(ctx.item), ctx.data_opt::<Arc<SeatRenderings>>())
        else {
            return self.render(ctx, field).await;
        };
        let edition = self.0.edition;
        let rendered = AtomicBool::new(false);
        let value = renderings
            .table
            .get_or_try_init((edition.place(), shape), edition, || async {
                rendered.store(true, Ordering::Relaxed);
                self.render(ctx, field)
                    .await
                    .map(|value| Arc::new(Part::new(value)))
            })
            .await?;
        renderings
            .metrics
            .seat_map_served(rendered.load(Ordering::Relaxed));
        Ok(Splices::answer(
            ctx.data_opt::<Arc<Splices>>().map(|s| &**s),
            &value,
        ))
    }
}

/// The fields asked for under their response names, when the selection is plain fields.
fn shape(set: &Positioned<SelectionSet>) -> Option<String> {
    let mut key = String::new();
    selection_key::write(set, "Seat", |_, _| Some(None), &mut key).then_some(key)
}
