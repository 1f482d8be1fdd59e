// Wakes the islands of a page (called with the paths of the JavaScript and WebAssembly of the islands). A page without
// islands loads neither; either way <body data-hydrated="true"> tells that the page is ready.
((js, wasm) => {
  const ready = () => document.body.setAttribute("data-hydrated", "true");
  const islands = document.querySelectorAll("leptos-island");
  if (islands.length === 0) {
    ready();
    return;
  }
  const binary = fetch(wasm);
  import(js)
    .then(async (mod) => {
      await mod.default({ module_or_path: binary });
      mod.hydrate();
      for (const island of islands) {
        const wake = mod[island.dataset.component];
        if (wake) wake(island);
        else console.warn(`no WebAssembly function for the island ${island.dataset.component}`);
      }
    })
    .finally(ready);
})
