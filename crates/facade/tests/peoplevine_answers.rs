//! A Peoplevine service that answers about another record than the one asked
//! about (a note of another customer, another note) is not believed: the
//! client refuses the answer, a read's refusal is `Answered`, and a write's
//! leaves its outcome unknown (it may have been stored somewhere).

use std::future::{Future, ready};
use std::sync::Mutex;

use bytes::Bytes;
use facade::peoplevine::{Client, Endpoint, Grant, List, NewNote, NoteUpdate, PageRequest, Patch};
use facade::transport::{Transport, TransportError};
use facade::{Error, Fate};
use http::{Request, Response, StatusCode};

const TOKEN: &str = r#"{"access_token":"t1","refresh_token":"r1"}"#;

/// A note named by its id and customer, with every field the vendor's sample
/// always sends.
fn note(id: i64, customer_id: i64) -> String {
    format!(
        r#"{{"id":{id},"customer_id":{customer_id},"details":"text","confidential":false,
            "priority":false,"created_on":"2024-10-06T20:35:16.983Z",
            "reference_type":"customer","status":"open"}}"#
    )
}

/// Answers a token to the token endpoint and `answer` to everything else.
struct Answering {
    answer: String,
    calls: Mutex<Vec<String>>,
}

impl Answering {
    fn new(answer: String) -> Self {
        Self {
            answer,
            calls: Mutex::new(Vec::new()),
        }
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

impl Transport for Answering {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        let path = request.uri().path().to_owned();
        let body = if path.starts_with("/api/token") {
            TOKEN.to_owned()
        } else {
            self.calls
                .lock()
                .unwrap()
                .push(format!("{} {path}", request.method()));
            self.answer.clone()
        };
        let mut response = Response::new(Bytes::from(body));
        *response.status_mut() = StatusCode::OK;
        ready(Ok(response))
    }
}

fn client(answer: String) -> Client<Answering> {
    let grant = Grant::Password {
        username: "club-admin".into(),
        password: "secret".into(),
    };
    Client::new(Endpoint::default(), grant, Answering::new(answer))
}

fn assert_mismatch(error: &Error, fate: Fate, says: &str) {
    assert_eq!(error.kind(), "unreadable", "{error}");
    assert_eq!(error.fate(), fate, "{error}");
    assert!(error.to_string().contains(says), "{error}");
}

#[tokio::test]
async fn a_list_holding_another_customers_note_is_refused() {
    let page = format!("[{},{}]", note(1, 501), note(2, 999));
    let client = client(page.clone());
    let error = client
        .customer_notes_page(501, PageRequest::default())
        .await
        .unwrap_err();
    assert_mismatch(
        &error,
        Fate::Answered,
        "note 2 belongs to customer 999, not to customer 501",
    );

    let error = client
        .pages(List::Customer(501), PageRequest::default())
        .collect_notes()
        .await
        .unwrap_err();
    assert_mismatch(&error, Fate::Answered, "not to customer 501");

    // The same page is every note's list: nothing to contradict.
    let notes = client
        .pages(List::All, PageRequest::default())
        .collect_notes()
        .await
        .expect("every note of the business may hold any customer");
    assert_eq!(notes.len(), 2);
    // And it is customer 999's list only if every note is theirs.
    let mine = format!("[{}]", note(2, 999));
    let notes = client_list(mine, 999).await.expect("all of customer 999's");
    assert_eq!(notes.len(), 1);
}

async fn client_list(
    page: String,
    customer_id: i64,
) -> Result<Vec<facade::peoplevine::Note>, Error> {
    client(page)
        .pages(List::Customer(customer_id), PageRequest::default())
        .collect_notes()
        .await
}

#[tokio::test]
async fn a_created_note_of_another_customer_leaves_the_outcome_unknown() {
    let client = client(note(5, 999));
    let new = NewNote {
        subject: Some("Renewal call".into()),
        ..NewNote::default()
    };
    let error = client.create_note(501, &new).await.unwrap_err();
    assert_mismatch(&error, Fate::Unknown, "note 5 belongs to customer 999");
    assert_eq!(
        client.transport().calls(),
        ["POST /api/customers/501/notes"],
        "sent once"
    );
}

#[tokio::test]
async fn another_note_than_the_one_asked_for_is_refused() {
    let wrong = client(note(8, 501));
    let error = wrong.note(7).await.unwrap_err();
    assert_mismatch(&error, Fate::Answered, "the answer is note 8, not note 7");

    let update = NoteUpdate {
        subject: Patch::Value("Renewed".into()),
        ..NoteUpdate::default()
    };
    let error = wrong.update_note(7, &update).await.unwrap_err();
    assert_mismatch(&error, Fate::Unknown, "the answer is note 8, not note 7");

    let right = client(note(7, 501)).note(7).await.expect("note 7 itself");
    assert_eq!(right.id, Some(7));
}
