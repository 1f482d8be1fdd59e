//! `/`: sends each visitor where they belong (their role's home, or the sign-in page).

use crate::ui::components::Loading;
use crate::ui::frame::CurrentUser;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn RootPage() -> impl IntoView {
    let CurrentUser(user) = expect_context::<CurrentUser>();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let target = match user.await {
                    Ok(Some(user)) => user.role.home(),
                    _ => "/login",
                };
                view! { <Redirect path=target /> }
            })}
        </Suspense>
    }
}
