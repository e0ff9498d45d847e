"""The PDF renderer: A4, page X of Y, static files and data: URLs only, nothing else fetched."""

from __future__ import annotations

import base64
import re
import subprocess
import zlib

import pytest
from markupsafe import escape

from caseload.rendering.pdf import (
    RefusedURL,
    StaticOnlyFetcher,
    UntitledDocument,
    page_css,
    render_pdf,
)

BASE = "http://caseload.invalid/"


def doc(body: str, lang: str = "en", title: str = "Test report") -> str:
    """An HTML document around ``body`` with the language and title a PDF/UA file needs."""
    return f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>{body}</body></html>'


def pdf_text(pdf: bytes, tmp_path, *, layout: bool = True) -> str:
    """The text of a PDF as pdftotext reads it (in reading order when not ``layout``)."""
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, check=True, text=True).stdout


def pdf_tool(tool: str, pdf: bytes, tmp_path, *args: str) -> str:
    """The output of a poppler tool (pdfinfo, pdfdetach) on the PDF."""
    path = tmp_path / "tool.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path)], capture_output=True, check=True, text=True).stdout


def pdf_language(pdf: bytes) -> str | None:
    """The document language of a PDF's catalogue (``/Lang``), looked up in its object streams."""
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            text = zlib.decompress(stream)
        except zlib.error:
            continue
        if found := re.search(rb"/Type /Catalog.*?/Lang \(([^)]*)\)", text):
            return found.group(1).decode()
    return None


@pytest.fixture
def static(tmp_path):
    """A static folder with a stylesheet that prints a marker, and a secret next to it."""
    folder = tmp_path / "static"
    (folder / "css").mkdir(parents=True)
    (folder / "css" / "report.css").write_text('h1::after { content: " STATIC-CSS-OK" }')
    (tmp_path / "secret.css").write_text('body::before { content: "LEAKED-SECRET" }')
    return folder


def test_rendered_pdf_holds_the_text_on_a4_with_page_x_of_y(tmp_path):
    html = "<h1>Fidelity report</h1><p style='break-after: page'>one</p><p>Total 101 good</p>"
    pdf = render_pdf(doc(html), base_url=BASE)
    text = pdf_text(pdf, tmp_path)
    assert "Fidelity report" in text and "Total 101 good" in text
    assert "Page 1 of 2" in text and "Page 2 of 2" in text
    assert "A4" in pdf_tool("pdfinfo", pdf, tmp_path)


def test_footer_text_is_translatable_and_css_escaped(tmp_path):
    pdf = render_pdf(doc("<p>x</p>"), base_url=BASE, footer='Side {page} av {pages} "sitat" \\')
    assert 'Side 1 av 1 "sitat" \\' in pdf_text(pdf, tmp_path)
    assert "counter(pages)" in page_css() and "@import" not in page_css('@import "x"; }')[:20]


def test_static_files_and_data_urls_are_served(tmp_path, static):
    pixel = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>")
    html = (
        '<link rel="stylesheet" href="/static/css/report.css">'
        "<h1>Report</h1>"
        f'<img src="data:image/svg+xml;base64,{pixel.decode()}">'
        "<style>@import url(\"data:text/css,p%3A%3Aafter%7Bcontent%3A'DATA-CSS-OK'%7D\");</style>"
        "<p>x</p>"
    )
    text = pdf_text(render_pdf(doc(html), base_url=BASE, static_folder=static), tmp_path)
    assert "STATIC-CSS-OK" in text and "DATA-CSS-OK" in text


def planted(server: str) -> str:
    """Every way we know for HTML and CSS to make WeasyPrint read a file or call a server."""
    return f"""
    <html lang="en"><head><title>Planted</title>
    <link rel="stylesheet" href="{server}/link.css">
    <link rel="stylesheet" href="file:///etc/passwd">
    <link rel="attachment" href="file:///etc/passwd">
    <link rel="stylesheet" href="{server}/redirect">
    <style>
      @import url("{server}/import.css");
      @import "file:///etc/hostname";
      body {{ background: url({server}/background.png); }}
      @font-face {{ font-family: Leak; src: url({server}/font.woff); }}
      p {{ font-family: Leak; }}
    </style></head><body>
    <h1>Planted</h1>
    <img src="file:///etc/passwd"><img src="{server}/img.png">
    <a rel="attachment" href="{server}/attach">a</a>
    <div style="background-image: url('{server}/inline.png')">d</div>
    <object data="{server}/object.svg"></object><embed src="{server}/embed.svg">
    <svg width="20" height="20"><image href="{server}/svg-image.png" width="10" height="10"/>
      <use href="{server}/sprite.svg#x"/></svg>
    <p>{escape('<img src="file:///etc/passwd"> <link href="' + server + '/escaped">')}</p>
    </body></html>"""


def test_planted_urls_reach_no_file_and_no_server(tmp_path, static, counting_server):
    server, hits = counting_server
    html = planted(server) + f'<link rel="stylesheet" href="file://{static.parent}/secret.css">'
    pdf = render_pdf(html, base_url=BASE, static_folder=static)
    text = pdf_text(pdf, tmp_path)
    assert hits == []
    assert "Planted" in text and "LEAKED-SECRET" not in text and "FROM-SERVER" not in text
    assert "root:" not in text
    assert '<img src="file:///etc/passwd">' in text  # escaped user text prints as text
    assert "0 embedded files" in pdf_tool("pdfdetach", pdf, tmp_path, "-list")


def test_the_server_is_not_called_even_as_the_base_url_origin(tmp_path, static, counting_server):
    server, hits = counting_server
    html = '<img src="/img.png"><link rel="stylesheet" href="/static/../secret.css"><p>x</p>'
    text = pdf_text(render_pdf(doc(html), base_url=server + "/", static_folder=static), tmp_path)
    assert hits == [] and "LEAKED-SECRET" not in text


def test_every_pdf_is_tagged_pdf_ua_with_its_language_and_title(tmp_path):
    pdf = render_pdf(doc("<h1>Rapport</h1><p>48,0</p>", lang="nb", title="Kvartalsrapport"), base_url=BASE)
    info = pdf_tool("pdfinfo", pdf, tmp_path)
    assert "Tagged:          yes" in info
    assert "Title:           Kvartalsrapport" in info
    assert 'pdfuaid:part="1"' in pdf_tool("pdfinfo", pdf, tmp_path, "-meta")
    assert pdf_language(pdf) == "nb"


@pytest.mark.parametrize(
    "html",
    [
        "<p>no document</p>",
        "<html><head><title>No language</title></head><body>x</body></html>",
        '<html lang="en"><head><title> </title></head><body>empty title</body></html>',
        '<html lang="en"><head></head><body>no title</body></html>',
    ],
)
def test_html_without_language_or_title_is_refused(html):
    with pytest.raises(UntitledDocument):
        render_pdf(html, base_url=BASE)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://caseload.invalid/static/../secret.css",
        "http://caseload.invalid/static/%2e%2e/secret.css",
        "http://caseload.invalid/static/css/../../secret.css",
        "http://caseload.invalid/static/css",
        "http://caseload.invalid/static/nothing.css",
        "http://caseload.invalid/secret.css",
        "https://caseload.invalid/static/css/report.css",
        "http://other.invalid/static/css/report.css",
        "ftp://caseload.invalid/static/css/report.css",
        "data-not:foo",
        "data:text/plain",
    ],
)
def test_fetcher_refuses_everything_but_static_files_and_data(static, url):
    fetcher = StaticOnlyFetcher(BASE, static)
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_fetcher_serves_a_static_file_and_decodes_data_urls(static):
    fetcher = StaticOnlyFetcher(BASE, static)
    css = fetcher.fetch("http://caseload.invalid/static/css/report.css")
    assert css.read().startswith(b"h1::after") and css.content_type == "text/css"
    assert fetcher.fetch("data:text/plain,a%20b").read() == b"a b"
    assert fetcher.fetch("data:;base64,aGk=").read() == b"hi"
    assert fetcher.refused == []


@pytest.mark.parametrize("base_url", ["file:///work/main/static/", "/static/", "data:,x"])
def test_base_url_must_be_the_apps_http_root(static, base_url):
    with pytest.raises(ValueError, match="base_url"):
        StaticOnlyFetcher(base_url, static)
