//! The email worker: claims due messages one at a time under a lease, renders and sends
//! them, and records the outcome; also asks for reminders of shows starting soon.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use lettre::message::Mailbox;
use marquee_entity::emails;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tokio::sync::Notify;
use tracing::Instrument as _;
use uuid::Uuid;

use super::content;
use super::reminders::request_reminders;
use super::render::Renderer;
use super::{MailError, Mailer};
use crate::clock::SharedClock;

/// Messages looked at per pass.
const BATCH: u64 = 64;
/// The longest wait before a retry.
const MAX_BACKOFF_SECONDS: i64 = 3_600;

/// Told the outcome of every attempt (`sent`, `retry`, `dead`), for metrics.
pub type MailObserver = Arc<dyn Fn(&'static str) + Send + Sync>;

/// How the worker sends.
#[derive(Clone)]
pub struct EmailSettings {
    /// The sender every message shows.
    pub from: Mailbox,
    /// Attempts before a message is given up on (dead-lettered).
    pub max_attempts: i32,
    /// Wait before the first retry; doubled for each further one, up to an hour.
    pub retry_base: Duration,
    /// How long a claimed message belongs to its worker; must outlast one send.
    pub lease: Duration,
    /// How long before a show its reminder goes out.
    pub reminder_lead: Duration,
    /// How often shows starting soon are looked for.
    pub reminder_scan: StdDuration,
    /// Most emails one address is sent in an hour, booking confirmations aside (the rest
    /// stay in the inbox only), so that holds and releases cannot flood an address.
    pub max_per_recipient_hour: u32,
    /// Told of each attempt's outcome.
    pub observer: Option<MailObserver>,
    /// Where buyers reach the web app: links in messages start with it.
    pub public_url: String,
}

/// Sends queued email.
#[derive(Clone)]
pub struct EmailWorker {
    db: DatabaseConnection,
    clock: SharedClock,
    mailer: Arc<dyn Mailer>,
    settings: Arc<EmailSettings>,
    renderer: Arc<Renderer>,
    wake: Arc<Notify>,
    outbox_wake: Arc<Notify>,
}

/// The wait before attempt `attempts + 1`, after `attempts` failed ones.
pub(super) fn backoff(base: Duration, attempts: i32) -> Duration {
    let doublings = Ord::min(u32::try_from(attempts.saturating_sub(1)).unwrap_or(0), 20);
    let seconds = Ord::max(base.num_seconds(), 1).saturating_mul(1_i64 << doublings);
    Duration::seconds(Ord::min(seconds, MAX_BACKOFF_SECONDS))
}

impl EmailWorker {
    /// Wires the worker; `wake` is notified when new messages were queued, `outbox_wake`
    /// when it asked the relay for reminders.
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        mailer: Arc<dyn Mailer>,
        settings: EmailSettings,
        wake: Arc<Notify>,
        outbox_wake: Arc<Notify>,
    ) -> Self {
        Self {
            db,
            clock,
            mailer,
            settings: Arc::new(settings),
            renderer: Arc::new(Renderer::new()),
            wake,
            outbox_wake,
        }
    }

    pub(super) fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub(super) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Tells the worker that messages are waiting.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Sends every message due now; returns how many were attempted.
    pub async fn send_due(&self) -> Result<usize, DbErr> {
        let now = self.clock.now();
        let due: Vec<Uuid> = emails::Entity::find()
            .select_only()
            .column(emails::Column::Id)
            .filter(due_at(now))
            .order_by_asc(emails::Column::NextAttemptAt)
            .limit(BATCH)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut attempted = 0;
        for id in due {
            // Claimed one at a time, just before sending, so a crash strands one message
            // (until its lease lapses), not the batch.
            if let Some(email) = self.claim(id).await? {
                attempted += 1;
                let span = tracing::info_span!(
                    "email.send",
                    email_id = %email.id,
                    kind = %email.kind,
                    booking_id = email.booking_id.map(tracing::field::display),
                    attempt = email.attempts,
                );
                // In the trace of the request behind the message, when it was traced.
                crate::trace::continue_from(&span, email.trace_parent.as_deref());
                self.deliver(email).instrument(span).await?;
            }
        }
        Ok(attempted)
    }

    /// Takes `id` if it is still due and nobody holds it.
    async fn claim(&self, id: Uuid) -> Result<Option<emails::Model>, DbErr> {
        let now = self.clock.now();
        let taken = emails::Entity::update_many()
            .col_expr(
                emails::Column::LeaseUntil,
                Expr::value(now + self.settings.lease),
            )
            .col_expr(
                emails::Column::Attempts,
                Expr::col(emails::Column::Attempts).add(1),
            )
            .filter(emails::Column::Id.eq(id))
            .filter(due_at(now))
            .exec(&self.db)
            .await?
            .rows_affected;
        if taken == 0 {
            return Ok(None);
        }
        emails::Entity::find_by_id(id).one(&self.db).await
    }

    async fn deliver(&self, email: emails::Model) -> Result<(), DbErr> {
        let built = if crate::support::email::is_support_kind(&email.kind) {
            crate::support::email::build(&self.db, &email, &self.settings.from).await?
        } else if email.booking_id.is_none() && email.kind == crate::alerts::ON_SALE_KIND {
            super::alert::load(&self.db, &email.dedupe_key, &self.settings.public_url)
                .await?
                .map_or_else(
                    || Err("the alert no longer exists".to_owned()),
                    |ctx| {
                        super::alert::render(
                            &email.recipient,
                            &email.message_id,
                            &self.settings.from,
                            &ctx,
                        )
                    },
                )
        } else {
            self.booking_message(&email).await?
        };
        let outcome = match built {
            Ok(message) => self.send_within_half_the_lease(message).await,
            Err(why) => Err(MailError::Permanent(why)),
        };
        let now = self.clock.now();
        let mut update = emails::Entity::update_many().col_expr(
            emails::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
        let label = match outcome {
            Ok(()) => {
                update = update
                    .col_expr(emails::Column::Status, Expr::value("sent"))
                    .col_expr(emails::Column::SentAt, Expr::value(now))
                    .col_expr(
                        emails::Column::LastError,
                        Expr::value(Option::<String>::None),
                    );
                "sent"
            }
            Err(MailError::Transient(why)) if email.attempts < self.settings.max_attempts => {
                let next = now + backoff(self.settings.retry_base, email.attempts);
                tracing::warn!(email = %email.id, attempts = email.attempts, error = %why, %next, "email not accepted; will retry");
                update = update
                    .col_expr(emails::Column::NextAttemptAt, Expr::value(next))
                    .col_expr(emails::Column::LastError, Expr::value(why));
                "retry"
            }
            Err(MailError::Transient(why) | MailError::Permanent(why)) => {
                tracing::error!(email = %email.id, attempts = email.attempts, error = %why, "email given up on");
                update = update
                    .col_expr(emails::Column::Status, Expr::value("dead"))
                    .col_expr(emails::Column::LastError, Expr::value(why));
                "dead"
            }
        };
        // Only the claim this worker made: if its lease lapsed and another worker took the
        // message, that worker records the outcome.
        update
            .filter(emails::Column::Id.eq(email.id))
            .filter(emails::Column::Attempts.eq(email.attempts))
            .filter(emails::Column::Status.eq("pending"))
            .exec(&self.db)
            .await?;
        if let Some(observe) = &self.settings.observer {
            observe(label);
        }
        Ok(())
    }

    /// A booking email, rendered from the booking as it is now.
    async fn booking_message(
        &self,
        email: &emails::Model,
    ) -> Result<Result<lettre::Message, String>, DbErr> {
        Ok(match email.booking_id {
            Some(booking) => content::load(&self.db, booking).await?.map_or_else(
                || Err("the booking no longer exists".to_owned()),
                |ctx| {
                    self.renderer
                        .render(
                            &email.kind,
                            &email.recipient,
                            &email.message_id,
                            &self.settings.from,
                            &ctx,
                        )
                        .map_err(|e| e.to_string())
                },
            ),
            None => Err("no booking to write about".to_owned()),
        })
    }

    /// Sends, giving up (to retry later) once half the lease has gone: the transport bounds
    /// only its connect, and a server that stalls in a later command would otherwise keep the
    /// send alive past the lease, when another worker takes the message and sends it again.
    async fn send_within_half_the_lease(&self, message: lettre::Message) -> Result<(), MailError> {
        let limit = self.settings.lease.to_std().unwrap_or_default() / 2;
        tokio::time::timeout(limit, self.mailer.send(message))
            .await
            .unwrap_or_else(|_| {
                Err(MailError::Transient(format!(
                    "no answer from the mail server within {} ms",
                    limit.as_millis()
                )))
            })
    }

    /// Asks for the reminders now due; returns how many were asked for.
    #[tracing::instrument(name = "reminders.scan", skip_all, err)]
    pub async fn request_reminders(&self) -> Result<usize, DbErr> {
        let asked =
            request_reminders(&self.db, self.clock.now(), self.settings.reminder_lead).await?;
        if asked > 0 {
            self.outbox_wake.notify_one();
        }
        Ok(asked)
    }

    /// Runs until the process stops: sends when told new messages were queued, and at least
    /// every `idle` (retries coming due, messages of a worker that died).
    pub async fn run(self, idle: StdDuration) {
        let mut last_scan: Option<tokio::time::Instant> = None;
        loop {
            if last_scan.is_none_or(|t| t.elapsed() >= self.settings.reminder_scan) {
                last_scan = Some(tokio::time::Instant::now());
                if let Err(e) = self.request_reminders().await {
                    tracing::warn!(error = %e, "looking for reminders failed");
                }
            }
            match self.send_due().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "email pass failed; retrying"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(idle) => {}
            }
        }
    }
}

/// Pending, due, and not held by a live lease.
fn due_at(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(emails::Column::Status.eq("pending"))
        .add(emails::Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(emails::Column::LeaseUntil.is_null())
                .add(emails::Column::LeaseUntil.lt(now)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_up_to_an_hour() {
        let base = Duration::seconds(30);
        assert_eq!(backoff(base, 1), Duration::seconds(30));
        assert_eq!(backoff(base, 2), Duration::seconds(60));
        assert_eq!(backoff(base, 4), Duration::seconds(240));
        assert_eq!(backoff(base, 12), Duration::seconds(3_600));
        assert_eq!(backoff(base, i32::MAX), Duration::seconds(3_600));
    }
}
