//! The HTTP answers of the simulated SecurityTrax service.

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_TYPE};
use http::{HeaderValue, Method, Response, StatusCode};

/// The `Content-Type` of response documents.
pub(crate) const XML_CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// 200 with a response document.
pub(crate) fn xml(document: Bytes) -> Response<Bytes> {
    let mut response = Response::new(document);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(XML_CONTENT_TYPE));
    response
}

/// `status` with a plain-text message.
pub(crate) fn text(status: StatusCode, message: &str) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from(format!("{message}\n")));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// 405 for anything but POST, with `Allow: POST`.
pub(crate) fn method_not_allowed(method: &Method) -> Response<Bytes> {
    let mut response = text(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("method {method} is not allowed: SecurityTrax documents are sent with POST"),
    );
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static("POST"));
    response
}

/// Checks the request's `Content-Type`: absent (a bare raw post) or an XML media
/// type (`text/xml`, `application/xml`, `*/*+xml`). Returns the 400 message otherwise.
pub(crate) fn check_content_type(value: Option<&HeaderValue>) -> Result<(), String> {
    let Some(value) = value else {
        return Ok(());
    };
    // What crmwire and most clients send, accepted as the rules below accept it.
    if value.as_bytes() == b"text/xml; charset=utf-8" || value.as_bytes() == b"text/xml" {
        return Ok(());
    }
    let Ok(text) = value.to_str() else {
        return Err("the Content-Type header is not visible ASCII".to_owned());
    };
    let media_type = text.split(';').next().unwrap_or_default().trim();
    let ends_with_xml = media_type.len() >= 4
        && media_type.is_char_boundary(media_type.len() - 4)
        && media_type[media_type.len() - 4..].eq_ignore_ascii_case("+xml");
    let xml = media_type.eq_ignore_ascii_case("text/xml")
        || media_type.eq_ignore_ascii_case("application/xml")
        || (media_type.contains('/') && ends_with_xml);
    if xml {
        Ok(())
    } else {
        Err(format!(
            "Content-Type `{text}` is not XML: post the request document as text/xml"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_media_types_and_a_missing_header_are_accepted() {
        for value in [
            "text/xml",
            "text/xml; charset=utf-8",
            "Application/XML",
            "application/soap+xml",
        ] {
            assert_eq!(
                check_content_type(Some(&HeaderValue::from_static(value))),
                Ok(()),
                "{value}"
            );
        }
        assert_eq!(check_content_type(None), Ok(()));
    }

    #[test]
    fn other_media_types_are_refused_naming_them() {
        for value in [
            "application/json",
            "application/x-www-form-urlencoded",
            "+xml",
            "xml",
        ] {
            let message = check_content_type(Some(&HeaderValue::from_static(value))).unwrap_err();
            assert!(message.contains(&format!("`{value}`")), "{message}");
        }
        let opaque = HeaderValue::from_bytes(b"text/\xffxml").unwrap();
        assert!(check_content_type(Some(&opaque)).is_err());
    }
}
