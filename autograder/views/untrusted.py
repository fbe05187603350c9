"""A student's markdown, HTML and outputs made safe to show in a browser: the feedback pages and nbgrader's
formgrader both render what a student wrote or what the student's code displayed.

Never reads a file because a notebook names it: an image is kept only when it is inside the notebook as data
(a cell attachment or an output); any other image becomes a visible placeholder. HTML is cleaned with bleach
(an allowlist of tags and attributes: no script, event handler, iframe, form, meta, style element, SVG, and no
`javascript:` or `data:` link), after markdown is rendered.
"""

import base64
import binascii
import copy
import html
import re

import bleach
from bleach.css_sanitizer import CSSSanitizer
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
        "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
        "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var"}
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
DATA_IMAGE = re.compile(r"data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]*)\Z")
LINK = re.compile(r"(https?:|mailto:|#)", re.IGNORECASE)
# Output types shown as they are (escaped by nbconvert's templates) or as data; everything else is dropped.
TEXT_OUTPUTS = ("text/plain", "text/latex")
CSS = CSSSanitizer(allowed_css_properties=["text-align"])


def valid_base64(data):
    """`data` (an image's base64) with whitespace removed, or None when it is not base64."""
    if not isinstance(data, str):
        return None
    compact = re.sub(r"\s+", "", data)
    try:
        base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    return compact


def data_image(uri):
    """True for a `data:image/...;base64,` URI of a raster image whose data is base64."""
    match = DATA_IMAGE.match(uri or "")
    return bool(match) and valid_base64(match.group(2)) is not None


def _attribute(tag, name, value):
    if name in ("class", "title", "alt"):
        return True
    if name == "id":
        return tag in {"h1", "h2", "h3", "h4", "h5", "h6"}
    if name == "style":
        return tag in {"td", "th"}
    if tag == "a" and name == "href":
        return bool(LINK.match(value.strip()))
    if tag == "img" and name == "src":
        return data_image(value)
    if tag == "img" and name in ("width", "height"):
        return value.isdigit()
    if tag in ("td", "th") and name in ("colspan", "rowspan"):
        return value.isdigit()
    if tag == "ol" and name == "start":
        return value.isdigit()
    return False


def placeholder(src):
    """The visible text that stands for an image the notebook does not hold as data."""
    shown = src if len(src) <= 80 else src[:77] + "..."
    return (f'<span class="untrusted-image">[image not shown: {html.escape(shown)} is not inside the notebook; '
            "paste or attach the image into the notebook itself]</span>")


def _replace_images(markup):
    """Each `<img>` whose source is not an image held as data replaced by a placeholder (cosmetic: bleach
    removes such sources anyway)."""
    if "<img" not in markup.lower():
        return markup
    import bs4

    soup = bs4.BeautifulSoup(markup, "html.parser")
    for img in soup.find_all("img"):
        src = img.get("src") if isinstance(img.get("src"), str) else ""
        if not data_image(src):
            img.replace_with(bs4.BeautifulSoup(placeholder(src), "html.parser"))
    return str(soup)


OPENING = re.compile(r"<(script|style)\b", re.IGNORECASE)
CLOSING = {"script": re.compile(r"</script", re.IGNORECASE), "style": re.compile(r"</style", re.IGNORECASE)}


def _drop_scripts(markup):
    """`markup` without its script and style elements, in one pass (an unclosed one is left to bleach,
    which shows it as text)."""
    kept, start = [], 0
    while (opening := OPENING.search(markup, start)) is not None:
        closing = CLOSING[opening.group(1).lower()].search(markup, opening.end())
        if closing is None:
            break
        end = markup.find(">", closing.end())
        kept.append(markup[start:opening.start()])
        start = len(markup) if end < 0 else end + 1
    return "".join(kept) + markup[start:]


def clean_html(markup):
    """`markup` with only harmless tags and attributes; disallowed tags are shown as text, script and style
    elements removed with their content."""
    return bleach.clean(_replace_images(_drop_scripts(markup)), tags=TAGS, attributes=_attribute, css_sanitizer=CSS,
                        protocols={"http", "https", "mailto", "data"}, strip=False, strip_comments=True)


class _Renderer(IPythonRenderer):
    """nbconvert's markdown renderer (math kept for MathJax), reading no file: an image is its attachment's
    data or a placeholder; a missing attachment is a placeholder, not an error."""

    def image(self, text, url, title=None):
        name = url[len("attachment:"):] if url.startswith("attachment:") else None
        attachment = self.attachments.get(name) if name is not None else None
        for kind in IMAGE_TYPES:
            data = valid_base64((attachment or {}).get(kind))
            if data is not None:
                return super(IPythonRenderer, self).image(text, f"data:{kind};base64,{data}", title)
        return placeholder(url)

    def task_list_item(self, text, checked=False):
        """A task list's item with a check mark, not a form's check box."""
        mark = "\u2611" if checked else "\u2610"
        return f'<li class="task-list-item">{mark} {text}</li>\n'


def markdown_html(source, attachments=None):
    """A markdown cell's (or a text/markdown output's) source as clean HTML."""
    renderer = _Renderer(escape=False, attachments=attachments or {}, exclude_anchor_links=True)
    return clean_html(MarkdownWithMath(renderer=renderer).render(source))


def _svg_image(svg):
    """An SVG output as an `<img>` (a script inside an SVG loaded as an image never runs)."""
    data = base64.b64encode(svg.encode() if isinstance(svg, str) else b"").decode()
    return f'<img alt="figure" src="data:image/svg+xml;base64,{data}">'


def safe_output(output):
    """A copy of a code cell's output fit for a browser: text escaped by the template, images only as valid
    base64, HTML and markdown cleaned, SVG as an image, JavaScript and widgets dropped."""
    output = copy.deepcopy(output)
    if "metadata" in output:
        output["metadata"] = {}
    if output.get("output_type") not in ("display_data", "execute_result"):
        return output
    data, kept = output.get("data", {}), {}
    for kind in TEXT_OUTPUTS:
        if isinstance(data.get(kind), str):
            kept[kind] = data[kind]
    for kind in ("image/png", "image/jpeg"):
        image = valid_base64(data.get(kind))
        if image is not None:
            kept[kind] = image
    if isinstance(data.get("text/html"), str):
        kept["text/html"] = clean_html(data["text/html"])
    elif isinstance(data.get("text/markdown"), str):
        kept["text/html"] = markdown_html(data["text/markdown"])
    elif isinstance(data.get("image/svg+xml"), str) and not any(k.startswith("image/") for k in kept):
        kept["text/html"] = clean_html(_svg_image(data["image/svg+xml"]))
    output["data"] = kept or {"text/plain": "[output of a type that is not shown]"}
    return output


def _markdown_is_plain(cell):
    """True when a markdown cell renders the same with or without cleaning: no raw HTML, links only to the
    web or an anchor, images only from the cell's own image attachments."""
    attachments = cell.get("attachments") or {}
    stack = list(MarkdownWithMath(renderer=None)(cell.source))
    while stack:
        token = stack.pop()
        kind, url = token.get("type"), token.get("attrs", {}).get("url", "")
        if kind in ("block_html", "inline_html"):
            return False
        if kind == "block_code" and token.get("attrs", {}).get("info", "").strip().startswith("mermaid"):
            return False  # nbconvert writes a mermaid block's code unescaped
        if kind == "link" and not LINK.match(url.strip()):
            return False
        if kind == "image":
            name = url[len("attachment:"):] if url.startswith("attachment:") else None
            if not any(valid_base64((attachments.get(name) or {}).get(k)) for k in IMAGE_TYPES):
                return False
        stack.extend(token.get("children", []))
    return True


def formgrader_copy(notebook):
    """A copy of a graded notebook safe to store where nbgrader's formgrader renders it (with the
    instructor's Jupyter session): markdown that holds HTML, links or images other than plain ones becomes
    its cleaned HTML (it renders the same in the formgrader), outputs are made safe, raw cells cleaned,
    and widget state dropped. nbgrader's metadata is kept."""
    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)
    plain_fields(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and not _markdown_is_plain(cell):
            cell.source = '<div class="untrusted-answer">\n' + _no_blank_lines(
                markdown_html(cell.source, cell.get("attachments"))) + "\n</div>"
            cell.pop("attachments", None)
        elif cell.cell_type == "raw":
            cell.source = clean_html(cell.source)
            for key in ("format", "raw_mimetype"):
                cell.metadata.pop(key, None)
        elif cell.cell_type == "code":
            cell.outputs = [safe_output(o) for o in cell.get("outputs", [])]
    return notebook


def stored_copy(notebook, seconds=60, max_bytes=200 * 10**6):
    """`formgrader_copy(notebook)`, made in a child process (`isolated`); when that cannot be done within
    `seconds`, a copy whose markdown and raw cells are escaped text and whose outputs are text only."""
    import nbformat

    from autograder.views import isolated

    made, _ = isolated.run(lambda nb: nbformat.writes(formgrader_copy(nb)), notebook, seconds=seconds,
                           max_bytes=max_bytes)
    return nbformat.reads(made, as_version=4) if made is not None else _text_copy(notebook)


def _text_copy(notebook):
    """The stored copy's fallback: markdown and raw cells as escaped text in `<pre>`, outputs text only."""
    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)
    plain_fields(notebook)
    for cell in notebook.cells:
        if cell.cell_type in ("markdown", "raw"):
            cell.source = "<pre>" + html.escape(cell.source) + "</pre>"
            cell.pop("attachments", None)
            for key in ("format", "raw_mimetype"):
                cell.metadata.pop(key, None)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") in ("display_data", "execute_result"):
                    output["data"] = {"text/plain": str(output.get("data", {}).get("text/plain", ""))}
                    output["metadata"] = {}
    return notebook


def plain_fields(notebook):
    """Cell fields that templates write into HTML without escaping made plain: ids, execution counts,
    tags (in place)."""
    for number, cell in enumerate(notebook.cells):
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", str(cell.get("id", ""))):
            cell["id"] = f"cell-{number}"
        if "execution_count" in cell and not isinstance(cell.execution_count, int):
            cell.execution_count = None
        for output in cell.get("outputs", []):
            if "execution_count" in output and not isinstance(output.execution_count, int):
                output.execution_count = None
        tags = cell.get("metadata", {}).get("tags")
        if tags is not None:
            cell.metadata.tags = [t for t in tags if isinstance(t, str) and re.fullmatch(r"[A-Za-z0-9_-]+", t)]


def _no_blank_lines(markup):
    """HTML with no blank line, so that markdown passes it through as one HTML block: a blank line (inside
    `<pre>`, say) joins the line before it after a newline character reference, which shows the same."""
    lines = []
    for line in markup.split("\n"):
        if line.strip() or not lines:
            lines.append(line)
        else:
            lines[-1] += "&#10;" + line
    return "\n".join(lines)
