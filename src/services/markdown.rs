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

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

/// The HTML of `markdown` (CommonMark with tables, strikethrough and task
/// lists), sanitised as the module says.
pub fn to_safe_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
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
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: under_the_page(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(under_the_page(level))),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// A markdown heading's level on the page: two below, at most `<h6>`.
fn under_the_page(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
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
