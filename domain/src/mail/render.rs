//! Turning a queued email and its context into a MIME message: plain text and HTML
//! alternatives, the HTML with each ticket's QR code as an inline PNG (`cid:qr-CODE`).

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use minijinja::Environment;
use serde::Serialize;

use super::content::EmailContext;
use super::qr::qr_png;

/// What each kind of email says around the booking details.
struct Wording {
    /// `{title}` is replaced by the show's title.
    subject: &'static str,
    headline: &'static str,
    intro: &'static str,
    tickets: bool,
    totals: bool,
}

fn wording(kind: &str) -> Option<Wording> {
    let (subject, headline, intro, tickets, totals) = match kind {
        "booking.confirmed" => (
            "Your tickets for {title}",
            "Booking confirmed",
            "Your booking is confirmed. Your tickets are below.",
            true,
            true,
        ),
        "booking.reminder" => (
            "Reminder: {title} starts soon",
            "See you soon",
            "Your show starts soon. Your tickets are below.",
            true,
            false,
        ),
        "showtime.changed" => (
            "New time or screen for {title}",
            "Showtime changed",
            "The theatre moved this show. Your tickets stay valid; the new details are below.",
            true,
            false,
        ),
        "waitlist.offered" => (
            "Seats for {title} are held for you",
            "Your turn on the waitlist",
            "Seats came back and are held for you for a few minutes. Check out your booking in the app before the hold runs out, or they pass to the next in line.",
            false,
            false,
        ),
        "booking.expired" => (
            "Your seats for {title} were released",
            "Hold expired",
            "Your hold ran out before payment, so the seats went back on sale. You were not charged.",
            false,
            false,
        ),
        "booking.payment_failed" => (
            "Payment failed for {title}",
            "Payment failed",
            "Your payment did not go through, so the seats were released. You were not charged.",
            false,
            false,
        ),
        "booking.refunded" => (
            "Your booking for {title} was refunded",
            "Booking refunded",
            "We could not complete your booking: the seats were taken before your payment arrived.",
            false,
            false,
        ),
        "booking.cancelled" => (
            "Booking cancelled: {title}",
            "Booking cancelled",
            "Your booking is cancelled and its tickets are no longer valid.",
            false,
            false,
        ),
        "booking.showtime_cancelled" => (
            "Cancelled by the theatre: {title}",
            "Show cancelled",
            "The theatre cancelled this show. Your booking is refunded in full and its tickets are no longer valid.",
            false,
            false,
        ),
        _ => return None,
    };
    Some(Wording {
        subject,
        headline,
        intro,
        tickets,
        totals,
    })
}

/// Why a message could not be built; none of these pass with time.
#[derive(Debug, thiserror::Error)]
pub(super) enum RenderError {
    #[error("no template for email kind {0}")]
    UnknownKind(String),
    #[error("recipient address {0:?} is not valid")]
    BadRecipient(String),
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
    #[error("message: {0}")]
    Message(String),
}

#[derive(Serialize)]
struct View<'a> {
    subject: &'a str,
    headline: &'a str,
    intro: &'a str,
    show_tickets: bool,
    show_totals: bool,
    #[serde(flatten)]
    ctx: &'a EmailContext,
}

/// The templates, parsed once.
pub(super) struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    pub(super) fn new() -> Self {
        let mut env = Environment::new();
        for (name, source) in [
            ("layout.html", include_str!("templates/layout.html")),
            ("booking.html", include_str!("templates/booking.html")),
            ("booking.txt", include_str!("templates/booking.txt")),
        ] {
            // The sources are compiled in and covered by tests, so a failure here is a
            // build defect; it is logged and surfaces again when rendering.
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, error = %e, "email template does not parse");
            }
        }
        Self { env }
    }

    /// The finished message for `recipient`.
    pub(super) fn render(
        &self,
        kind: &str,
        recipient: &str,
        message_id: &str,
        from: &Mailbox,
        ctx: &EmailContext,
    ) -> Result<Message, RenderError> {
        let words = wording(kind).ok_or_else(|| RenderError::UnknownKind(kind.to_owned()))?;
        let subject = words.subject.replace("{title}", &ctx.title);
        let view = View {
            subject: &subject,
            headline: words.headline,
            intro: words.intro,
            show_tickets: words.tickets,
            show_totals: words.totals,
            ctx,
        };
        let html = self.env.get_template("booking.html")?.render(&view)?;
        let text = self.env.get_template("booking.txt")?.render(&view)?;
        let address = recipient
            .parse()
            .map_err(|_| RenderError::BadRecipient(recipient.to_owned()))?;
        let to = Mailbox::new((!ctx.name.is_empty()).then(|| ctx.name.clone()), address);
        let mut related = MultiPart::related().singlepart(SinglePart::html(html));
        if words.tickets {
            let png =
                ContentType::parse("image/png").map_err(|e| RenderError::Message(e.to_string()))?;
            for t in &ctx.tickets {
                let image = qr_png(&t.code).map_err(RenderError::Message)?;
                related = related
                    .singlepart(Attachment::new_inline(t.cid.clone()).body(image, png.clone()));
            }
        }
        Message::builder()
            .from(from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(message_id.to_owned()))
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(text))
                    .multipart(related),
            )
            .map_err(|e| RenderError::Message(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::content::{SeatLine, TicketLine};

    fn context() -> EmailContext {
        EmailContext {
            name: "Ada <Lovelace>".into(),
            title: "Metropolis".into(),
            booking_id: uuid::Uuid::nil(),
            booking_status: "confirmed".into(),
            reason: None,
            theatre: "Grand".into(),
            address: "1 Main St, Springfield, IL 62701".into(),
            screen: "Screen 1".into(),
            starts_at: "Monday 30 November 2026, 19:30 EST".into(),
            seats: vec![SeatLine {
                section: None,
                row: "C".into(),
                number: 7,
                category: "standard".into(),
                price: "12.50 USD".into(),
            }],
            tickets: vec![TicketLine {
                code: "ABCDE12345".into(),
                seat: "Row C seat 7".into(),
                cid: "qr-ABCDE12345".into(),
            }],
            subtotal: "12.50 USD".into(),
            discount: None,
            fee: Some("1.00 USD".into()),
            total: "13.50 USD".into(),
            refunded: None,
        }
    }

    fn from() -> Mailbox {
        "Marquee <tickets@marquee.test>".parse().expect("mailbox")
    }

    #[test]
    fn every_kind_renders_and_confirmations_carry_qr_images() {
        let r = Renderer::new();
        for kind in [
            "waitlist.offered",
            "booking.confirmed",
            "booking.reminder",
            "showtime.changed",
            "booking.expired",
            "booking.payment_failed",
            "booking.refunded",
            "booking.cancelled",
            "booking.showtime_cancelled",
        ] {
            let m = r
                .render(kind, "ada@example.com", "<1@marquee>", &from(), &context())
                .expect("renders");
            let raw = String::from_utf8(m.formatted()).expect("utf-8");
            assert!(raw.contains("Metropolis"), "{kind}");
            assert!(raw.contains("Content-Type: text/plain"), "{kind}");
            assert!(raw.contains("Content-Type: text/html"), "{kind}");
            let qr = raw.contains("Content-ID: <qr-ABCDE12345>");
            assert_eq!(qr, wording(kind).expect("kind").tickets, "{kind}");
        }
    }

    #[test]
    fn html_escapes_what_buyers_typed() {
        let r = Renderer::new();
        let view = View {
            subject: "s",
            headline: "h",
            intro: "i",
            show_tickets: true,
            show_totals: true,
            ctx: &context(),
        };
        let html = r
            .env
            .get_template("booking.html")
            .and_then(|t| t.render(&view))
            .expect("renders");
        assert!(html.contains("Ada &lt;Lovelace&gt;"));
        assert!(html.contains("cid:qr-ABCDE12345"));
        assert!(html.contains("13.50 USD"));
    }

    #[test]
    fn unknown_kinds_and_bad_addresses_are_refused() {
        let r = Renderer::new();
        assert!(matches!(
            r.render("nope", "ada@example.com", "<1@m>", &from(), &context()),
            Err(RenderError::UnknownKind(_))
        ));
        assert!(matches!(
            r.render(
                "booking.confirmed",
                "not an address",
                "<1@m>",
                &from(),
                &context()
            ),
            Err(RenderError::BadRecipient(_))
        ));
    }
}
