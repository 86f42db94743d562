"""An HTML page as markdown-like lines (headings, bullets, table rows, links), for the generic reader.

Read with the standard library's HTMLParser, which tolerates broken markup; each output line keeps
the number of the source line it came from, blank lines filling the gaps.
"""

from __future__ import annotations

from html.parser import HTMLParser

BLOCKS = {"p", "div", "br", "section", "article", "header", "footer", "dd", "dt", "blockquote", "details",
          "summary", "ul", "ol", "table", "thead", "tbody", "hr"}
SKIP = {"script", "style", "head", "title", "noscript", "svg"}


def html_lines(text: str) -> list[str]:
    """Lines of markdown for an HTML document, ``result[n - 1]`` coming from source line ``n`` or before.

    >>> html_lines('<h2>Papers</h2>\\n<ul><li><a href="https://arxiv.org/abs/2601.00001">A Title</a></li></ul>')
    ['## Papers', '- [A Title](https://arxiv.org/abs/2601.00001)']
    """
    reader = _Reader()
    reader.feed(text)
    reader.close()
    reader.flush()
    out: list[str] = []
    for line, chunk in reader.lines:
        while len(out) < line - 1:
            out.append("")
        out.append(chunk)
    return out


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.parts: list[str] = []
        self.line = 1
        self.skip = 0
        self.href: list[str | None] = []

    def flush(self) -> None:
        chunk = " ".join("".join(self.parts).split())
        if chunk.strip("| "):
            self.lines.append((self.line, chunk))
        self.parts = []

    def _new(self, prefix: str = "") -> None:
        self.flush()
        self.line = self.getpos()[0]
        self.parts = [prefix]

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._new("#" * int(tag[1]) + " ")
        elif tag == "li":
            self._new("- ")
        elif tag == "tr":
            self._new("| ")
        elif tag in ("td", "th"):
            self.parts.append(" | " if len(self.parts) > 1 else "")
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
            self.parts.append("[")
        elif tag in BLOCKS:
            self._new()

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "a" and self.href:
            href = self.href.pop()
            self.parts.append(f"]({href})" if href else "]")
        elif tag == "tr":
            self.parts.append(" |")
            self._new()
        elif tag in BLOCKS or tag in ("li", "h1", "h2", "h3", "h4", "h5", "h6"):
            self._new()

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)
