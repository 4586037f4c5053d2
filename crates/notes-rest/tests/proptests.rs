//! Properties: every model survives serialise → deserialise (generated per
//! model), the decoders never panic on any bytes, the pager ends on any
//! sequence of headers.

mod support;

#[path = "generated/strategies.rs"]
mod strategies;

use notes_rest::{Endpoint, List, MAX_PAGES, NotesPage, Operation, PageRequest, Pager, Pagination};
use proptest::prelude::*;
use wire_core::Redactor;

fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        // Near-misses of real bodies: a fixture cut or with a byte changed.
        (0usize..2000, any::<u8>(), 0usize..2000).prop_map(|(cut, byte, at)| {
            let mut body = include_bytes!(
                "../../../fixtures/peoplevine/generated/list_notes/200_vendor_sample.json"
            )
            .to_vec();
            let at = at % body.len();
            body[at] = byte;
            body.truncate(cut.max(1));
            body
        }),
    ]
}

proptest! {
    #[test]
    fn decoders_never_panic_on_any_bytes(
        body in any_body(),
        status in prop_oneof![Just(200u16), Just(201), Just(204), Just(401), Just(422), Just(429), 100u16..600],
        pagination in proptest::option::of(".{0,40}"),
        retry_after in proptest::option::of("[0-9a-zA-Z ,:]{0,30}"),
    ) {
        let mut headers = Vec::new();
        if let Some(p) = &pagination { headers.push(("pagination", p.as_str())); }
        if let Some(r) = &retry_after { headers.push(("retry-after", r.as_str())); }
        // Header values the http crate refuses are skipped, not the case.
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            if http::HeaderValue::from_str(value).is_ok() { builder = builder.header(name, value); }
        }
        let response = builder.body(bytes::Bytes::from(body)).expect("response");
        for operation in Operation::ALL {
            let _ = notes_rest::decode(operation, &response, &Redactor::new(["secret"]));
        }
    }

    #[test]
    fn the_pager_ends_on_any_sequence_of_headers(
        headers in proptest::collection::vec(
            proptest::option::of((any::<i64>(), 1i64..60, any::<i64>(), any::<bool>(), 0usize..3)),
            1..40,
        ),
    ) {
        let mut pager = Pager::new(Endpoint::default(), List::All, PageRequest::default());
        let mut asked = 0usize;
        let mut pages = headers.iter().cycle();
        while pager.next_request().is_some() {
            asked += 1;
            prop_assert!(asked <= MAX_PAGES as usize, "the pager did not end");
            let header = pages.next().expect("cycle");
            let page = match header {
                None => NotesPage::default(),
                Some((number, size, total, next, notes)) => {
                    let mut page = NotesPage::default();
                    page.pagination = Some(pagination(*number, *size, *total, *next));
                    page.notes = vec![notes_rest::Note::default(); *notes];
                    page
                }
            };
            pager.advance(&page);
        }
        prop_assert!(asked >= 1);
    }
}

fn pagination(
    page_number: i64,
    page_size: i64,
    total_pages: i64,
    has_next_page: bool,
) -> Pagination {
    let mut p = Pagination::default();
    p.page_number = page_number;
    p.page_size = page_size;
    p.total_pages = total_pages;
    p.total_count = total_pages.saturating_mul(page_size);
    p.has_next_page = has_next_page;
    p.has_previous_page = page_number > 1;
    p
}

#[test]
fn an_honest_endless_header_still_ends_at_max_pages() {
    // Each header names the page asked for and says more follow: the pager
    // stops at MAX_PAGES all the same.
    let mut pager = Pager::new(
        Endpoint::default(),
        List::Customer(1),
        PageRequest::default(),
    );
    let mut asked: u32 = 0;
    while let Some(request) = pager.next_request() {
        asked += 1;
        let query = request.uri().query().expect("query").to_owned();
        let number: i64 = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("page_number="))
            .expect("page_number")
            .parse()
            .expect("number");
        let mut page = NotesPage::default();
        page.pagination = Some(pagination(number, 50, i64::MAX, true));
        page.notes = vec![notes_rest::Note::default()];
        pager.advance(&page);
        assert!(asked <= MAX_PAGES);
    }
    assert_eq!(asked, MAX_PAGES);
}

#[test]
fn the_pager_follows_honest_headers_to_the_last_page() {
    let mut pager = Pager::new(
        Endpoint::default(),
        List::All,
        PageRequest::new(1, 2).unwrap(),
    );
    let mut numbers = Vec::new();
    while let Some(request) = pager.next_request() {
        let n = numbers.len() as i64 + 1;
        numbers.push(request.uri().query().unwrap().to_owned());
        let mut page = NotesPage::default();
        page.pagination = Some(pagination(n, 2, 3, n < 3));
        page.notes = vec![notes_rest::Note::default(); 2];
        pager.advance(&page);
    }
    assert_eq!(
        numbers,
        [
            "page_number=1&page_size=2",
            "page_number=2&page_size=2",
            "page_number=3&page_size=2"
        ]
    );
    // A header naming another page than the one asked for ends the list.
    let mut pager = Pager::new(Endpoint::default(), List::All, PageRequest::default());
    let _ = pager.next_request();
    let mut page = NotesPage::default();
    page.pagination = Some(pagination(7, 50, 9, true));
    page.notes = vec![notes_rest::Note::default()];
    pager.advance(&page);
    assert!(pager.next_request().is_none());
}
