//! The "now on sale" email of a buyer's alert: which title, where and when it plays, a link
//! to book, and a link that ends the alert without signing in.

use lettre::Message;
use lettre::message::{Mailbox, MultiPart};
use marquee_entity::{events, movies, showtimes, theatres, title_alerts, users};
use minijinja::Environment;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};
use serde::Serialize;
use uuid::Uuid;

use super::content::local_time;

/// What the message says.
#[derive(Debug, Serialize)]
pub(super) struct AlertContext {
    name: String,
    title: String,
    theatre: String,
    city: String,
    starts_at: String,
    book_url: String,
    unsubscribe_url: String,
}

const TEXT: &str = "Hello {{ name }},\n\nTickets for {{ title }} are on sale at {{ theatre }}, {{ city }}.\nFirst show: {{ starts_at }}\n\nBook: {{ book_url }}\n\nYou asked to be told once; this alert is now done.\nStop alerts like this: {{ unsubscribe_url }}\n";
const HTML: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Now on sale: {{ title }}</title></head><body style=\"font-family:Helvetica,Arial,sans-serif\"><h1>{{ title }} is on sale</h1><p>Hello {{ name }},</p><p>Tickets for <strong>{{ title }}</strong> are on sale at {{ theatre }}, {{ city }}. First show: {{ starts_at }}.</p><p><a href=\"{{ book_url }}\">Book now</a></p><p style=\"font-size:12px;color:#71717a\">You asked to be told once; this alert is now done. <a href=\"{{ unsubscribe_url }}\">Unsubscribe</a></p></body></html>";

/// Reads the alert an email is about (by its key, `alert:<id>`); `None` when it is gone.
pub(super) async fn load(
    db: &DatabaseConnection,
    dedupe_key: &str,
    public_url: &str,
) -> Result<Option<AlertContext>, DbErr> {
    let Some(id) = dedupe_key
        .strip_prefix("alert:")
        .and_then(|s| Uuid::parse_str(s).ok())
    else {
        return Ok(None);
    };
    let Some(alert) = title_alerts::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let Some(show_id) = alert.notified_showtime_id else {
        return Ok(None);
    };
    let Some(show) = showtimes::Entity::find_by_id(show_id).one(db).await? else {
        return Ok(None);
    };
    let theatre = theatres::Entity::find_by_id(show.theatre_id)
        .one(db)
        .await?;
    let user = users::Entity::find_by_id(alert.user_id).one(db).await?;
    let (title, path) = match (show.movie_id, show.event_id) {
        (Some(m), _) => (
            movies::Entity::find_by_id(m)
                .one(db)
                .await?
                .map(|m| m.title),
            format!("movies/{m}"),
        ),
        (None, Some(e)) => (
            events::Entity::find_by_id(e)
                .one(db)
                .await?
                .map(|e| e.title),
            format!("events/{e}"),
        ),
        (None, None) => (None, String::new()),
    };
    let base = public_url.trim_end_matches('/');
    let (theatre, city, timezone) = theatre.map_or_else(
        || (String::new(), String::new(), "UTC".to_owned()),
        |t| (t.name, t.city, t.timezone),
    );
    Ok(Some(AlertContext {
        name: user.map(|u| u.name).unwrap_or_default(),
        title: title.unwrap_or_else(|| "your show".to_owned()),
        theatre,
        city,
        starts_at: local_time(show.starts_at, &timezone),
        book_url: format!("{base}/{path}?showtime={}", show.id),
        unsubscribe_url: format!(
            "{base}/alerts/unsubscribe?token={}",
            alert.unsubscribe_token
        ),
    }))
}

/// The finished message for `recipient`.
pub(super) fn render(
    recipient: &str,
    message_id: &str,
    from: &Mailbox,
    ctx: &AlertContext,
) -> Result<Message, String> {
    let mut env = Environment::new();
    env.add_template("alert.txt", TEXT)
        .and_then(|()| env.add_template("alert.html", HTML))
        .map_err(|e| e.to_string())?;
    let text = env
        .get_template("alert.txt")
        .and_then(|t| t.render(ctx))
        .map_err(|e| e.to_string())?;
    let html = env
        .get_template("alert.html")
        .and_then(|t| t.render(ctx))
        .map_err(|e| e.to_string())?;
    let address = recipient
        .parse()
        .map_err(|_| format!("recipient address {recipient:?} is not valid"))?;
    let to = Mailbox::new((!ctx.name.is_empty()).then(|| ctx.name.clone()), address);
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(format!("Now on sale: {}", ctx.title))
        .message_id(Some(message_id.to_owned()))
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_email_links_to_booking_and_to_unsubscribing_and_escapes_names() {
        let ctx = AlertContext {
            name: "Ada <b>".into(),
            title: "Metropolis".into(),
            theatre: "State".into(),
            city: "Chicago".into(),
            starts_at: "Monday".into(),
            book_url: "https://m.test/movies/1?showtime=2".into(),
            unsubscribe_url: "https://m.test/alerts/unsubscribe?token=abc".into(),
        };
        let from: Mailbox = "Marquee <tickets@marquee.test>".parse().expect("mailbox");
        let raw = String::from_utf8(
            render("ada@example.com", "<1@marquee>", &from, &ctx)
                .expect("renders")
                .formatted(),
        )
        .expect("utf-8");
        assert!(raw.contains("Now on sale: Metropolis"));
        assert!(
            raw.contains("alerts/unsubscribe?token=3Dabc")
                || raw.contains("alerts/unsubscribe?token=abc")
        );
        assert!(raw.contains("Ada &lt;b&gt;"), "names are escaped in HTML");
    }
}
