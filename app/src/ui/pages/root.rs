//! `/`: sends each visitor where they belong (their role's home, or the sign-in page).

use crate::ui::frame::CurrentUser;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn RootPage() -> impl IntoView {
    let CurrentUser(user) = expect_context::<CurrentUser>();
    let target = user.map_or("/login", |user| user.role.home());
    view! { <Redirect path=target /> }
}
