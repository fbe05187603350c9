"""Explorables: the book's figures a reader can play with (issue 25). Bokeh 3.9.2, served from the book itself.

How an explorable works
-----------------------
Everything a figure can show is computed by the library (`trainfaster`) when the chapter page executes, over a
small grid of knob values; the browser only *picks* among those precomputed arrays (one generic `CustomJS`, in
`bind`, with no maths in it), so there is no second implementation to keep in step. `show` writes the one HTML
output of the cell:

    <figure class="explorable" id="NAME">
      <div class="explorable-live">Bokeh's components() div</div> <script>Bokeh's components() script</script>
      <noscript><img alt="ALT" src="data:image/png;base64,..."></noscript>   (the default setting, static)
      <figcaption>CAPTION</figcaption>
    </figure>

BokehJS (`bokeh.min.js`, `bokeh-widgets.min.js`, copied from the installed bokeh) and `explorables.css` are copied
into the built book's `_static/explorables/` by the book's Sphinx extension (`_ext/course_book.py`), and loaded
(deferred) only by the pages that hold an explorable: no CDN, it works offline.

How to add an explorable (e.g. chapter 4's)
-------------------------------------------
1. A module `explorables/ch4_<what>.py` with one public function, `explore()`, that
   - computes every frame from the library's own functions (`trainfaster....`) over a grid of knob values:
     keep it under ~1 s (the page's whole added execution must stay under 2 s) and the data small (tens of KB:
     `bind` stores float arrays as float32, ~5 bytes a number);
   - builds the controls with `knob(...)`: each keyboard-operable, with a visible label and value. Bokeh's
     `Slider` is (Tab to its handle; arrow keys step; its title shows "label: value"); so are `Select`,
     `RadioButtonGroup` and `CheckboxGroup`;
   - builds the plots with `figure(...)` (stretch_width, fits a 375-px screen) and `column`/`row` layouts with
     `sizing_mode="stretch_width"` (use `responsive_row` for side-by-side plots: they wrap on a phone);
   - calls `bind(knobs, targets)`: each target is `(model, attribute, depends_on, frames)`, where `depends_on` names
     the knobs the frames are indexed by, in order, and `frames[(i, j, ...)]` is the attribute's value when those
     knobs stand at their i-th, j-th, ... value (a `Div`'s `text`, a marker's `location`, ...); for a
     `ColumnDataSource`'s `data`, a frame holds only the columns that change (the x column can stay put);
   - gives a `name` (`explore-ch4-...`) to every model a test reads (the sources, the widgets, the Divs);
   - ends with `show(layout, name=..., caption=..., alt=..., fallback=matplotlib_figure_at_the_default)`.
2. In the chapter (`book/04_*.md`), where the text argues the point, one small block: a sentence telling the
   reader what to try and what they will see, then one code cell tagged `remove-input` calling `explore()`.
3. A test in `tests/test_explorables_b.py`, with the helpers of `tests/explorable_pages.py` (see its docstring):
   move a control to two or three values, read the source's values, compare with the library's value computed in
   the test; no console errors and no request leaving 127.0.0.1 (the helpers check both).

The second way (chapters 4 to 7): `explorables.b_controls`
----------------------------------------------------------
A knob over a *log-spaced* or categorical grid cannot be a linear `Slider`; `b_controls.index_slider` is a
`CategoricalSlider` over the grid's formatted values (its title and `aria-valuetext` show the real value), and
`b_controls.readout` is a read-out `Div` (a live region). Such a module writes its own small `CustomJS` that only
*indexes* precomputed arrays (`slider.categories.indexOf(slider.value)`, then a column or a string by that
position: no maths), builds its plots with `bokeh.plotting.figure(tools="", toolbar_location=None)` (no drag tool:
a drag must not pan a plot that has no Reset button), and ends with `show(...)` as above. Use `knob`/`bind` when
the knobs are evenly spaced or a few options; use `b_controls` for a log-spaced grid. Either way the module's one
entry point is `explore()`, and the chapter's cell calls `<module>.explore()`.

Accessibility, added to every explorable by `render` (a small script after Bokeh's, `_A11Y`): slider handles are
named after their slider's title (`aria-label`), a button group's buttons carry `aria-pressed` and the group its
label (tag the `RadioButtonGroup` `explorable-label=<label>`: `knob` does), read-outs tagged `LIVE` are
`aria-live="polite"`, the plots' event layers leave the Tab order and allow vertical page scrolling by touch.
No-JavaScript fallbacks are drawn with their panels *stacked* (one per row, about 5.5 in wide): on a phone a
side-by-side matplotlib figure shrinks to unreadable.

One trap: BokehJS's `CustomJS` runs asynchronously: after setting a widget, wait for the figure to change
(`ExplorablePage.set` and `.press` do). (Editing a module here re-executes every chapter at the next build:
`_ext/parallel_execution.py` empties the execution cache when `trainfaster/` or `explorables/` changes.)
"""

import base64
import html
import io
from itertools import product

import numpy as np

BOKEH_VERSION = "3.9.2"  # requirements.txt pins it; the book's extension serves this version's BokehJS
#: The BokehJS bundles a page with an explorable loads, in order (copied from the installed bokeh).
BOKEH_BUNDLES = ("bokeh.min.js", "bokeh-widgets.min.js")
#: The folder of the built book's `_static/` that holds them (and explorables.css).
STATIC_FOLDER = "explorables"
#: The class of the <figure>: the book's extension loads BokehJS on the pages whose body holds it.
FIGURE_CLASS = "explorable"

#: Run after each explorable's Bokeh script: what BokehJS leaves out for assistive technology (issue 25 review,
#: rev-d #3-#5). Slider handles get their slider's title as an accessible name (`aria-label`; the value is already
#: their `aria-valuetext`), a button group's buttons say which is pressed (`aria-pressed`) and the group its label
#: (tag `explorable-label=...`), a read-out (tag `explorable-live`) becomes a polite live region, the plots' event
#: layers leave the Tab order (`tabindex=-1`) and let a vertical swipe scroll the page (`touch-action: pan-y
#: pinch-zoom`, not tried on a real phone), and toolbar buttons get a role, their tool's name and (pan) their state. Idempotent; re-run whenever a
#: view's DOM changes (a pressed button's class, a re-rendered widget).
_A11Y = """
(function () {
  function tag(model, prefix) {
    for (const t of model.tags || []) { if (typeof t === "string" && t.startsWith(prefix)) { return t.slice(prefix.length); } }
    return null;
  }
  function fix() {
    for (const view of Bokeh.index.all_views()) {
      const model = view.model, root = view.shadow_el, el = view.el;
      if (root == null || el == null) { continue; }
      if (typeof model.title === "string" && root.querySelector(".noUi-handle")) {
        for (const handle of root.querySelectorAll(".noUi-handle")) { handle.setAttribute("aria-label", model.title); }
      }
      const label = tag(model, "explorable-label=");
      if (label !== null) { el.setAttribute("role", "group"); el.setAttribute("aria-label", label); }
      if (model.type === "RadioButtonGroup") {
        for (const button of root.querySelectorAll("button")) {
          button.setAttribute("aria-pressed", String(button.classList.contains("bk-active")));
        }
      }
      if (tag(model, "explorable-live") !== null) { el.setAttribute("aria-live", "polite"); el.setAttribute("aria-atomic", "true"); }
      for (const layer of root.querySelectorAll(".bk-events")) {
        layer.setAttribute("tabindex", "-1");
        layer.style.touchAction = "pan-y pinch-zoom";
      }
      for (const button of root.querySelectorAll(".bk-OnOffButton[title], .bk-ClickButton[title]")) {
        button.setAttribute("role", "button");
        button.setAttribute("aria-label", button.getAttribute("title"));
        if (button.classList.contains("bk-OnOffButton")) {
          button.setAttribute("aria-pressed", String(button.classList.contains("bk-active")));
        }
      }
      for (const more of root.querySelectorAll(".bk-tool-overflow")) {
        more.setAttribute("role", "button");
        more.setAttribute("aria-label", "more tools");
      }
      if (!view.__explorable_observed) {
        view.__explorable_observed = true;
        new MutationObserver(schedule).observe(root, {subtree: true, childList: true, attributes: true,
                                                       attributeFilter: ["class"]});
      }
    }
  }
  let pending = false;
  function schedule() {
    if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; fix(); }); }
  }
  const started = Date.now();
  const wait = setInterval(() => {
    const ready = window.Bokeh && Bokeh.index && Bokeh.documents && Bokeh.documents.length > 0
      && Bokeh.documents.every((d) => d.is_idle);
    if (ready || Date.now() - started > 30000) {
      clearInterval(wait);
      if (ready) { fix(); }
    }
  }, 100);
})();
"""

#: The tag of a Bokeh `Div` whose text the browser changes (a read-out): it becomes an `aria-live` region.
LIVE = "explorable-live"

_PICK = """
// Pick the precomputed frame of every target for the knobs' current positions (no maths here).
const index = {};
for (const knob of knobs) {
    const w = knob.widget;
    let i;
    if (knob.kind === "active") {
        i = w.active;
    } else if (knob.kind === "checkbox") {
        i = w.active.includes(0) ? 1 : 0;
    } else if (knob.kind === "option") {
        i = knob.labels.indexOf(String(w.value));
    } else {  // a number: the nearest grid value
        let best = Infinity;
        knob.values.forEach((v, k) => { const d = Math.abs(v - w.value); if (d < best) { best = d; i = k; } });
    }
    index[knob.name] = i;
}
for (const target of targets) {
    const key = target.depends.map((name) => index[name]).join(",");
    const frame = target.frames[key];
    if (frame === undefined) { throw new Error(`explorable: no frame ${key} for ${target.attribute}`); }
    // a data source's frame holds the columns that change; the others stay
    target.model[target.attribute] = target.attribute === "data" ? {...target.model.data, ...frame} : frame;
}
"""


def _bokeh():
    import bokeh

    if bokeh.__version__ != BOKEH_VERSION:
        raise RuntimeError(f"explorables need bokeh=={BOKEH_VERSION} (pinned in requirements.txt); "
                           f"found {bokeh.__version__}")
    return bokeh


class Knob:
    """A control and the grid of values it picks among: `widget` (a Bokeh widget), `values` (the grid axis, in
    the order frames are indexed), `name` (how `bind`'s targets refer to it), `default` (its index)."""

    def __init__(self, widget, values, name, default, kind, labels):
        self.widget, self.values, self.name, self.default = widget, list(values), name, default
        self.kind, self.labels = kind, labels

    def __repr__(self):
        return f"Knob({self.name!r}, {len(self.values)} values, default {self.values[self.default]!r})"


def knob(kind, name, title, values, default, *, fmt="{}", model_name=None):
    """A keyboard-operable control over the grid `values`, starting at `values[default]` (an index).

    `kind`: "slider" (a Bokeh `Slider` whose title shows "title: value"; the values must be evenly spaced, as
    its step is), "select" (a drop-down `Select`), "buttons" (a `RadioButtonGroup`, its labels `fmt` of the
    values) or "checkbox" (a labelled check box, values `[False, True]`; Space toggles it). `model_name` names
    the widget for the tests (default `explore-<name>`).
    """
    _bokeh()
    from bokeh.models import CheckboxGroup, Div, RadioButtonGroup, Row, Select, Slider

    values = list(values)
    if not values or not 0 <= default < len(values):
        raise ValueError(f"knob {name!r}: default index {default} outside its {len(values)} values")
    model_name = model_name or f"explore-{name}"
    labels = [fmt.format(v) for v in values]
    if kind == "slider":
        steps = np.diff(np.asarray(values, dtype=float))
        if len(values) < 2 or not np.allclose(steps, steps[0], rtol=1e-6):
            raise ValueError(f"knob {name!r}: a slider needs evenly spaced values; use 'select' or 'buttons'")
        digits = max(0, -int(np.floor(np.log10(abs(steps[0]))))) if steps[0] < 1 else 0
        widget = Slider(start=values[0], end=values[-1], step=float(steps[0]), value=values[default],
                        title=title, format=f"0[.]{'0' * digits}", name=model_name, sizing_mode="stretch_width")
        return Knob(widget, values, name, default, "number", labels)
    if kind == "select":
        widget = Select(title=title, options=labels, value=labels[default], name=model_name,
                        sizing_mode="stretch_width")
        return Knob(widget, values, name, default, "option", labels)
    if kind == "buttons":
        buttons = RadioButtonGroup(labels=labels, active=default, name=model_name, tags=[f"explorable-label={title}"])
        widget = Row(Div(text=f"{html.escape(title)}:", styles={"margin-top": "4px"}), buttons,
                     sizing_mode="stretch_width")
        widget = _Labelled(widget, buttons)
        return Knob(widget, values, name, default, "active", labels)
    if kind == "checkbox":
        if values != [False, True]:
            raise ValueError(f"knob {name!r}: a check box's values are [False, True]")
        widget = CheckboxGroup(labels=[title], active=[0] if values[default] else [], name=model_name)
        return Knob(widget, values, name, default, "checkbox", labels)
    raise ValueError(f"knob {name!r}: kind must be slider, select, buttons or checkbox, not {kind!r}")


class _Labelled:
    """A control shown with its label beside it: `layout` goes into the page, `control` is what `bind` reads."""

    def __init__(self, layout, control):
        self.layout, self.control = layout, control


def widget_layout(k):
    """What to put in the page for the knob `k` (its widget, or the row holding it and its label)."""
    return k.widget.layout if isinstance(k.widget, _Labelled) else k.widget


def _control(k):
    return k.widget.control if isinstance(k.widget, _Labelled) else k.widget


def _compact(value):
    """Frames as Bokeh serializes them compactly: numeric arrays as float32 (sent as base64), the rest as is."""
    if isinstance(value, dict):
        return {key: _compact(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)) and np.asarray(value).dtype.kind in "fiu":
        array = np.asarray(value, dtype=np.float32)
        if array.ndim != 1:  # e.g. a multi_line's xs: lists of lists
            return np.where(np.isnan(array), None, array.astype(float)).tolist()
        # a short array costs less as a JSON list than as base64 with its header
        return array if array.size >= 16 else [None if np.isnan(x) else float(x) for x in array.tolist()]
    return value


def bind(knobs, targets):
    """Make the knobs drive the targets, and set every target to its frame at the knobs' defaults.

    `targets`: `(model, attribute, depends_on, frames)`: `depends_on` is a tuple of knob names; `frames` maps
    each tuple of their indices to the attribute's value there (all of them must be present); for the `data` of a
    ColumnDataSource, to the columns that change (merged into the others).
    """
    _bokeh()
    from bokeh.models import CustomJS

    by_name = {k.name: k for k in knobs}
    if len(by_name) != len(knobs):
        raise ValueError("bind: two knobs share a name")
    js_targets = []
    for model, attribute, depends, frames in targets:
        unknown = [name for name in depends if name not in by_name]
        if unknown:
            raise ValueError(f"bind: {model!r}.{attribute} depends on unknown knobs {unknown}")
        grid = list(product(*(range(len(by_name[name].values)) for name in depends)))
        missing = [key for key in grid if key not in frames]
        if missing:
            raise ValueError(f"bind: {model!r}.{attribute} has no frame for indices {missing[:3]}")
        initial = _compact(frames[tuple(by_name[name].default for name in depends)])  # as the browser's frames
        setattr(model, attribute, {**model.data, **initial} if attribute == "data" else initial)
        js_targets.append({"model": model, "attribute": attribute, "depends": list(depends),
                           "frames": {",".join(map(str, key)): _compact(frames[key]) for key in grid}})
    js_knobs = [{"widget": _control(k), "name": k.name, "kind": k.kind, "labels": k.labels,
                 "values": [float(v) for v in k.values] if k.kind == "number" else []} for k in knobs]
    callback = CustomJS(args={"knobs": js_knobs, "targets": js_targets}, code=_PICK)
    for k in knobs:
        control = _control(k)
        attribute = {"number": "value", "option": "value", "active": "active", "checkbox": "active"}[k.kind]
        control.js_on_change(attribute, callback)
    return callback


def figure(title, x_label, y_label, **options):
    """A Bokeh figure in the book's style: stretches to the page's width, no toolbar clutter (pan/zoom/reset)."""
    _bokeh()
    from bokeh.plotting import figure as bokeh_figure

    options = {"height": 300, "sizing_mode": "stretch_width", "tools": "pan,wheel_zoom,reset",
               "toolbar_location": "above", "min_width": 250, **options}
    plot = bokeh_figure(title=title, x_axis_label=x_label, y_axis_label=y_label, **options)
    plot.toolbar.logo = None
    plot.toolbar.active_scroll = None  # the page scrolls; zoom only when asked
    return plot


def legend_below(plot):
    """Move the plot's legend under it, in two columns: it hides no path, and it fits a phone."""
    _bokeh()
    from bokeh.models import Legend

    legend = plot.legend[0]
    plot.center = [item for item in plot.center if item is not legend]
    plot.add_layout(Legend(items=legend.items, ncols=2, label_text_font_size="9pt", spacing=2), "below")


def responsive_row(*children):
    """Side-by-side plots that wrap below one another on a narrow (phone) screen."""
    _bokeh()
    from bokeh.models import Row

    for child in children:
        child.styles = {**dict(child.styles or {}), "flex": "1 1 300px"}
    return Row(children=list(children), styles={"flex-wrap": "wrap"}, sizing_mode="stretch_width")


def _png(fallback, alt):
    import matplotlib.pyplot as plt

    from PIL import Image

    buffer = io.BytesIO()
    fallback.savefig(buffer, format="png", dpi=72, bbox_inches="tight")
    plt.close(fallback)
    buffer.seek(0)
    small = io.BytesIO()  # 64 colours are plenty for a line plot, and a third of the bytes
    Image.open(buffer).convert("RGB").quantize(colors=64).save(small, format="png", optimize=True)
    data = base64.b64encode(small.getvalue()).decode("ascii")
    return f'<img class="explorable-fallback" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


class _HTML:
    """One HTML output (text/html), shown by Jupyter and myst-nb as raw HTML."""

    def __init__(self, text):
        self.text = text

    def _repr_html_(self):
        return self.text

    def __repr__(self):
        return "<explorable figure: open the book's HTML page to use it>"


def render(layout, *, name, caption, alt, fallback):
    """The `<figure>`'s HTML (what `show` displays): see the module docstring."""
    _bokeh()
    from bokeh.embed import components

    if not name.startswith("explore-"):
        raise ValueError(f"an explorable's name starts with 'explore-' (for the tests): {name!r}")
    if not caption.strip() or not alt.strip():
        raise ValueError(f"explorable {name}: a caption and an alt text (at the default setting) are required")
    script, div = components(layout)
    return (f'<figure class="{FIGURE_CLASS}" id="{html.escape(name)}" data-bokeh="{BOKEH_VERSION}">\n'
            f'<div class="explorable-live" role="group" aria-label="{html.escape(alt)}">{div}</div>\n{script}\n'
            f"<script>{_A11Y}</script>\n"
            f"<noscript>{_png(fallback, alt)}</noscript>\n"
            f"<figcaption>{html.escape(caption)}</figcaption>\n</figure>")


def show(layout, *, name, caption, alt, fallback):
    """Display the explorable `layout` (a Bokeh layout) as one HTML output of the executing cell.

    - `name`: the figure's id, `explore-ch<N>-<what>`;
    - `caption`: the figcaption: what the figure shows *at its default setting*, and what the controls change;
    - `alt`: the alt text of the static fallback (and the live figure's aria-label): what a reader sees at the
      default setting;
    - `fallback`: a matplotlib figure of the default setting, inlined as a PNG inside `<noscript>` (closed here).
    """
    from IPython.display import display

    display(_HTML(render(layout, name=name, caption=caption, alt=alt, fallback=fallback)))
