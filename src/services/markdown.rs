//! Markdown properties as HTML that is safe to put in a page. Rendered on
//! the server only: the browser bundle gets the HTML in the page data, not
//! a markdown parser.
//!
//! Anyone who may edit an entity writes its markdown, and everyone who may
//! read it sees the result, so nothing in it may run: raw HTML is shown as
//! text, links keep only web and mail addresses (and paths on this portal),
//! and images become links (no requests to other hosts on page load).
//! Headings move two levels down: the page has its own `<h1>` and the
//! property's panel its `<h2>`, so `# Title` in a README becomes an `<h3>`.
//!
//! A dashboard's markdown widget is written by the page's editors, whom the
//! portal already trusts to frame pages, so it may use the HTML Port allows
//! there (tables, images, video, details, inline styles and iframes) after
//! a whitelist cleaner removed everything that runs: [`widget_html`].

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// The HTML of `markdown` (CommonMark with tables, strikethrough and task
/// lists), sanitised as the module says.
pub fn to_safe_html(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        // Shown, never interpreted.
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            ..
        }) => Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        // Headings move down (the module says why); the rest stays.
        other => under_the_page(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The HTML of a markdown widget: markdown with HTML in it, cleaned by a
/// whitelist (no scripts, event handlers, forms, `<style>` elements or
/// non-web URLs). An `<iframe>` keeps its `src` only when its origin is one
/// of `frame_origins` (those saved iframe widgets use, which the page's
/// Content-Security-Policy lets it frame); others are left out, and a note
/// under the widget's text names them.
pub fn widget_html(markdown: &str, frame_origins: &BTreeSet<String>) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        // A task's box as a character: the cleaner lets no `<input>` through.
        Event::TaskListMarker(done) => Event::Text(if done { "☑ " } else { "☐ " }.into()),
        // Headings move down (the module says why); the rest stays.
        other => under_the_page(other),
    });
    let mut raw = String::new();
    pulldown_cmark::html::push_html(&mut raw, events);
    // The cleaner keeps its filter for as long as it likes ('static), so
    // the filter owns what it reads and shares what it notes.
    let refused = Arc::new(Mutex::new(BTreeSet::new()));
    let noted = Arc::clone(&refused);
    let allowed = frame_origins.clone();
    let mut cleaner = ammonia::Builder::default();
    cleaner
        .add_tags(["iframe", "video", "audio", "source"])
        // `<style>` elements would restyle the whole portal; attributes
        // style only their own element.
        .add_generic_attributes(["style"])
        .add_tag_attributes("iframe", ["src", "width", "height", "title", "allow"])
        .add_tag_attributes(
            "video",
            [
                "src", "controls", "width", "height", "poster", "loop", "muted",
            ],
        )
        .add_tag_attributes("audio", ["src", "controls", "loop"])
        .add_tag_attributes("source", ["src", "type"])
        .add_tag_attributes("img", ["width", "height"])
        .set_tag_attribute_value(
            "iframe",
            "sandbox",
            "allow-scripts allow-same-origin allow-popups allow-forms",
        )
        .set_tag_attribute_value(
            "iframe",
            "referrerpolicy",
            "strict-origin-when-cross-origin",
        )
        .set_tag_attribute_value("iframe", "loading", "lazy")
        .url_schemes(["http", "https", "mailto"].into())
        .attribute_filter(move |element, attribute, value| {
            if element != "iframe" || attribute != "src" {
                return Some(value.into());
            }
            match crate::model::dashboard::url_origin(value) {
                Some(origin) if allowed.contains(&origin) => Some(value.into()),
                origin => {
                    if let Ok(mut refused) = noted.lock() {
                        refused.insert(
                            origin.unwrap_or_else(|| "an address that is not a web page".into()),
                        );
                    }
                    None
                }
            }
        });
    let mut html = cleaner.clean(&raw).to_string();
    let refused = refused
        .lock()
        .map(|mut set| std::mem::take(&mut *set))
        .unwrap_or_default();
    if !refused.is_empty() {
        // Origins are scheme://host[:port] only (url_origin), nothing to escape.
        html.push_str(&format!(
            "<p class=\"markdown-note\">Not shown: an iframe of {}. Markdown may frame only \
             pages from origins this portal's iframe widgets use; add an iframe widget for it.</p>",
            refused.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    html
}

/// A heading's start or end, two levels further down the page (at most
/// `<h6>`); any other event as it is.
fn under_the_page(event: Event<'_>) -> Event<'_> {
    let lower = |level| match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    };
    match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        other => other,
    }
}

/// `url` when it is a web or mail address, a path, or a fragment; `#`
/// otherwise (`javascript:`, `data:` and the like).
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    // `//host` and `/\host` leave the portal as surely as a scheme does.
    let other_host = lower.starts_with("//") || lower.starts_with("/\\") || lower.starts_with('\\');
    let allowed = ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        || !other_host && !lower.contains(':');
    if allowed {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn markdown_renders() {
        let html = to_safe_html(
            "# Ledger\n\nOwned by **payments**.\n\n- [runbook](https://wiki.example.com/r)\n",
        );
        assert!(html.contains("<h3>Ledger</h3>"), "{html}");
        assert!(html.contains("<strong>payments</strong>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://wiki.example.com/r">runbook</a>"#),
            "{html}"
        );
    }

    #[test]
    fn widgets_keep_the_whitelisted_html() {
        let allowed: std::collections::BTreeSet<String> =
            ["https://grafana.example.com".to_string()].into();
        let html = super::widget_html(
            "# Costs\n\n<table><tr><td style=\"color: red\">12</td></tr></table>\n\n\
             <img src=\"https://cdn.example.com/a.png\" onerror=\"alert(1)\" width=\"20\">\n\n\
             <iframe src=\"https://grafana.example.com/d/1\" onload=\"alert(2)\"></iframe>\n\n\
             <iframe src=\"https://evil.example.net/x\"></iframe>\n\n\
             <iframe src=\"javascript:alert(3)\"></iframe>\n\n\
             <script>alert(4)</script><style>body{display:none}</style>\
             <a href=\"javascript:alert(5)\">x</a> <form action=\"/x\"><input name=\"a\"></form>\n\n\
             - [x] done\n",
            &allowed,
        );
        assert!(html.contains("<h3>Costs</h3>"), "{html}");
        assert!(html.contains(r#"<td style="color: red">12</td>"#), "{html}");
        assert!(
            html.contains(r#"src="https://cdn.example.com/a.png""#),
            "{html}"
        );
        assert!(
            html.contains(r#"src="https://grafana.example.com/d/1""#),
            "{html}"
        );
        assert!(
            html.contains(r#"sandbox="allow-scripts allow-same-origin allow-popups allow-forms""#),
            "{html}"
        );
        assert!(!html.contains("evil.example.net/x"), "{html}");
        assert!(html.contains("Not shown: an iframe of "), "{html}");
        assert!(html.contains("https://evil.example.net."), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("alert"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<style"), "{html}");
        assert!(!html.contains("<form"), "{html}");
        assert!(!html.contains(r#"name="a""#), "{html}");
        assert!(!html.contains("<input"), "{html}");
        assert!(html.contains("☑ done"), "{html}");
    }

    #[test]
    fn nothing_in_it_runs() {
        let html = to_safe_html(
            "<script>alert(1)</script>\n\nhi <img src=x onerror=alert(2)>\n\n\
             [a](javascript:alert(3)) [b](JavaScript:alert(4)) [c](data:text/html,x) [d](//evil.example)\n\n\
             ![pixel](https://tracker.example.com/p.gif)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.to_ascii_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        assert!(
            html.contains(r#"<a href="https://tracker.example.com/p.gif">pixel</a>"#),
            "{html}"
        );
    }
}
