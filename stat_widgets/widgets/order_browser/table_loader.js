// RecordTable's ES module as anywidget loads it for each table: a loader. The table's module
// (table.js) and stylesheet (table.css) travel once per kernel, gzip-compressed, in a model of
// their own (the _code trait, TableCode); the first table on the page unpacks them with the
// browser's DecompressionStream, and every later one reuses what it made.
const unpack = (view) =>
  new Response(new Blob([view]).stream().pipeThrough(new DecompressionStream("gzip"))).text();

async function load(code) {
  const style = document.createElement("style");
  style.textContent = await unpack(code.get("style"));
  document.head.append(style);
  const url = URL.createObjectURL(new Blob([await unpack(code.get("code"))], { type: "text/javascript" }));
  try {
    return (await import(/* webpackIgnore: true */ url)).default;
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function render(context) {
  const ref = context.model.get("_code"); // "IPY_MODEL_<id>"
  const code = await context.model.widget_manager.get_model(ref.slice("IPY_MODEL_".length));
  code.statTable = code.statTable || load(code); // one module and stylesheet per page
  return (await code.statTable).render(context);
}

export default { render };
