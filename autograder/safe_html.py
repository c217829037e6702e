"""Student work rendered as inert HTML in the instructor's and the students' pages.

Formgrader's manual grading page and nbgrader's feedback render a submission's Markdown cells
and rich outputs as they are (formgrader's template never sanitizes Markdown cells, and
nbconvert's own ``sanitize_html`` mangles tables). ``SanitizeStudentHTML`` runs in their
exporters before the template: a Markdown cell becomes its rendered HTML with only harmless
tags and attributes kept (everything else shown escaped), an HTML or Markdown output likewise,
and any other output type that a page would run or embed (JavaScript, SVG, widgets, PDF) is
replaced by its plain text. No script, event handler, style or foreign frame survives.
"""

import bleach
from nbconvert.filters.markdown import markdown2html
from nbconvert.preprocessors import Preprocessor

TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre",
        "q", "s", "samp", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "u", "ul"}
ATTRIBUTES = {"a": ["href", "title"], "img": ["src", "alt", "title"],
              "td": ["align", "colspan", "rowspan"], "th": ["align", "colspan", "rowspan"]}
# Links and images to web addresses only: no javascript:, data: or file: address.
PROTOCOLS = {"http", "https", "mailto"}
# Output types a page shows without running anything: the rest become their text/plain.
INERT_OUTPUTS = {"text/plain", "image/png", "image/jpeg", "image/gif", "text/latex"}


def clean(html):
    """Return ``html`` with only harmless tags, attributes and addresses left; on one line, so
    that a Markdown renderer passes it through as one HTML block."""
    cleaned = bleach.clean(html, tags=TAGS, attributes=ATTRIBUTES, protocols=PROTOCOLS)
    return "<div>" + cleaned.replace("\r", "").replace("\n", "&#10;") + "</div>"


class SanitizeStudentHTML(Preprocessor):
    """Make every Markdown cell and rich output of a notebook inert (see the module)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = clean(markdown2html(cell.source))
            cell.pop("attachments", None)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if "data" in output:
                    output["data"] = self.inert(output["data"])
        return cell, resources

    @staticmethod
    def inert(data):
        """Return an output's ``data`` with only inert types, HTML and Markdown cleaned."""
        kept = {kind: value for kind, value in data.items() if kind in INERT_OUTPUTS}
        if "text/html" in data:
            kept["text/html"] = clean(_text(data["text/html"]))
        elif "text/markdown" in data:
            kept["text/html"] = clean(markdown2html(_text(data["text/markdown"])))
        if not kept:
            kept["text/plain"] = f"[output of type {', '.join(sorted(data))} not shown]"
        return kept


def _text(value):
    return "".join(value) if isinstance(value, list) else str(value)
