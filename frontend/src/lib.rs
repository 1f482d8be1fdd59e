//! The browser entry point: prepares Leptos for the islands (`app::ui::islands`), which the page's loader script
//! then wakes one by one. Nothing else of the app reaches the browser.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Links the app crate, whose islands export the functions the loader calls.
    #[allow(unused_imports)]
    use app::ui::islands::*;
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
