//! `/pkg`: the stylesheet and the islands' files, served apart from the page stack (no session, no CSRF check, no
//! database). A hashed build's files never change under their name: they are read once at start-up, kept in memory
//! with their brotli and gzip copies, and sent with `Cache-Control: public, max-age=31536000, immutable`. A build
//! without hashes (the development server, which rewrites its files) is read from disk and kept five minutes at most.

use app::ui::assets::Assets;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::config::LeptosOptions;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const SHORT: &str = "public, max-age=300, must-revalidate";

/// The names the pages link: hashed when the build left a hash file next to this binary (and the files it names
/// exist), plain otherwise.
pub fn names(options: &LeptosOptions) -> Assets {
    let plain = Assets::plain(&options.site_pkg_dir, &options.output_name);
    let hash_file = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)));
    let Some(hashes) = hash_file.and_then(|path| std::fs::read_to_string(path).ok()) else { return plain };
    let built = |path: &str| Path::new(&*options.site_root).join(path.trim_start_matches('/')).is_file();
    match Assets::hashed(&options.site_pkg_dir, &options.output_name, &hashes) {
        Some(hashed) if [&hashed.css, &hashed.js, &hashed.wasm].into_iter().all(|path| built(path)) => hashed,
        _ => {
            tracing::warn!("the hash file next to the server does not name the files built under the site root: linking the plain names");
            plain
        }
    }
}

/// The service mounted at `/pkg`.
pub fn service(options: &LeptosOptions, assets: Assets) -> Router {
    let dir = PathBuf::from(&*options.site_root).join(&*options.site_pkg_dir);
    if assets.hashed {
        match Files::load(&dir, &assets, &options.site_pkg_dir) {
            Ok(files) => {
                let files = Arc::new(files);
                return Router::new().fallback(move |request: Request| {
                    let files = files.clone();
                    async move { files.answer(&request) }
                });
            }
            Err(error) => tracing::warn!(error = %error, dir = %dir.display(), "could not keep the built files in memory: serving them from disk"),
        }
    }
    Router::new().fallback_service(
        ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(SHORT)))
            .service(ServeDir::new(dir).precompressed_br().precompressed_gzip()),
    )
}

/// One built file and its compressed copies.
struct File {
    identity: axum::body::Bytes,
    brotli: Option<axum::body::Bytes>,
    gzip: Option<axum::body::Bytes>,
    content_type: &'static str,
    cache: &'static str,
}

/// Every file of the package folder, by its path under `/pkg` (`/espace-partenaires.3f9a….css`).
struct Files(HashMap<String, File>);

impl Files {
    fn load(dir: &Path, assets: &Assets, pkg: &str) -> std::io::Result<Self> {
        let mut files = HashMap::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else { continue };
            if !path.is_file() || name.ends_with(".br") || name.ends_with(".gz") {
                continue;
            }
            let copy = |ext: &str| std::fs::read(dir.join(format!("{name}.{ext}"))).ok().map(Into::into);
            let cache = if assets.is_hashed_file(&format!("/{pkg}/{name}")) { IMMUTABLE } else { SHORT };
            let file =
                File { identity: std::fs::read(&path)?.into(), brotli: copy("br"), gzip: copy("gz"), content_type: content_type(&name), cache };
            files.insert(format!("/{name}"), file);
        }
        Ok(Self(files))
    }

    fn answer(&self, request: &Request) -> Response {
        if request.method() != Method::GET && request.method() != Method::HEAD {
            return StatusCode::METHOD_NOT_ALLOWED.into_response();
        }
        let Some(file) = self.0.get(request.uri().path()) else { return StatusCode::NOT_FOUND.into_response() };
        let headers = request.headers();
        let (body, encoding) = match (&file.brotli, &file.gzip) {
            (Some(brotli), _) if accepts(headers, "br") => (brotli.clone(), Some("br")),
            (_, Some(gzip)) if accepts(headers, "gzip") => (gzip.clone(), Some("gzip")),
            _ => (file.identity.clone(), None),
        };
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(file.content_type));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(file.cache));
        if file.brotli.is_some() || file.gzip.is_some() {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    }
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// The codings the browser accepts (`br`, `gzip`…), without those it refuses with `q=0`.
fn accepted(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers.get_all(header::ACCEPT_ENCODING).into_iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).filter_map(|item| {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next()?;
        let refused = parts.any(|p| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0));
        (!refused).then_some(coding)
    })
}

fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    accepted(headers).any(|c| c.eq_ignore_ascii_case(coding))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(accept).expect("ascii"));
        headers
    }

    fn request(method: Method, path: &str, accept: Option<&str>) -> Request {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(accept) = accept {
            builder = builder.header(header::ACCEPT_ENCODING, accept);
        }
        builder.body(Body::empty()).expect("request")
    }

    #[test]
    fn hashed_files_are_served_compressed_when_accepted_and_cached_for_a_year() {
        let dir = std::env::temp_dir().join(format!("ep-assets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        for (name, content) in [("ep.abc.css", "body{}"), ("ep.abc.css.br", "BR"), ("ep.abc.css.gz", "GZ"), ("notes.txt", "x")] {
            std::fs::write(dir.join(name), content).expect("file");
        }
        let assets = Assets { css: "/pkg/ep.abc.css".into(), js: "/pkg/ep.abc.js".into(), wasm: "/pkg/ep.abc.wasm".into(), hashed: true };
        let files = Files::load(&dir, &assets, "pkg").expect("loaded");
        std::fs::remove_dir_all(&dir).expect("cleaned");

        let brotli = files.answer(&request(Method::GET, "/ep.abc.css", Some("gzip, br")));
        assert_eq!(brotli.status(), StatusCode::OK);
        assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(brotli.headers()[header::CACHE_CONTROL], IMMUTABLE);
        assert_eq!(brotli.headers()[header::VARY], "accept-encoding");
        assert_eq!(brotli.headers()[header::CONTENT_TYPE], "text/css; charset=utf-8");
        let gzip = files.answer(&request(Method::GET, "/ep.abc.css", Some("gzip")));
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
        let plain = files.answer(&request(Method::HEAD, "/ep.abc.css", None));
        assert_eq!(plain.status(), StatusCode::OK);
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        // A file the build did not hash may change: browsers check it again after five minutes.
        assert_eq!(files.answer(&request(Method::GET, "/notes.txt", None)).headers()[header::CACHE_CONTROL], SHORT);
        assert_eq!(files.answer(&request(Method::GET, "/ep.abc.css.br", None)).status(), StatusCode::NOT_FOUND);
        assert_eq!(files.answer(&request(Method::GET, "/missing.js", None)).status(), StatusCode::NOT_FOUND);
        assert_eq!(files.answer(&request(Method::POST, "/ep.abc.css", None)).status(), StatusCode::METHOD_NOT_ALLOWED);
    }

    #[test]
    fn a_coding_is_accepted_when_named_without_q_zero() {
        assert!(accepts(&with("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&with("gzip;q=1.0, BR;q=0.5"), "br"));
        assert!(!accepts(&with("gzip;q=1.0, br;q=0"), "br"));
        assert!(!accepts(&with("identity"), "gzip"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }
}
