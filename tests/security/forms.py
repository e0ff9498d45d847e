"""Read the forms of a page as a browser would submit them (stdlib HTML parser, no dependencies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # the input type, or "select", "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    checked: bool = False
    multiple: bool = False
    attrs: dict = field(default_factory=dict)


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    def names(self) -> set[str]:
        return {f.name for f in self.fields}

    def submission(self) -> dict[str, list[str]]:
        """What the browser sends when the form is submitted as shown."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    data.setdefault(f.name, []).append(f.value or "on")
            elif f.kind == "select":
                chosen = f.selected or f.options[:1]
                data.setdefault(f.name, []).extend(chosen if f.multiple else chosen[:1])
            elif f.kind not in ("submit", "button", "reset", "file", "image"):
                data.setdefault(f.name, []).append(f.value)
        return data


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None
        self.option: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self.form)
        elif self.form is None or (tag not in ("input", "select", "textarea", "option")):
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            self.form.fields.append(
                Field(a["name"], kind, a.get("value", ""), checked="checked" in a, attrs=a)
            )
        elif tag == "select" and a.get("name"):
            self.select = Field(a["name"], "select", multiple="multiple" in a, attrs=a)
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = a
            self.select.options.append(a.get("value", ""))
            if "selected" in a:
                self.select.selected.append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self.textarea = Field(a["name"], "textarea", attrs=a)
            self.form.fields.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea.value = self.textarea.value.removeprefix("\n")
            self.textarea = None


def forms_of(html: str) -> list[Form]:
    """Every form of the page, with its fields and their current values."""
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def post_form(forms: list[Form], url: str) -> Form | None:
    """The page's main POST form: the one that posts to the page itself (or has no action)."""
    path = url.split("?")[0]
    for form in forms:
        if form.method == "post" and form.action in ("", path, url) and len(form.names()) > 1:
            return form
    return None
